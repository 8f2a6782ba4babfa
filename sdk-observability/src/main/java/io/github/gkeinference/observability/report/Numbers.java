package io.github.gkeinference.observability.report;

import java.util.Locale;

/** Number formats of the charts and pages: short, locale-independent. */
final class Numbers {
  private Numbers() {}

  /** {@code 1,234}, {@code 12.3}, {@code 1.23}, {@code 1.2M}: at most about four digits. */
  static String compact(double v) {
    double a = Math.abs(v);
    if (a >= 1e9) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e9)) + "G";
    }
    if (a >= 1e6) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
    }
    if (a >= 1e4) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
    }
    if (a >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return trim(String.format(Locale.ROOT, "%.1f", v));
    }
    if (a >= 0.01) {
      return trim(String.format(Locale.ROOT, "%.2f", v));
    }
    return String.format(Locale.ROOT, "%.2g", v);
  }

  /** SVG coordinates: one decimal. */
  static String coordinate(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** The step of 1, 2, 2.5 or 5 times a power of ten nearest above {@code rough}. */
  static double niceStep(double rough) {
    if (!(rough > 0) || Double.isInfinite(rough)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= rough * (1 - 1e-9)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /**
   * Drops trailing zeros after the decimal point: {@code 2.50} is {@code 2.5}, {@code 3.0} is 3.
   */
  private static String trim(String s) {
    if (s.indexOf('.') < 0) {
      return s;
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    if (s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }
}
