package io.github.gkeinference.observability.report;

import java.util.List;

/**
 * A chart drawn as SVG: every chart has a title, axis titles with units, one distinct colour per
 * series (from {@link #PALETTE}) and says in its title when its values are estimates.
 */
public abstract sealed class Chart permits XyChart, BarChart, Chart.Stack {
  /**
   * The series colours, in order: Tableau 10 (d3-scale-chromatic's {@code schemeTableau10}), chosen
   * to stay distinct from each other; a chart refuses more series than this.
   */
  public static final List<String> PALETTE =
      List.of(
          "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
          "#9c755f", "#bab0ac");

  /** The colour of reference lines and markers (drawn dashed, not a series). */
  public static final String REFERENCE = "#333333";

  /** What a chart of estimates adds to its title. */
  public static final String ESTIMATE_SUFFIX = " (estimates)";

  Chart() {}

  /** The chart's title as drawn above it (with {@link #ESTIMATE_SUFFIX} for estimates). */
  public abstract String title();

  /** Returns the chart as a standalone SVG document. */
  public final String svg() {
    return Svg.document(this);
  }

  abstract int width();

  abstract int height();

  /** Draws the chart's elements with its top-left corner at the origin. */
  abstract void draw(Svg svg);

  static String colour(int series, String chart) {
    if (series >= PALETTE.size()) {
      throw new IllegalArgumentException(
          "chart '"
              + chart
              + "' has more than "
              + PALETTE.size()
              + " series; draw fewer so that each keeps its own colour");
    }
    return PALETTE.get(series);
  }

  /**
   * Charts drawn one below the other in one SVG, for panels that share an x axis.
   *
   * @param title the title of the whole figure
   * @param charts the panels, top first
   * @return the stacked chart
   */
  public static Chart stack(String title, List<Chart> charts) {
    return new Stack(title, charts);
  }

  /** Panels one below the other. */
  static final class Stack extends Chart {
    private final String title;
    private final List<Chart> charts;

    Stack(String title, List<Chart> charts) {
      if (charts.isEmpty()) {
        throw new IllegalArgumentException("a stack needs at least one chart");
      }
      this.title = title;
      this.charts = List.copyOf(charts);
    }

    @Override
    public String title() {
      return title;
    }

    @Override
    int width() {
      return charts.stream().mapToInt(Chart::width).max().orElse(0);
    }

    @Override
    int height() {
      return Svg.TITLE_HEIGHT + charts.stream().mapToInt(Chart::height).sum();
    }

    @Override
    void draw(Svg svg) {
      svg.title(title);
      int y = Svg.TITLE_HEIGHT;
      for (Chart c : charts) {
        svg.raw("<g transform=\"translate(0 " + y + ")\">");
        c.draw(svg);
        svg.raw("</g>");
        y += c.height();
      }
    }
  }
}
