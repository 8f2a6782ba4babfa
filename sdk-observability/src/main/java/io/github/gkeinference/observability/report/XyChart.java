package io.github.gkeinference.observability.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A chart of numbers against numbers: lines, single labelled points and dashed reference lines on
 * two {@link Axis axes}, with a legend on the right.
 *
 * <pre>{@code
 * Chart c = XyChart.builder("Succeeded requests per second")
 *     .x(Axis.linear("time since start", "s"))
 *     .y(Axis.linear("succeeded requests", "requests/s"))
 *     .line("succeeded", seconds, counts)
 *     .build();
 * }</pre>
 */
public final class XyChart extends Chart {
  private static final int LEFT = 84;
  private static final int BOTTOM = 50;
  private static final int GAP = 24;

  private final String title;
  private final Axis x;
  private final Axis y;
  private final List<Series> series;
  private final int plotWidth;
  private final int plotHeight;

  private XyChart(Builder b) {
    this.title = b.title + (b.estimate ? ESTIMATE_SUFFIX : "");
    this.x = Objects.requireNonNull(b.x, () -> "chart '" + b.title + "' needs an x axis");
    this.y = Objects.requireNonNull(b.y, () -> "chart '" + b.title + "' needs a y axis");
    this.series = List.copyOf(b.series);
    this.plotWidth = b.plotWidth;
    this.plotHeight = b.plotHeight;
    int coloured = 0;
    for (Series s : series) {
      if (s.kind != Kind.REFERENCE) {
        colour(coloured++, b.title);
      }
    }
  }

  /** Starts a chart with this title. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  int width() {
    return LEFT + plotWidth + GAP + legendWidth();
  }

  @Override
  int height() {
    return Svg.TITLE_HEIGHT + 10 + plotHeight + BOTTOM;
  }

  private int legendWidth() {
    int w = 0;
    for (Series s : series) {
      w = Math.max(w, Svg.textWidth(s.name) + 30);
    }
    return Math.max(w, 100);
  }

  @Override
  void draw(Svg svg) {
    svg.title(title);
    int top = Svg.TITLE_HEIGHT + 10;
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs.length; i++) {
        xMin = Math.min(xMin, s.xs[i]);
        xMax = Math.max(xMax, s.xs[i]);
        yMin = Math.min(yMin, s.ys[i]);
        yMax = Math.max(yMax, s.ys[i]);
      }
    }
    if (xMin > xMax) {
      svg.text(LEFT, top + 20, "start", "No data to draw.");
      return;
    }
    Axis.Scale sx = x.scale(xMin, xMax);
    Axis.Scale sy = y.scale(yMin, yMax);
    int bottom = top + plotHeight;
    for (Axis.Tick t : sy.ticks()) {
      double py = bottom - sy.fraction(t.value()) * plotHeight;
      svg.line(LEFT, py, LEFT + plotWidth, py, "#e6e6e6", "");
      svg.text(LEFT - 6, py + 4, "end", t.label());
    }
    for (Axis.Tick t : sx.ticks()) {
      double px = LEFT + sx.fraction(t.value()) * plotWidth;
      svg.line(px, bottom, px, bottom + 4, "#000000", "");
      svg.text(px, bottom + 17, "middle", t.label());
    }
    svg.line(LEFT, top, LEFT, bottom, "#000000", "");
    svg.line(LEFT, bottom, LEFT + plotWidth, bottom, "#000000", "");
    svg.text(LEFT + plotWidth / 2.0, bottom + 38, "middle", x.label());
    svg.verticalText(16, top + plotHeight / 2.0, y.label());
    int coloured = 0;
    int legendY = top + 12;
    for (Series s : series) {
      String colour = s.kind == Kind.REFERENCE ? REFERENCE : PALETTE.get(coloured++);
      double[] points = new double[s.xs.length * 2];
      for (int i = 0; i < s.xs.length; i++) {
        points[2 * i] = LEFT + sx.fraction(s.xs[i]) * plotWidth;
        points[2 * i + 1] = bottom - sy.fraction(s.ys[i]) * plotHeight;
      }
      int legendX = LEFT + plotWidth + GAP;
      switch (s.kind) {
        case POINT -> {
          svg.circle(points[0], points[1], 6, colour, s.name + ": " + s.tooltip(x, y, 0));
          svg.legendEntry(legendX, legendY, colour, s.name);
        }
        case LINE -> {
          svg.polyline(points, colour, " stroke-width=\"2\"", s.name);
          svg.line(legendX, legendY - 4, legendX + 12, legendY - 4, colour, " stroke-width=\"3\"");
          svg.text(legendX + 18, legendY, "start", s.name);
        }
        case REFERENCE -> {
          svg.polyline(points, colour, DASHED, s.name);
          svg.line(legendX, legendY - 4, legendX + 12, legendY - 4, colour, DASHED);
          svg.text(legendX + 18, legendY, "start", s.name);
        }
      }
      legendY += 18;
    }
  }

  private static final String DASHED = " stroke-width=\"1.5\" stroke-dasharray=\"5,4\"";

  enum Kind {
    LINE,
    POINT,
    REFERENCE
  }

  private record Series(String name, Kind kind, double[] xs, double[] ys) {
    String tooltip(Axis x, Axis y, int i) {
      return Numbers.compact(xs[i])
          + " "
          + x.label()
          + ", "
          + Numbers.compact(ys[i])
          + " "
          + y.label();
    }
  }

  /** Builds an {@link XyChart}. */
  public static final class Builder {
    private final String title;
    private @Nullable Axis x;
    private @Nullable Axis y;
    private boolean estimate;
    private int plotWidth = 600;
    private int plotHeight = 300;
    private final List<Series> series = new ArrayList<>();

