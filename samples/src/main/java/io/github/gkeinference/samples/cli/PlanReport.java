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
import io.github.gkeinference.observability.report.Axis;
import io.github.gkeinference.observability.report.BarChart;
import io.github.gkeinference.observability.report.Chart;
import io.github.gkeinference.observability.report.HtmlPage;
import io.github.gkeinference.observability.report.HtmlPage.Table;
import io.github.gkeinference.observability.report.XyChart;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code plan --report} page, drawn with sdk-observability's shared report layer: one
 * self-contained HTML file (inline CSS and SVG, no scripts, no external assets) that leads with the
 * recommendation (flags, why, cost), then the option table with reasons, a cost-against-latency
 * chart, a memory-breakdown chart per option and a chart of KV cache tokens against the max model
 * length. Every number on it comes from the performance model and fit planner, so each chart is
 * labelled as estimates. Charts draw at most {@link #MAX_SERIES} options, so no two share a colour.
 */
final class PlanReport {
  /** The smallest max model length the KV chart plots. */
  static final int FIRST_LENGTH = 1024;

  /** The most options a chart draws, so that no two share a colour. */
  static final int MAX_SERIES = Chart.PALETTE.size();

  private static final List<String> MEMORY_PARTS =
      List.of("weights", "runtime reserve", "KV cache", "held back");

  /**
   * The memory parts with LoRA adapter slots and a draft model: the draft's KV cache is the part of
   * the KV blocks its layers hold, drawn apart from the target's. Short names, so that the seven
   * fit the legend's one line; the chart's title and the paragraph above it say they are estimates.
   */
  private static final List<String> MEMORY_PARTS_WITH_ADAPTERS =
      List.of(
          "weights",
          "runtime reserve",
          "LoRA adapters",
          "draft weights",
          "draft KV cache",
          "KV cache",
          "held back");

  private PlanReport() {}

  /** Returns the whole page. */
  static String html(String model, ServingReport report) {
    ServingGoal goal = report.goal();
    FitRequest request = goal.fitRequest();
    ModelArchitecture a = goal.architecture();
    HtmlPage page = HtmlPage.titled("Plan for " + model);
    recommendation(page, report);
    page.paragraph(
            String.format(
                Locale.ROOT,
                "%.1f B parameters, weights %s, KV cache %s, max model len %d. Workload %d input +"
                    + " %d output tokens; SLO TTFT \u2264 %.0f ms, NTPOT \u2264 %.0f ms; %s; %s"
                    + " prices in %s.",
                a.totalParameters() / 1e9,
                goal.weightDtype().configName(),
                goal.kvCacheDtype().flag(),
                goal.maxModelLen(),
                goal.inputTokens(),
                goal.outputTokens(),
                goal.ttftMillis(),
                goal.ntpotMillis(),
                PlanCommand.fmt(goal.targetQps(), q -> "target " + q + " QPS", "one replica"),
                goal.pricing(),
                goal.region()))
        .estimateNote(
            "Speeds, costs, memory and KV cache capacity on this page are estimates of the SDK's"
                + " performance model and fit planner, not measurements; run gke-inference bench"
                + " against a deployed server to measure.");
    page.heading("Options").table(table(report));
    List<ServingOption> charted = report.feasible().stream().limit(MAX_SERIES).toList();
    page.heading("Cost against latency").chart(costChart(charted));
    page.heading("Memory per device");
    if (goal.lora().isPresent() || goal.draft().isPresent()) {
      page.paragraph(
          "LoRA adapter slots"
              + goal.lora()
                  .map(l -> " (" + l.maxLoras() + " x rank " + l.maxLoraRank() + ")")
                  .orElse("")
              + " and the draft model's weights and KV cache are taken out of the KV cache"
              + " budget; they are estimates. LoRA on MoE experts, MLA projections, embeddings"
              + " and the LM head is not counted, nor are adapters cached in host memory.");
    }
    page.chart(memoryChart(report.options().stream().map(ServingOption::fit).toList()));
    page.heading("KV cache tokens against max model length")
        .paragraph(
            "KV cache capacity of each option that meets the goal, planned again at each max model"
                + " length; the dashed line is the tokens one sequence of that length needs: an"
                + " option runs out where its line meets it.")
        .chart(kvChart(request, charted.stream().map(ServingOption::fit).toList()));
    return page.html();
  }

  private static void recommendation(HtmlPage page, ServingReport report) {
    Optional<ServingOption> best = report.recommendation();
    if (best.isEmpty()) {
      page.warning("No option meets the goal. The table says why.");
      return;
    }
    ServingOption o = best.get();
    PerformanceEstimate e = o.estimate().orElseThrow();
    page.heading("Recommendation")
        .lead(
            o.replicas()
                + " x "
                + o.name()
                + PlanCommand.fmt(o.usdPerHour(), p -> ", $" + PlanCommand.fmt(p) + "/hour", "")
                + PlanCommand.fmt(
                    o.usdPerMillionOutputTokens(),
                    p -> ", $" + PlanCommand.fmt(p) + " per 1M output tokens",
                    "")
                + " ("
                + o.basis()
                + ").")
        .paragraph(
            "Why: first of the "
                + report.feasible().size()
                + " options that meet the goal. "
                + report.rankingRule()
                + " Each replica runs "
                + o.concurrency()
                + " sequences at an estimated TTFT of "
                + PlanCommand.fmt(e.ttftSeconds() * 1000)
                + " ms and NTPOT of "
                + PlanCommand.fmt(e.ntpotSeconds() * 1000)
                + " ms, "
                + PlanCommand.fmt(e.outputTokensPerSecond())
                + " output tokens/s, and holds "
                + o.fit().maxConcurrentSequences()
                + " full-length sequences.");
    if (!o.notes().isEmpty()) {
      page.paragraph("Notes: " + String.join("; ", o.notes()) + ".");
    }
    page.code("vLLM flags:", String.join(" ", VllmFlags.of(o.fit())));
  }

  private static Table table(ServingReport report) {
    Table t =
        Table.of(
                "Option",
                "OK",
                "TP",
                "PP",
                "Hosts",
                "Weights GB/device",
                "KV tokens",
                "Full seqs",
                "Concurrency",
                "TTFT ms",
                "NTPOT ms",
                "Tokens/s",
                "QPS",
                "Replicas",
                "$/hour total",
                "$/1M tokens",
                "Why not")
            .textColumns(1, 16);
    for (ServingOption o : report.options()) {
      FitPlan p = o.fit();
      Optional<PerformanceEstimate> e = o.estimate();
      t.row(
          o.name(),
          o.feasible() ? "yes" : "no",
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
          PlanCommand.fmt(o.usdPerHour(), PlanCommand::fmt, "-"),
          PlanCommand.fmt(o.usdPerMillionOutputTokens(), PlanCommand::fmt, "-"),
          String.join("; ", o.reasons()));
    }
    return t;
  }

  /**
   * A scatter of the priced options that meet the goal: estimated NTPOT (x, ms) against $/1M output
   * tokens (y), one colour per option.
   */
  static Chart costChart(List<ServingOption> options) {
    XyChart.Builder chart =
        XyChart.builder("Cost per 1M output tokens against NTPOT")
            .estimate(true)
            .x(Axis.linear("estimated NTPOT", "ms"))
            .y(Axis.linear("estimated cost", "$ per 1M output tokens"));
    for (ServingOption o : options) {
      if (o.usdPerMillionOutputTokens().isPresent() && o.estimate().isPresent()) {
        chart.point(
            o.name(),
            o.estimate().orElseThrow().ntpotSeconds() * 1000,
            o.usdPerMillionOutputTokens().orElseThrow());
      }
    }
    return chart.build();
  }

  /**
   * Horizontal stacked bars, one per option: weights, runtime reserve, KV cache and the memory vLLM
   * holds back ({@code device - usable}), all per device and on one scale; the dark tick is the
   * device's memory.
   */
  static Chart memoryChart(List<FitPlan> plans) {
    // LoRA slots and a draft model get their own segments (and colours) when a plan has them
    boolean adapters =
        plans.stream()
            .map(FitPlan::memory)
            .anyMatch(m -> m.loraAdapters() > 0 || m.draftWeights() > 0 || m.draftKvCache() > 0);
    BarChart.Builder chart =
        BarChart.builder("Memory per device by option")
            .estimate(true)
            .axis(Axis.linear("memory per device", "GB, 10^9 bytes"))
            .segments(adapters ? MEMORY_PARTS_WITH_ADAPTERS : MEMORY_PARTS)
            .marker("device memory");
    for (FitPlan p : plans) {
      MemorySplit m = p.memory();
      double heldBack = Math.max(0, m.device() - m.usable()) / 1e9;
      long kv = Math.max(0, m.kvCache());
      long draftKv = Math.min(kv, m.draftKvCache());
      chart.bar(
          p.accelerator() + " x" + p.devices() + (p.feasible() ? "" : " (does not fit)"),
          m.device() / 1e9,
          adapters
              ? new double[] {
                m.weights() / 1e9,
                m.runtimeReserve() / 1e9,
                m.loraAdapters() / 1e9,
                m.draftWeights() / 1e9,
                draftKv / 1e9,
                (kv - draftKv) / 1e9,
                heldBack
              }
              : new double[] {m.weights() / 1e9, m.runtimeReserve() / 1e9, kv / 1e9, heldBack});
    }
    return chart.build();
  }

  /**
   * One line per feasible option: its KV cache tokens when planned at max model lengths 1024, 2048,
   * ... up to the model's max_position_embeddings (log-2 x axis), with the dashed line {@code
   * tokens = max model length} (one sequence).
   */
  static Chart kvChart(FitRequest request, List<FitPlan> feasible) {
    List<Integer> lengths = lengths(request.architecture().maxPositionEmbeddings());
    List<Axis.Tick> ticks = new ArrayList<>();
    double[] xs = new double[lengths.size()];
    for (int i = 0; i < xs.length; i++) {
      int len = lengths.get(i);
      xs[i] = len;
      ticks.add(new Axis.Tick(len, len % 1024 == 0 ? (len / 1024) + "k" : String.valueOf(len)));
    }
    XyChart.Builder chart =
        XyChart.builder("KV cache tokens against max model length")
            .estimate(true)
            .x(Axis.log("max model length", "tokens, log scale", 2).ticks(ticks))
            .y(Axis.linear("KV cache capacity", "tokens"));
    if (!feasible.isEmpty()) {
      chart.reference("one sequence (tokens = length)", xs, xs);
    }
    for (FitPlan p : feasible) {
      double[] tokens = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        FitRequest at = request.toBuilder().maxModelLen(lengths.get(i)).build();
        tokens[i] = FitPlanner.planOn(at, p).kvTokens();
      }
      chart.line(p.accelerator() + " x" + p.devices(), xs, tokens);
    }
    return chart.build();
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
}
