package io.github.gkeinference.observability.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link LoadTestReport} as one HTML page: no scripts, no external files. */
final class HtmlReport {
  private HtmlReport() {}

  static String render(LoadTestReport r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Load test: ")
        .append(esc(r.target()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}")
        .append("</style></head><body>\n");
    h.append("<h1>Load test</h1>\n<p>")
        .append(esc(r.target()))
        .append(" &middot; model ")
        .append(esc(r.model()))
        .append(" &middot; ")
        .append(esc(r.mode()))
        .append(r.streaming() ? " &middot; streaming" : " &middot; not streaming")
        .append(" &middot; started ")
        .append(esc(r.startedAt().toString()))
        .append("</p>\n");
    if (r.stopReason() != null) {
      h.append("<p><strong>Stopped early:</strong> ").append(esc(r.stopReason())).append("</p>\n");
    }
    h.append("<table><tr><th>Requests sent</th><th>Succeeded</th><th>Failed</th>")
        .append(
            "<th>Cut short</th><th>Duration (s)</th><th>Requests/s</th><th>Output tokens/s</th></tr>")
        .append("<tr><td>")
        .append(r.requestsSent())
        .append("</td><td>")
        .append(r.requestsSucceeded())
        .append("</td><td>")
        .append(r.requestsFailed())
        .append("</td><td>")
        .append(r.requestsCutShort())
        .append("</td><td>")
        .append(fmt(r.durationSeconds()))
        .append("</td><td>")
        .append(fmt(r.requestsPerSecond()))
        .append("</td><td>")
        .append(fmt(r.outputTokensPerSecond()))
        .append("</td></tr></table>\n");

    h.append("<h2>Latency (ms)</h2>\n<table><tr><th>Metric</th><th>Count</th><th>Mean</th>")
        .append("<th>p50</th><th>p90</th><th>p99</th><th>Max</th></tr>\n");
    Map<String, LatencySummary> rows = latencies(r);
    rows.forEach(
        (name, s) ->
            h.append("<tr><td>")
                .append(name)
                .append("</td><td>")
                .append(s.count())
                .append("</td><td>")
                .append(fmt(s.meanMs()))
                .append("</td><td>")
                .append(fmt(s.p50Ms()))
                .append("</td><td>")
                .append(fmt(s.p90Ms()))
                .append("</td><td>")
                .append(fmt(s.p99Ms()))
                .append("</td><td>")
                .append(fmt(s.maxMs()))
                .append("</td></tr>\n"));
    h.append("</table>\n");
    h.append(percentileChart(rows));

    h.append("<h2>Succeeded requests per second</h2>\n").append(lineChart(r.succeededPerSecond()));

    h.append("<h2>Errors</h2>\n");
    if (r.errorsByKind().isEmpty()) {
      h.append("<p>None.</p>\n");
    } else {
      h.append("<table><tr><th>Kind</th><th>Count</th><th>First message</th></tr>\n");
      for (ErrorKind kind : ErrorKind.values()) {
        Long n = r.errorsByKind().get(kind);
        if (n != null) {
          h.append("<tr><td>")
              .append(kind)
              .append("</td><td>")
              .append(n)
              .append("</td><td style=\"text-align:left\">")
              .append(esc(r.firstErrorByKind().getOrDefault(kind, "")))
              .append("</td></tr>\n");
        }
      }
      h.append("</table>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static Map<String, LatencySummary> latencies(LoadTestReport r) {
    Map<String, LatencySummary> rows = new java.util.LinkedHashMap<>();
    rows.put("Time to first token", r.timeToFirstToken());
    rows.put("Time per output token", r.timePerOutputToken());
    rows.put("Inter-token latency", r.interTokenLatency());
    rows.put("End to end", r.endToEnd());
    return rows;
  }

  /** Grouped bars: p50, p90 and p99 of each latency, each group scaled to its own p99. */
  private static String percentileChart(Map<String, LatencySummary> rows) {
    int width = 640;
    int rowHeight = 54;
    int height = rowHeight * rows.size() + 20;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"latency percentiles\">\n");
    String[] colors = {"#4e79a7", "#f28e2b", "#e15759"};
    String[] names = {"p50", "p90", "p99"};
    int y = 10;
    for (Map.Entry<String, LatencySummary> e : rows.entrySet()) {
      LatencySummary l = e.getValue();
      double[] values = {l.p50Ms(), l.p90Ms(), l.p99Ms()};
      double max = Math.max(l.p99Ms(), 1e-9);
      s.append("<text x=\"0\" y=\"")
          .append(y + 12)
          .append("\" font-size=\"12\">")
          .append(esc(e.getKey()))
          .append("</text>\n");
      for (int i = 0; i < 3; i++) {
        double w = l.count() == 0 ? 0 : (width - 260) * values[i] / max;
        int by = y + 16 + i * 12;
        s.append("<rect x=\"160\" y=\"")
            .append(by)
            .append("\" width=\"")
            .append(fmt(w))
            .append("\" height=\"10\" fill=\"")
            .append(colors[i])
            .append("\"/><text x=\"")
            .append(fmt(165 + w))
            .append("\" y=\"")
            .append(by + 9)
            .append("\" font-size=\"10\">")
            .append(names[i])
            .append(' ')
            .append(fmt(values[i]))
            .append(" ms</text>\n");
      }
      y += rowHeight;
    }
    return s.append("</svg>\n").toString();
  }

  private static String lineChart(List<Long> perSecond) {
    int width = 640;
    int height = 200;
    long max = 1;
    for (long v : perSecond) {
      max = Math.max(max, v);
    }
    StringBuilder points = new StringBuilder();
    int n = Math.max(perSecond.size() - 1, 1);
    for (int i = 0; i < perSecond.size(); i++) {
      double x = 40 + (width - 60) * (double) i / n;
      double y = height - 30 - (height - 50) * (double) perSecond.get(i) / max;
      points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
        + width
        + "\" height=\""
        + height
        + "\" role=\"img\" aria-label=\"succeeded requests per second\">\n"
        + "<line x1=\"40\" y1=\""
        + (height - 30)
        + "\" x2=\""
        + (width - 20)
        + "\" y2=\""
        + (height - 30)
        + "\" stroke=\"#999\"/>\n"
        + "<text x=\"0\" y=\"25\" font-size=\"10\">"
        + max
        + "/s</text><text x=\""
        + (width - 80)
        + "\" y=\""
        + (height - 10)
        + "\" font-size=\"10\">"
        + perSecond.size()
        + " s</text>\n"
        + "<polyline fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\" points=\""
        + points.toString().trim()
        + "\"/>\n</svg>\n";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
