package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.plan.MemorySplit;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingReport;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code plan --report} page: one self-contained HTML file (inline CSS and SVG, no scripts, no
 * external assets) that leads with the recommendation (flags, why, cost), then the option table
 * with reasons, a cost-against-latency chart, a memory-breakdown chart per option and a chart of KV
 * cache tokens against the max model length. Charts draw at most {@link #MAX_SERIES} options, so no
 * two share a colour.
 */
final class PlanReport {
  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
  };
  private static final String WEIGHTS = "#4e79a7";
  private static final String RESERVE = "#f28e2b";
  private static final String KV = "#59a14f";
  private static final String HELD_BACK = "#bab0ac";

  /** The smallest max model length the KV chart plots. */
  static final int FIRST_LENGTH = 1024;

  private PlanReport() {}

  /** The most options a chart draws, so that no two share a colour. */
  static final int MAX_SERIES = 10;

  /** Returns the whole page. */
  static String html(String model, ServingReport report) {
    ServingGoal goal = report.goal();
    FitRequest request = goal.fitRequest();
    ModelArchitecture a = goal.architecture();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Plan for ")
        .append(esc(model))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;font-size:.9em}")
        .append("th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}")
        .append(".no{color:#b00}.yes{color:#070}svg{font-size:12px}\n")
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>Plan for ").append(esc(model)).append("</h1>\n");
    recommendation(h, report);
    h.append(
        String.format(
            Locale.ROOT,
            "<p>%.1f B parameters, weights %s, KV cache %s, max model len %d. Workload %d input +"
                + " %d output tokens; SLO TTFT &le; %.0f ms, NTPOT &le; %.0f ms; %s; %s prices in"
                + " %s. Speeds and costs are <b>estimates</b> of the performance model.</p>\n",
            a.totalParameters() / 1e9,
            esc(goal.weightDtype().configName()),
            esc(goal.kvCacheDtype().flag()),
            goal.maxModelLen(),
            goal.inputTokens(),
            goal.outputTokens(),
            goal.ttftMillis(),
            goal.ntpotMillis(),
            esc(goal.targetQps().map(q -> "target " + q + " QPS").orElse("one replica")),
            esc(goal.pricing()),
            esc(goal.region())));
    table(h, report);
    List<ServingOption> charted = report.feasible().stream().limit(MAX_SERIES).toList();
    h.append("<h2>Cost against latency</h2>\n");
    h.append(costChart(charted));
    h.append("<h2>Memory per device</h2>\n");
    h.append(memoryChart(report.options().stream().map(ServingOption::fit).toList()));
    h.append("<h2>KV cache tokens against max model length</h2>\n");
    h.append(
        "<p>KV cache capacity of each option that meets the goal, planned again at each max model"
            + " length; the dashed line is the tokens one sequence of that length needs: an option"
            + " runs out where its line meets it.</p>\n");
    h.append(kvChart(request, charted.stream().map(ServingOption::fit).toList()));
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void recommendation(StringBuilder h, ServingReport report) {
    Optional<ServingOption> best = report.recommendation();
    if (best.isEmpty()) {
      h.append("<p class=\"no\"><b>No option meets the goal.</b> The table says why.</p>\n");
      return;
    }
    ServingOption o = best.get();
    PerformanceEstimate e = o.estimate().orElseThrow();
    h.append("<h2>Recommendation</h2>\n<p><b>")
        .append(o.replicas())
        .append(" x ")
        .append(esc(o.name()))
        .append("</b>")
        .append(o.usdPerHour().map(p -> ", $" + PlanCommand.fmt(p) + "/hour").orElse(""))
        .append(
            o.usdPerMillionOutputTokens()
                .map(p -> ", $" + PlanCommand.fmt(p) + " per 1M output tokens")
                .orElse(""))
        .append(" (estimate).</p>\n<p>Why: the cheapest of ")
        .append(report.feasible().size())
        .append(" options that meet the goal; each replica runs ")
        .append(o.concurrency())
        .append(" sequences at an estimated TTFT of ")
        .append(PlanCommand.fmt(e.ttftSeconds() * 1000))
        .append(" ms and NTPOT of ")
        .append(PlanCommand.fmt(e.ntpotSeconds() * 1000))
        .append(" ms, ")
        .append(PlanCommand.fmt(e.outputTokensPerSecond()))
        .append(" output tokens/s, and holds ")
        .append(o.fit().maxConcurrentSequences())
        .append(" full-length sequences.</p>\n<p>vLLM flags: <code>")
        .append(esc(String.join(" ", VllmFlags.of(o.fit()))))
        .append("</code></p>\n");
  }

  private static void table(StringBuilder h, ServingReport report) {
    h.append("<table>\n<tr><th>Option</th><th>OK</th><th>TP</th><th>PP</th><th>Hosts</th>")
        .append("<th>Weights GB/device</th><th>KV tokens</th><th>Full seqs</th>")
        .append("<th>Concurrency</th><th>TTFT ms</th><th>NTPOT ms</th><th>Tokens/s</th>")
        .append("<th>QPS</th><th>Replicas</th><th>$/hour total</th><th>$/1M tokens</th>")
        .append("<th style=\"text-align:left\">Why not</th></tr>\n");
    for (ServingOption o : report.options()) {
      FitPlan p = o.fit();
      Optional<PerformanceEstimate> e = o.estimate();
      h.append("<tr><td>")
          .append(esc(o.name()))
          .append("</td><td class=\"")
          .append(o.feasible() ? "yes\">yes" : "no\">no")
          .append("</td>");
      for (String cell :
          List.of(
              String.valueOf(p.tensorParallelism()),
              String.valueOf(p.pipelineParallelism()),
              String.valueOf(p.hosts()),
              PlanCommand.gb(p.memory().weights()),
              PlanCommand.count(p.kvTokens()),
              String.valueOf(p.maxConcurrentSequences()),
              String.valueOf(o.concurrency()),
              e.map(x -> PlanCommand.fmt(x.ttftSeconds() * 1000)).orElse("-"),
              e.map(x -> PlanCommand.fmt(x.ntpotSeconds() * 1000)).orElse("-"),
              e.map(x -> PlanCommand.fmt(x.outputTokensPerSecond())).orElse("-"),
              e.map(x -> PlanCommand.fmt(x.requestsPerSecond())).orElse("-"),
              o.feasible() ? String.valueOf(o.replicas()) : "-",
              o.usdPerHour().map(PlanCommand::fmt).orElse("-"),
              o.usdPerMillionOutputTokens().map(PlanCommand::fmt).orElse("-"))) {
        h.append("<td>").append(cell).append("</td>");
      }
      h.append("<td style=\"text-align:left\">")
          .append(esc(String.join("; ", o.reasons())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /**
   * A scatter of the options that meet the goal: estimated NTPOT (x, ms) against $/1M output tokens
   * (y), one colour per option.
   */
  static String costChart(List<ServingOption> options) {
    int left = 80;
    int width = 560;
    int top = 20;
    int plot = 300;
    StringBuilder s =
        svgOpen(left + width + 320, top + plot + 50, "Cost per 1M output tokens against NTPOT");
    List<ServingOption> priced =
        options.stream().filter(o -> o.usdPerMillionOutputTokens().isPresent()).toList();
    if (priced.isEmpty()) {
      s.append("<text x=\"20\" y=\"40\">No priced option meets the goal.</text>\n");
      return s.append("</svg>\n").toString();
    }
    double xMax = 0;
    double yMax = 0;
    for (ServingOption o : priced) {
      xMax = Math.max(xMax, o.estimate().orElseThrow().ntpotSeconds() * 1000);
      yMax = Math.max(yMax, o.usdPerMillionOutputTokens().orElseThrow());
    }
    xMax *= 1.1;
    yMax *= 1.1;
    axes(s, left, width, top, plot, "estimated NTPOT (ms)", "$ per 1M output tokens");
    for (int t = 0; t <= 4; t++) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
              left + width * t / 4.0,
              top + plot + 16,
              PlanCommand.fmt(xMax * t / 4),
              left - 6,
              top + plot - plot * t / 4.0 + 4,
              PlanCommand.fmt(yMax * t / 4)));
    }
    for (int k = 0; k < priced.size(); k++) {
      ServingOption o = priced.get(k);
      double x = left + o.estimate().orElseThrow().ntpotSeconds() * 1000 / xMax * width;
      double y = top + plot - o.usdPerMillionOutputTokens().orElseThrow() / yMax * plot;
      String colour = PALETTE[k];
      s.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"><title>%s</title></circle>\n"
                  + "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>\n",
              x,
              y,
              colour,
              esc(o.name()),
              left + width + 20,
              top + k * 18,
              colour,
              left + width + 38,
              top + k * 18 + 11,
              esc(o.name())));
    }
    return s.append("</svg>\n").toString();
  }

  private static void axes(
      StringBuilder s, int left, int width, int top, int plot, String xTitle, String yTitle) {
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n"
                + "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14"
                + " %d)\">%s</text>\n",
            left,
            top,
            left,
            top + plot,
            left,
            top + plot,
            left + width,
            top + plot,
            left + width / 2,
            top + plot + 36,
            esc(xTitle),
            top + plot / 2,
            top + plot / 2,
            esc(yTitle)));
  }

  /**
   * Horizontal stacked bars, one per option: weights, runtime reserve, KV cache and the memory vLLM
   * holds back ({@code device - usable}), all per device and on one scale.
   */
  static String memoryChart(List<FitPlan> plans) {
    int labelWidth = 220;
    int barWidth = 560;
    int rowHeight = 22;
    int top = 30;
    int height = top + rowHeight * plans.size() + 56;
    double max = 1;
    for (FitPlan p : plans) {
      MemorySplit m = p.memory();
      max = Math.max(max, Math.max(m.device(), m.weights() + m.runtimeReserve()));
    }
    StringBuilder s = svgOpen(labelWidth + barWidth + 20, height, "Memory per device by option");
    legend(
        s,
        labelWidth,
        14,
        List.of("weights", "runtime reserve", "KV cache", "held back"),
        List.of(WEIGHTS, RESERVE, KV, HELD_BACK));
    for (int i = 0; i < plans.size(); i++) {
      FitPlan p = plans.get(i);
      MemorySplit m = p.memory();
      int y = top + i * rowHeight;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>%s x%d</text>\n",
              labelWidth - 6,
              y + 14,
              p.feasible() ? "" : " fill=\"#b00\"",
              esc(p.accelerator()),
              p.devices()));
      double x = labelWidth;
      long[] parts = {
        m.weights(),
        m.runtimeReserve(),
        Math.max(0, m.kvCache()),
        Math.max(0, m.device() - m.usable())
      };
      String[] colours = {WEIGHTS, RESERVE, KV, HELD_BACK};
      String[] names = {"weights", "runtime reserve", "KV cache", "held back"};
      for (int k = 0; k < parts.length; k++) {
        double w = parts[k] / max * barWidth;
        if (w <= 0) {
          continue;
        }
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s x%d"
                    + " %s: %s GB</title></rect>\n",
                x,
                y,
                w,
                rowHeight - 6,
                colours[k],
                esc(p.accelerator()),
                p.devices(),
                names[k],
                PlanCommand.gb(parts[k])));
        x += w;
      }
      double device = labelWidth + m.device() / max * barWidth;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n",
              device,
              device,
              y - 2,
              y + rowHeight - 4));
    }
    int axisY = top + rowHeight * plans.size() + 4;
    for (int t = 0; t <= 4; t++) {
      double value = max * t / 4;
      double x = labelWidth + barWidth * t / 4.0;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s GB</text>\n",
              x,
              axisY + 14,
              PlanCommand.gb((long) value)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">memory per device (GB, 10^9"
                + " bytes)</text>\n",
            labelWidth + barWidth / 2,
            axisY + 32));
    return s.append("</svg>\n").toString();
  }

  /**
   * One line per feasible option: its KV cache tokens when planned at max model lengths 1024, 2048,
   * ... up to the model's max_position_embeddings (log-2 x axis), with the dashed line {@code
   * tokens = max model length} (one sequence).
   */
  static String kvChart(FitRequest request, List<FitPlan> feasible) {
    int maxPos = request.architecture().maxPositionEmbeddings();
    List<Integer> lengths = lengths(maxPos);
    int left = 80;
    int width = 560;
    int top = 20;
    int plot = 300;
    StringBuilder s =
        svgOpen(left + width + 240, top + plot + 50, "KV cache tokens against max model length");
    if (feasible.isEmpty() || lengths.isEmpty()) {
      s.append("<text x=\"20\" y=\"40\">No option fits this model.</text>\n");
      return s.append("</svg>\n").toString();
    }
    List<long[]> series = new ArrayList<>();
    long max = lengths.get(lengths.size() - 1);
    for (FitPlan p : feasible) {
      long[] tokens = new long[lengths.size()];
      for (int i = 0; i < lengths.size(); i++) {
        FitRequest at = request.toBuilder().maxModelLen(lengths.get(i)).build();
        tokens[i] = FitPlanner.planOn(at, p).kvTokens();
        max = Math.max(max, tokens[i]);
      }
      series.add(tokens);
    }
    double yMax = max * 1.05;
    double logFirst = log2(lengths.get(0));
    double logSpan = Math.max(1, log2(lengths.get(lengths.size() - 1)) - logFirst);
    // axes and ticks
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n",
            left,
            top,
            left,
            top + plot,
            left,
            top + plot,
            left + width,
            top + plot));
    for (int len : lengths) {
      double x = left + (log2(len) - logFirst) / logSpan * width;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
              x,
              top + plot + 16,
              len >= 1024 && len % 1024 == 0 ? (len / 1024) + "k" : String.valueOf(len)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">max model length (tokens)</text>\n"
                + "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14"
                + " %d)\">KV cache capacity (tokens)</text>\n",
            left + width / 2,
            top + plot + 36,
            top + plot / 2,
            top + plot / 2));
    for (int t = 0; t <= 4; t++) {
      double value = yMax * t / 4;
      double y = top + plot - plot * t / 4.0;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
              left - 6,
              y + 4,
              PlanCommand.count((long) value)));
    }
    // one sequence: tokens = length
    s.append("<polyline fill=\"none\" stroke=\"#555\" stroke-dasharray=\"5,4\" points=\"");
    for (int len : lengths) {
      s.append(point(left, width, top, plot, logFirst, logSpan, yMax, len, len));
    }
    s.append("\"><title>one sequence of max model length</title></polyline>\n");
    for (int k = 0; k < series.size(); k++) {
      FitPlan p = feasible.get(k);
      String colour = PALETTE[k];
      String name = p.accelerator() + " x" + p.devices();
      s.append("<polyline fill=\"none\" stroke=\"")
          .append(colour)
          .append("\" stroke-width=\"2\" points=\"");
      for (int i = 0; i < lengths.size(); i++) {
        s.append(
            point(
                left, width, top, plot, logFirst, logSpan, yMax, lengths.get(i), series.get(k)[i]));
      }
      s.append("\"><title>").append(esc(name)).append("</title></polyline>\n");
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>\n",
              left + width + 20,
              top + k * 18,
              colour,
              left + width + 38,
              top + k * 18 + 11,
              esc(name)));
    }
    return s.append("</svg>\n").toString();
  }

  /** Powers of two from {@link #FIRST_LENGTH} below {@code maxPos}, then {@code maxPos} itself. */
  static List<Integer> lengths(int maxPos) {
    List<Integer> lengths = new ArrayList<>();
    for (long len = FIRST_LENGTH; len < maxPos; len *= 2) {
      lengths.add((int) len);
    }
    lengths.add(maxPos);
    return lengths;
  }

  private static String point(
      int left,
      int width,
      int top,
      int plot,
      double logFirst,
      double logSpan,
      double yMax,
      long length,
      long tokens) {
    double x = left + (log2(length) - logFirst) / logSpan * width;
    double y = top + plot - tokens / yMax * plot;
    return String.format(Locale.ROOT, "%.1f,%.1f ", x, y);
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static StringBuilder svgOpen(int width, int height, String title) {
    return new StringBuilder()
        .append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0"
                    + " %d %d\" role=\"img\" aria-label=\"%s\">\n<title>%s</title>\n",
                width,
                height,
                width,
                height,
                esc(title),
                esc(title)));
  }

  private static void legend(
      StringBuilder s, int x, int y, List<String> names, List<String> colours) {
    int at = x;
    for (int i = 0; i < names.size(); i++) {
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>\n",
              at,
              y - 10,
              colours.get(i),
              at + 16,
              y,
              esc(names.get(i))));
      at += 30 + names.get(i).length() * 7;
    }
  }

  /** Escapes text for HTML and SVG. */
  static String esc(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
