package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitReport;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.plan.MemorySplit;
import io.github.gkeinference.core.model.ModelArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code plan --report} page: one self-contained HTML file (inline CSS and SVG, no scripts, no
 * external assets) with the plan table, the reasons, a memory-breakdown chart per option and a
 * chart of KV cache tokens against the max model length.
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

  /** Returns the whole page. */
  static String html(String model, FitRequest request, FitReport report) {
    ModelArchitecture a = request.architecture();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Plan for ")
        .append(esc(model))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;font-size:.9em}")
        .append("th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}")
        .append("th:first-child,td:first-child,td:nth-child(2){text-align:left}")
        .append(".no{color:#b00}.yes{color:#070}svg{font-size:12px}\n")
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>Plan for ").append(esc(model)).append("</h1>\n");
    h.append(
        String.format(
            Locale.ROOT,
            "<p>%.1f B parameters, %s, max_position_embeddings %d. KV cache dtype %s, block size %d,"
                + " gpu-memory-utilization %.2f. Memory per device in GB (10<sup>9</sup> bytes).</p>\n",
            a.totalParameters() / 1e9,
            esc(a.nativeDtype().configName()),
            a.maxPositionEmbeddings(),
            esc(request.kvCacheDtype().flag()),
            request.blockSize(),
            request.gpuMemoryUtilization()));
    table(h, report);
    h.append("<h2>Memory per device</h2>\n");
    h.append(memoryChart(report.plans()));
    h.append("<h2>KV cache tokens against max model length</h2>\n");
    h.append(
        "<p>KV cache capacity of each option that fits, planned again at each max model length;"
            + " the dashed line is the tokens one sequence of that length needs.</p>\n");
    h.append(kvChart(request, report.feasible()));
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, FitReport report) {
    h.append("<table>\n<tr><th>Accelerator</th><th>Machine</th><th>Fits</th><th>TP</th>")
        .append("<th>Device</th><th>Usable</th><th>Weights</th><th>Reserve</th><th>KV cache</th>")
        .append("<th>KV blocks</th><th>KV tokens</th><th>Max model len</th><th>Max seqs</th>")
        .append("<th>Why not</th></tr>\n");
    for (FitPlan p : report.plans()) {
      MemorySplit m = p.memory();
      h.append("<tr><td>")
          .append(esc(p.accelerator()))
          .append("</td><td>")
          .append(esc(p.machineType() + p.topology().map(t -> " (" + t + ")").orElse("")))
          .append("</td><td class=\"")
          .append(p.feasible() ? "yes\">yes" : "no\">no")
          .append("</td>");
      for (String cell :
          List.of(
              String.valueOf(p.tensorParallelism()),
              PlanCommand.gb(m.device()),
              PlanCommand.gb(m.usable()),
              PlanCommand.gb(m.weights()),
              PlanCommand.gb(m.runtimeReserve()),
              PlanCommand.gb(m.kvCache()),
              PlanCommand.count(p.kvBlocks()),
              PlanCommand.count(p.kvTokens()),
              p.maxModelLen() == 0 ? "-" : PlanCommand.count(p.maxModelLen()),
              String.valueOf(p.maxConcurrentSequences()))) {
        h.append("<td>").append(cell).append("</td>");
      }
      h.append("<td style=\"text-align:left\">")
          .append(esc(String.join("; ", p.reasons())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
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
    int height = top + rowHeight * plans.size() + 40;
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
        tokens[i] = FitPlanner.planOn(at, p.accelerator(), p.devices()).kvTokens();
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
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">max model length (tokens)</text>\n",
            left + width / 2,
            top + plot + 36));
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
      String colour = PALETTE[k % PALETTE.length];
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
