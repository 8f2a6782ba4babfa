package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.observability.report.Axis;
import io.github.gkeinference.observability.report.Chart;
import io.github.gkeinference.observability.report.XyChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG chart of a simulation (drawn with sdk-observability's shared {@code report} charts): three
 * panels over the same time axis showing load (requests per second), replicas (all and ready) and
 * queued requests, each with axis titles and units; replicas and queue are the simulator's output
 * and are labelled as estimates. Long runs are reduced to at most {@value #MAX_POINTS} points per
 * series by taking the maximum of each bucket, so that peaks stay visible. The output is
 * deterministic.
 */
public final class SimulationChart {
  /** The most points drawn per series. */
  public static final int MAX_POINTS = 720;

  private static final int PANEL = 150;
  private static final int PLOT_WIDTH = 720;

  private SimulationChart() {}

  /**
   * Returns the chart as an SVG document.
   *
   * @param result the simulation result
   * @return the SVG text
   */
  public static String svg(SimulationResult result) {
    return chart(result).svg();
  }

  /**
   * Returns the chart, for embedding in an HTML report page.
   *
   * @param result the simulation result
   * @return the three panels, stacked, over one time axis in hours
   */
  public static Chart chart(SimulationResult result) {
    int n = result.seconds();
    int points = Math.max(1, Math.min(MAX_POINTS, n));
    double[] time = new double[points];
    double[] load = new double[points];
    double[] replicas = new double[points];
    double[] ready = new double[points];
    double[] queue = new double[points];
    for (int i = 0; i < points; i++) {
      int from = (int) ((long) i * n / points);
      int to = Math.max(from + 1, (int) ((long) (i + 1) * n / points));
      time[i] = from / 3600.0;
      for (int s = from; s < to && s < n; s++) {
        load[i] = Math.max(load[i], result.arrivalAt(s));
        replicas[i] = Math.max(replicas[i], result.replicasAt(s));
        ready[i] = Math.max(ready[i], result.readyAt(s));
        queue[i] = Math.max(queue[i], result.queueAt(s));
      }
    }
    Axis x = Axis.linear("simulated time", "hours").ticks(hourTicks(n / 3600.0));
    return Chart.stack(
        String.format(
            Locale.ROOT,
            "Simulated autoscaling: SLO attainment %.1f%%, peak %d replicas, %.1f replica-hours",
            100 * result.sloAttainment(),
            result.peakReplicas(),
            result.replicaHours()),
        List.of(
            panel("Load", x, Axis.linear("load", "requests/s")).line("load", time, load).build(),
            panel("Replicas", x, Axis.linear("replicas", "pods"))
                .estimate(true)
                .line("all replicas", time, replicas)
                .line("ready replicas", time, ready)
                .build(),
            panel("Queue", x, Axis.linear("queued", "requests"))
                .estimate(true)
                .line("queued requests", time, queue)
                .build()));
  }

  private static XyChart.Builder panel(String title, Axis x, Axis y) {
    return XyChart.builder(title).x(x).y(y).plotHeight(PANEL).plotWidth(PLOT_WIDTH);
  }

  /** Ticks every hour up to 12 hours, then every 2, 3, 6, 12 or 24 hours: at most 12 ticks. */
  static List<Axis.Tick> hourTicks(double hours) {
    int step = 1;
    for (int s : new int[] {1, 2, 3, 6, 12, 24}) {
      step = s;
      if (hours / s <= 12) {
        break;
      }
    }
    while (hours / step > 12) {
      step *= 2;
    }
    List<Axis.Tick> ticks = new ArrayList<>();
    for (int h = 0; h < hours + step - 1e-9; h += step) {
      ticks.add(new Axis.Tick(h, String.valueOf(h)));
    }
    return ticks;
  }
}
