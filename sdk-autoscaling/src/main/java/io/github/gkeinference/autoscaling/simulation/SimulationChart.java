package io.github.gkeinference.autoscaling.simulation;

import java.util.Locale;

/**
 * An SVG chart of a simulation: three stacked panels over the same time axis showing load (requests
 * per second), replicas (all and ready) and queued requests. Long runs are reduced to at most
 * {@value #MAX_POINTS} points per series by taking the maximum of each bucket, so that peaks stay
 * visible. The output is deterministic.
 */
public final class SimulationChart {
  /** The most points drawn per series. */
  public static final int MAX_POINTS = 720;

  private static final int WIDTH = 900;
  private static final int PANEL = 140;
  private static final int GAP = 30;
  private static final int LEFT = 70;
  private static final int TOP = 20;

  private SimulationChart() {}

  /**
   * Returns the chart as an SVG document.
   *
   * @param result the simulation result
   * @return the SVG text
   */
  public static String svg(SimulationResult result) {
    int n = result.seconds();
    int points = Math.max(1, Math.min(MAX_POINTS, n));
    double[] load = new double[points];
    double[] replicas = new double[points];
    double[] ready = new double[points];
    double[] queue = new double[points];
    for (int i = 0; i < points; i++) {
      int from = (int) ((long) i * n / points);
      int to = Math.max(from + 1, (int) ((long) (i + 1) * n / points));
      for (int s = from; s < to && s < n; s++) {
        load[i] = Math.max(load[i], result.arrivalAt(s));
        replicas[i] = Math.max(replicas[i], result.replicasAt(s));
        ready[i] = Math.max(ready[i], result.readyAt(s));
        queue[i] = Math.max(queue[i], result.queueAt(s));
      }
    }
    int height = TOP + 3 * PANEL + 2 * GAP + 40;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append(String.format(Locale.ROOT, "<title>%s</title>%n", result));
    panel(svg, 0, "load (req/s)", max(load), new double[][] {load}, new String[] {"#1f77b4"});
    double replicaMax = max(replicas);
    panel(
        svg,
        1,
        "replicas (all, ready)",
        replicaMax,
        new double[][] {replicas, ready},
        new String[] {"#d62728", "#2ca02c"});
    panel(svg, 2, "queue (requests)", max(queue), new double[][] {queue}, new String[] {"#ff7f0e"});
    int axisY = TOP + 3 * PANEL + 2 * GAP + 20;
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d s</text>%n",
            LEFT,
            axisY,
            WIDTH - 10,
            axisY,
            n));
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void panel(
      StringBuilder svg, int index, String label, double max, double[][] series, String[] colors) {
    int top = TOP + index * (PANEL + GAP);
    int plotWidth = WIDTH - LEFT - 10;
    double scale = max <= 0 ? 1 : max;
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n"
                + "<text x=\"%d\" y=\"%d\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n",
            LEFT,
            top,
            plotWidth,
            PANEL,
            LEFT,
            top - 5,
            label,
            LEFT - 5,
            top + 12,
            format(max),
            LEFT - 5,
            top + PANEL));
    for (int s = 0; s < series.length; s++) {
      double[] values = series[s];
      svg.append("<polyline fill=\"none\" stroke=\"").append(colors[s]).append("\" points=\"");
      for (int i = 0; i < values.length; i++) {
        double x = LEFT + (values.length == 1 ? 0 : (double) i * plotWidth / (values.length - 1));
        double y = top + PANEL - values[i] / scale * PANEL;
        if (i > 0) {
          svg.append(' ');
        }
        svg.append(format(x)).append(',').append(format(y));
      }
      svg.append("\"/>\n");
    }
  }

  private static double max(double[] values) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
