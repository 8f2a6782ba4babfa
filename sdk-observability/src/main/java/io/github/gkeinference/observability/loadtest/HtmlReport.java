package io.github.gkeinference.observability.loadtest;

import io.github.gkeinference.observability.report.Axis;
import io.github.gkeinference.observability.report.HtmlPage;
import io.github.gkeinference.observability.report.HtmlPage.Table;
import io.github.gkeinference.observability.report.XyChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link LoadTestReport} as one HTML page (the shared {@code report} layer): the run, a
 * latency table, latency percentiles on a log scale and succeeded requests per second. Everything
 * on it is measured, nothing estimated.
 */
final class HtmlReport {
  private static final List<String> PERCENTILES = List.of("p50", "p90", "p99");

  private HtmlReport() {}

  static String render(LoadTestReport r) {
    HtmlPage page =
        HtmlPage.titled("Load test: " + r.target())
            .paragraph(
                "Model "
                    + r.model()
                    + ", "
                    + r.mode()
                    + (r.streaming() ? ", streaming" : ", not streaming")
                    + ", started "
                    + r.startedAt()
                    + ". All figures are measured by the load-test client.");
    if (r.stopReason() != null) {
      page.warning("Stopped early: " + r.stopReason());
    }
    page.table(
        Table.of(
                "Requests sent",
                "Succeeded",
                "Failed",
                "Cut short",
                "Duration (s)",
                "Requests/s",
                "Output tokens/s")
            .row(
                String.valueOf(r.requestsSent()),
                String.valueOf(r.requestsSucceeded()),
                String.valueOf(r.requestsFailed()),
                String.valueOf(r.requestsCutShort()),
                fmt(r.durationSeconds()),
                fmt(r.requestsPerSecond()),
                fmt(r.outputTokensPerSecond())));

    page.heading("Latency");
    Table latency = Table.of("Metric", "Count", "Mean ms", "p50 ms", "p90 ms", "p99 ms", "Max ms");
    Map<String, LatencySummary> rows = latencies(r);
    rows.forEach(
        (name, s) ->
            latency.row(
                name,
                String.valueOf(s.count()),
                fmt(s.meanMs()),
                fmt(s.p50Ms()),
                fmt(s.p90Ms()),
                fmt(s.p99Ms()),
                fmt(s.maxMs())));
    page.table(latency).chart(percentileChart(rows));

    page.heading("Throughput").chart(perSecondChart(r.succeededPerSecond()));

    page.heading("Errors");
    if (r.errorsByKind().isEmpty()) {
      page.paragraph("None.");
    } else {
      Table errors = Table.of("Kind", "Count", "First message").textColumns(2);
      for (ErrorKind kind : ErrorKind.values()) {
        Long n = r.errorsByKind().get(kind);
        if (n != null) {
          errors.row(kind.name(), String.valueOf(n), r.firstErrorByKind().getOrDefault(kind, ""));
        }
      }
      page.table(errors);
    }
    return page.html();
  }

  private static Map<String, LatencySummary> latencies(LoadTestReport r) {
    Map<String, LatencySummary> rows = new LinkedHashMap<>();
    rows.put("Time to first token", r.timeToFirstToken());
    rows.put("Time per output token", r.timePerOutputToken());
    rows.put("Inter-token latency", r.interTokenLatency());
    rows.put("End to end", r.endToEnd());
    return rows;
  }

  /**
   * One line per latency metric through its p50, p90 and p99, on a log-10 axis so that milliseconds
   * per token and seconds per request share it. Metrics without samples (TTFT when not streaming)
   * or with a zero percentile are left out.
   */
  static XyChart percentileChart(Map<String, LatencySummary> rows) {
    List<Axis.Tick> ticks = new ArrayList<>();
    for (int i = 0; i < PERCENTILES.size(); i++) {
      ticks.add(new Axis.Tick(i + 1, PERCENTILES.get(i)));
    }
    XyChart.Builder chart =
        XyChart.builder("Latency percentiles")
            .x(Axis.linear("percentile", "of measured requests").ticks(ticks))
            .y(Axis.log("latency", "ms, log scale", 10))
            .plotHeight(260);
    double[] xs = {1, 2, 3};
    rows.forEach(
        (name, s) -> {
          double[] ys = {s.p50Ms(), s.p90Ms(), s.p99Ms()};
          if (s.count() > 0 && ys[0] > 0) {
            chart.line(name, xs, ys);
          }
        });
    return chart.build();
  }

  static XyChart perSecondChart(List<Long> perSecond) {
    double[] xs = new double[perSecond.size()];
    double[] ys = new double[perSecond.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i + 1;
      ys[i] = perSecond.get(i);
    }
    return XyChart.builder("Succeeded requests per second")
        .x(Axis.linear("time since start", "s"))
        .y(Axis.linear("succeeded requests", "requests/s"))
        .plotHeight(220)
        .line("succeeded", xs, ys)
        .build();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
