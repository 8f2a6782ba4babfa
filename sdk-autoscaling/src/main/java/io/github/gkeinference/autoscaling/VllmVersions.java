package io.github.gkeinference.autoscaling;

/** Compares vLLM version strings such as {@code v0.11.2} or {@code 0.9.2rc1}. */
final class VllmVersions {
  private VllmVersions() {}

  /**
   * Returns whether {@code version} is older than {@code major.minor.patch}; an unreadable version
   * counts as current (not older).
   */
  static boolean before(String version, int major, int minor, int patch) {
    String[] parts = version.trim().replaceFirst("^[vV]", "").split("\\.");
    int[] wanted = {major, minor, patch};
    for (int i = 0; i < 3; i++) {
      int have = i < parts.length ? leadingNumber(parts[i]) : 0;
      if (have < 0) {
        return false;
      }
      if (have != wanted[i]) {
        return have < wanted[i];
      }
    }
    return false;
  }

  private static int leadingNumber(String part) {
    int end = 0;
    while (end < part.length() && Character.isDigit(part.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Integer.parseInt(part.substring(0, end));
  }
}
