package io.github.gkeinference.accelerators.preflight;

import java.util.Arrays;

/**
 * Orders GKE versions ({@code 1.34.1-gke.1127000}) by major, minor, patch and GKE build; a part a
 * version leaves out counts as 0, so {@code 1.29.3-gke.1} is at least {@code 1.29}.
 */
final class GkeVersion {
  private GkeVersion() {}

  /** Returns whether {@code version} is at least {@code floor}. */
  static boolean atLeast(String version, String floor) {
    return Arrays.compare(parts(version), parts(floor)) >= 0;
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
