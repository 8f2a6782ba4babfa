package io.github.gkeinference.core.cluster;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Orders GKE versions ({@code 1.34.1-gke.1127000}) by major, minor, patch and GKE build; a part a
 * version leaves out counts as 0, so {@code 1.29.3-gke.1} is at least {@code 1.29}. The one
 * comparison of GKE version floors: the preflight's feature floors and the serving specs' floors
 * use it.
 */
public final class GkeVersion {
  /** {@code MAJOR.MINOR[.PATCH][-gke.BUILD]}, the form GKE release notes write versions in. */
  private static final Pattern FORM = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?(-gke\\.\\d+)?");

  private GkeVersion() {}

  /**
   * Returns whether {@code version} is at least {@code floor}.
   *
   * @param version the version to check
   * @param floor the lowest version accepted
   * @return whether the version reaches the floor
   */
  public static boolean atLeast(String version, String floor) {
    return Arrays.compare(parts(version), parts(floor)) >= 0;
  }

  /**
   * Returns whether {@code version} has the form {@code MAJOR.MINOR[.PATCH][-gke.BUILD]}.
   *
   * @param version the version
   * @return whether it is well formed
   */
  public static boolean isWellFormed(String version) {
    return FORM.matcher(version.strip()).matches();
  }

  private static long[] parts(String version) {
    long[] p = new long[4];
    String v = version.strip();
    int gke = v.indexOf("-gke.");
    if (gke >= 0) {
      p[3] = number(v.substring(gke + 5));
      v = v.substring(0, gke);
    }
    String[] dots = v.split("\\.");
    for (int i = 0; i < Math.min(3, dots.length); i++) {
      p[i] = number(dots[i]);
    }
    return p;
  }

  private static long number(String s) {
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Long.parseLong(s.substring(0, end));
  }
}
