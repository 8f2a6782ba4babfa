package io.github.gkeinference.observability.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One axis of a chart: its title and unit (both required, drawn as {@code "title (unit)"}), its
 * scale (linear from zero, or logarithmic) and, optionally, the ticks to draw.
 */
public final class Axis {
  private final String title;
  private final String unit;
  private final double logBase;
  private final List<Tick> ticks;

  private Axis(String title, String unit, double logBase, List<Tick> ticks) {
    if (title.isBlank()) {
      throw new IllegalArgumentException("an axis needs a title");
    }
    if (unit.isBlank()) {
      throw new IllegalArgumentException("axis '" + title + "' needs a unit");
    }
    this.title = title;
    this.unit = unit;
    this.logBase = logBase;
    this.ticks = List.copyOf(ticks);
  }

  /** A linear axis that starts at zero (or below, for negative values). */
  public static Axis linear(String title, String unit) {
    return new Axis(title, unit, 0, List.of());
  }

  /** A logarithmic axis with ticks at powers of {@code base} unless ticks are given. */
  public static Axis log(String title, String unit, int base) {
    if (base < 2) {
      throw new IllegalArgumentException("log base must be at least 2, got " + base);
    }
    return new Axis(title, unit, base, List.of());
  }

  /** Returns a copy that draws exactly these ticks (value and label). */
  public Axis ticks(List<Tick> ticks) {
    return new Axis(title, unit, logBase, ticks);
  }

  /** The axis title with its unit, as drawn. */
  public String label() {
    return title + " (" + unit + ")";
  }

  boolean logarithmic() {
    return logBase > 0;
  }

  /** The scale over data from {@code min} to {@code max}, with its ticks. */
  Scale scale(double min, double max) {
    if (logarithmic()) {
      if (!(min > 0)) {
        throw new IllegalArgumentException(
            "axis '" + title + "' is logarithmic but a value is " + min);
      }
      List<Tick> t = ticks;
      if (t.isEmpty()) {
        t = new ArrayList<>();
        double from = Math.floor(Math.log(min) / Math.log(logBase) + 1e-9);
        double to = Math.ceil(Math.log(max) / Math.log(logBase) - 1e-9);
        for (double e = from; e <= Math.max(from + 1, to); e++) {
          double v = Math.pow(logBase, e);
          t.add(new Tick(v, Numbers.compact(v)));
        }
      }
      double lo = Math.min(min, t.get(0).value());
      double hi = Math.max(max, t.get(t.size() - 1).value());
      if (hi <= lo) {
        hi = lo * logBase;
      }
      return new Scale(Math.log(lo), Math.log(hi), true, t);
    }
    List<Tick> t = ticks;
    if (!t.isEmpty()) {
      double lo = Math.min(min, t.get(0).value());
      double hi = Math.max(max, t.get(t.size() - 1).value());
      return new Scale(lo, hi == lo ? lo + 1 : hi, false, t);
    }
    double lo = Math.min(0, min);
    double hi = Math.max(max, lo);
    {
      double step = Numbers.niceStep((hi - lo) / 5);
      lo = Math.floor(lo / step) * step;
      hi = Math.max(lo + step, Math.ceil(hi / step - 1e-9) * step);
      t = new ArrayList<>();
      for (double v = lo; v <= hi + step / 2; v += step) {
        t.add(new Tick(v, Numbers.compact(v)));
      }
    }
    return new Scale(lo, hi == lo ? lo + 1 : hi, false, t);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Axis[%s, %s]", label(), logarithmic() ? "log" : "linear");
  }

  /** A tick mark: where it is drawn and what it says. */
  public record Tick(double value, String label) {
    /** Checks the label. */
    public Tick {
      Objects.requireNonNull(label, "label");
    }
  }

  /** Maps data values to the unit interval. */
  record Scale(double lo, double hi, boolean log, List<Tick> ticks) {
    double fraction(double value) {
      double v = log ? Math.log(value) : value;
      return (v - lo) / (hi - lo);
    }
  }
}
