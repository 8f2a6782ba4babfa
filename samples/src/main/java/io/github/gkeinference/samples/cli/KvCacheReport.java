package io.github.gkeinference.samples.cli;

import io.github.gkeinference.kvcache.sim.ReplicaStats;
import io.github.gkeinference.kvcache.sim.SimulationReport;
import io.github.gkeinference.observability.report.Axis;
import io.github.gkeinference.observability.report.BarChart;
import io.github.gkeinference.observability.report.HtmlPage;
import io.github.gkeinference.observability.report.HtmlPage.Table;
import io.github.gkeinference.observability.report.XyChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code kvcache simulate --report} page, drawn with sdk-observability's shared report layer:
 * the routing policies side by side (table), their prefix-cache hit rates (bars) and each replica's
 * peak KV cache usage (one line per policy). Everything on it is the simulator's output, so the
 * charts are labelled as estimates.
 */
final class KvCacheReport {
  private KvCacheReport() {}

  /** Returns the whole page. */
  static String html(int requests, int replicas, int blocks, List<SimulationReport> reports) {
    HtmlPage page =
        HtmlPage.titled(
                String.format(
                    Locale.ROOT,
                    "KV cache simulation: %d requests, %d replicas x %d blocks",
                    requests,
                    replicas,
                    blocks))
            .estimateNote(
                "Every figure comes from replaying the trace through sdk-kvcache-native's paged"
                    + " block pool with prefix caching (16 tokens per block) behind each routing"
                    + " policy: a model of a vLLM-like server's KV cache, not a measurement.");
    Table table =
        Table.of(
            "Routing",
            "Hit rate %",
            "Evictions",
            "Preemptions",
            "Completed",
            "Simulated s",
            "Peak usage per replica %");
    table.textColumns(6);
    for (SimulationReport r : reports) {
      List<String> peaks = new ArrayList<>();
      for (ReplicaStats s : r.replicas()) {
        peaks.add(String.format(Locale.ROOT, "%.0f", 100 * s.peakUsage()));
      }
      table.row(
          name(r),
          String.format(Locale.ROOT, "%.1f", 100 * r.prefixHitRate()),
          String.valueOf(r.evictions()),
          String.valueOf(r.preemptions()),
          String.valueOf(r.completed()),
          String.format(Locale.ROOT, "%.1f", r.simulatedMillis() / 1000.0),
          String.join(" ", peaks));
    }
    page.table(table);
    return page.heading("Prefix cache hits")
        .chart(hitRateChart(reports))
        .heading("Peak KV cache usage per replica")
        .chart(peakUsageChart(replicas, reports))
        .html();
  }

  static BarChart hitRateChart(List<SimulationReport> reports) {
    BarChart.Builder chart =
        BarChart.builder("Prefix cache hit rate by routing policy")
            .estimate(true)
            .axis(Axis.linear("prefix cache hits", "% of prompt tokens"))
            .segments(List.of("hit rate"));
    for (SimulationReport r : reports) {
      chart.bar(name(r), 100 * r.prefixHitRate());
    }
    return chart.build();
  }

  static XyChart peakUsageChart(int replicas, List<SimulationReport> reports) {
    List<Axis.Tick> ticks = new ArrayList<>();
    double[] xs = new double[replicas];
    for (int i = 0; i < replicas; i++) {
      xs[i] = i;
      ticks.add(new Axis.Tick(i, String.valueOf(i)));
    }
    List<Axis.Tick> percent = new ArrayList<>();
    for (int p = 0; p <= 100; p += 20) {
      percent.add(new Axis.Tick(p, String.valueOf(p)));
    }
    XyChart.Builder chart =
        XyChart.builder("Peak KV cache usage per replica")
            .estimate(true)
            .x(Axis.linear("replica", "index").ticks(ticks))
            .y(Axis.linear("peak KV cache usage", "% of blocks").ticks(percent))
            .plotHeight(240);
    for (SimulationReport r : reports) {
      double[] ys = new double[replicas];
      for (int i = 0; i < replicas && i < r.replicas().size(); i++) {
        ys[i] = 100 * r.replicas().get(i).peakUsage();
      }
      if (replicas == 1) {
        chart.point(name(r), 0, ys[0]);
      } else {
        chart.line(name(r), xs, ys);
      }
    }
    return chart.build();
  }

  private static String name(SimulationReport r) {
    return r.policy().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
