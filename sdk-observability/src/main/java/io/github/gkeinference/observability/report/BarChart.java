package io.github.gkeinference.observability.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Horizontal stacked bars on one value axis: one row per bar, one colour per segment name (the
 * legend sits above the bars), and optionally a marker per row (a dark tick, for example the
 * device's capacity).
 */
public final class BarChart extends Chart {
  private static final int ROW = 24;
  private static final int BAR_AREA = 560;
  private static final int BOTTOM = 50;

  private final String title;
  private final Axis axis;
  private final List<String> segments;
  private final List<Bar> bars;
  private final @Nullable String marker;

  private BarChart(Builder b) {
    this.title = b.title + (b.estimate ? ESTIMATE_SUFFIX : "");
    this.axis = Objects.requireNonNull(b.axis, () -> "chart '" + b.title + "' needs a value axis");
    if (axis.logarithmic()) {
      throw new IllegalArgumentException("chart '" + b.title + "': bars need a linear axis");
    }
    this.segments = List.copyOf(b.segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("chart '" + b.title + "' needs at least one segment");
    }
    for (int i = 0; i < segments.size(); i++) {
      colour(i, b.title);
    }
    this.bars = List.copyOf(b.bars);
    this.marker = b.marker;
  }

  /** Starts a chart with this title. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  @Override
  public String title() {
    return title;
  }

  private int labelWidth() {
    int w = 80;
    for (Bar b : bars) {
      w = Math.max(w, Svg.textWidth(b.label) + 12);
    }
    return w;
  }

  @Override
  int width() {
    return labelWidth() + BAR_AREA + 40;
  }

  @Override
  int height() {
    return Svg.TITLE_HEIGHT + 26 + LEGEND_ROW * (legendRows() - 1) + ROW * bars.size() + BOTTOM;
  }

  /** The height of one more legend line. */
  private static final int LEGEND_ROW = 18;

  /**
   * Returns how many lines the legend takes: entries (and the marker's) wrap to the next line
   * instead of running past the chart's right edge.
   */
  private int legendRows() {
    int rows = 1;
    int at = labelWidth();
    for (String name : legendNames()) {
      int w = Svg.textWidth(name) + 34;
      if (at > labelWidth() && at + w > width()) {
        rows++;
        at = labelWidth();
      }
      at += w;
    }
    return rows;
  }

  /** The legend's entries in order, the marker's last. */
  private List<String> legendNames() {
    List<String> names = new ArrayList<>(segments);
    if (marker != null) {
      names.add(marker);
    }
    return names;
  }

  @Override
  void draw(Svg svg) {
    svg.title(title);
    int left = labelWidth();
    int legendY = Svg.TITLE_HEIGHT + 12;
    int at = left;
    List<String> names = legendNames();
    for (int i = 0; i < names.size(); i++) {
      int w = Svg.textWidth(names.get(i)) + 34;
      // the same wrapping as legendRows(), which sized the chart
      if (at > left && at + w > width()) {
        legendY += LEGEND_ROW;
        at = left;
      }
      if (i < segments.size()) {
        svg.legendEntry(at, legendY, PALETTE.get(i), segments.get(i));
      } else {
        svg.line(at + 6, legendY - 11, at + 6, legendY + 3, REFERENCE, " stroke-width=\"2\"");
        svg.text(at + 14, legendY, "start", names.get(i));
      }
      at += w;
    }
    int top = legendY + 14;
    double max = 0;
    for (Bar b : bars) {
      double sum = 0;
      for (double v : b.values) {
        sum += v;
      }
      max = Math.max(max, Math.max(sum, b.marker.orElse(0)));
    }
    Axis.Scale scale = axis.scale(0, max);
    int bottom = top + ROW * bars.size();
    for (Axis.Tick t : scale.ticks()) {
      double x = left + scale.fraction(t.value()) * BAR_AREA;
      svg.line(x, top, x, bottom, "#e6e6e6", "");
      svg.text(x, bottom + 17, "middle", t.label());
    }
    for (int r = 0; r < bars.size(); r++) {
      Bar b = bars.get(r);
      int y = top + r * ROW;
      svg.text(left - 6, y + 15, "end", b.label);
      double x = left;
      for (int i = 0; i < b.values.length; i++) {
        double w = scale.fraction(b.values[i]) * BAR_AREA - scale.fraction(0) * BAR_AREA;
        if (w > 0) {
          svg.rect(
              x,
              y + 3,
              w,
              ROW - 6,
              PALETTE.get(i),
              b.label
                  + " "
                  + segments.get(i)
                  + ": "
                  + Numbers.compact(b.values[i])
                  + " "
                  + axis.label());
          x += w;
        }
      }
      if (b.marker.isPresent()) {
        double mx = left + scale.fraction(b.marker.getAsDouble()) * BAR_AREA;
        svg.line(mx, y, mx, y + ROW, REFERENCE, " stroke-width=\"2\"");
      }
    }
    svg.line(left, top, left, bottom, "#000000", "");
    svg.line(left, bottom, left + BAR_AREA, bottom, "#000000", "");
    svg.text(left + BAR_AREA / 2.0, bottom + 38, "middle", axis.label());
  }

  private record Bar(String label, double[] values, OptionalDouble marker) {}

  /** Builds a {@link BarChart}. */
  public static final class Builder {
    private final String title;
    private @Nullable Axis axis;
    private boolean estimate;
    private final List<String> segments = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();
    private @Nullable String marker;

    private Builder(String title) {
      if (title.isBlank()) {
        throw new IllegalArgumentException("a chart needs a title");
      }
      this.title = title;
    }

    /** The value axis (horizontal, linear). */
    public Builder axis(Axis axis) {
      this.axis = Objects.requireNonNull(axis, "axis");
      return this;
    }

    /** Whether the values are estimates; the title says so. */
    public Builder estimate(boolean estimate) {
      this.estimate = estimate;
      return this;
    }

    /** The names of the stacked parts, in order; each gets its own colour. */
    public Builder segments(List<String> names) {
      segments.clear();
      segments.addAll(names);
      return this;
    }

    /** What the per-row marker shows, for the legend. */
    public Builder marker(String name) {
      this.marker = name;
      return this;
    }

    /** A row: its label and one value per segment (negative values are drawn as zero). */
    public Builder bar(String label, double... values) {
      return add(label, OptionalDouble.empty(), values);
    }

    /** A row with a marker at {@code markerValue}. */
    public Builder bar(String label, double markerValue, double[] values) {
      return add(label, OptionalDouble.of(markerValue), values);
    }

    private Builder add(String label, OptionalDouble markerValue, double[] values) {
      if (values.length != segments.size()) {
        throw new IllegalArgumentException(
            "bar '"
                + label
                + "' has "
                + values.length
                + " values for "
                + segments.size()
                + " segments");
      }
      double[] clipped = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        if (!Double.isFinite(values[i])) {
          throw new IllegalArgumentException("bar '" + label + "' value " + i + " is not finite");
        }
        clipped[i] = Math.max(0, values[i]);
      }
      bars.add(new Bar(label, clipped, markerValue));
      return this;
    }

    /** Returns the chart. */
    public BarChart build() {
      return new BarChart(this);
    }
  }
}