    private Builder(String title) {
      if (title.isBlank()) {
        throw new IllegalArgumentException("a chart needs a title");
      }
      this.title = title;
    }

    /** The horizontal axis. */
    public Builder x(Axis axis) {
      this.x = Objects.requireNonNull(axis, "axis");
      return this;
    }

    /** The vertical axis. */
    public Builder y(Axis axis) {
      this.y = Objects.requireNonNull(axis, "axis");
      return this;
    }

    /** Whether the values are estimates (a model's output, not measurements); the title says so. */
    public Builder estimate(boolean estimate) {
      this.estimate = estimate;
      return this;
    }

    /**
     * The plot area's width; default 600. The legend sits to its right, so charts of one width line
     * up in a {@link Chart#stack stack}.
     */
    public Builder plotWidth(int plotWidth) {
      if (plotWidth < 200) {
        throw new IllegalArgumentException("plotWidth must be at least 200, got " + plotWidth);
      }
      this.plotWidth = plotWidth;
      return this;
    }

    /** The plot area's height; default 300. */
    public Builder plotHeight(int plotHeight) {
      if (plotHeight < 60) {
        throw new IllegalArgumentException("plotHeight must be at least 60, got " + plotHeight);
      }
      this.plotHeight = plotHeight;
      return this;
    }

    /** A line through the points {@code (xs[i], ys[i])}, in the next series colour. */
    public Builder line(String name, double[] xs, double[] ys) {
      return add(name, Kind.LINE, xs, ys);
    }

    /** One labelled point, in the next series colour. */
    public Builder point(String name, double xValue, double yValue) {
      return add(name, Kind.POINT, new double[] {xValue}, new double[] {yValue});
    }

    /** A dashed reference line (a limit, not a series): dark grey, not counted as a colour. */
    public Builder reference(String name, double[] xs, double[] ys) {
      return add(name, Kind.REFERENCE, xs, ys);
    }

    private Builder add(String name, Kind kind, double[] xs, double[] ys) {
      if (xs.length != ys.length) {
        throw new IllegalArgumentException(
            "series '" + name + "' has " + xs.length + " x values but " + ys.length + " y values");
      }
      for (int i = 0; i < xs.length; i++) {
        if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
          throw new IllegalArgumentException(
              "series '" + name + "' point " + i + " is not finite: " + xs[i] + ", " + ys[i]);
        }
      }
      series.add(new Series(name, kind, xs.clone(), ys.clone()));
      return this;
    }

    /** Returns the chart; fails without both axes or with more series than colours. */
    public XyChart build() {
      return new XyChart(this);
    }
  }
}
