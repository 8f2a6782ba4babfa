package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.autoscaling.simulation.PlannedConcurrency;
import io.github.gkeinference.autoscaling.simulation.ReplicaCapacity;
import io.github.gkeinference.autoscaling.simulation.TokenDistribution;
import io.github.gkeinference.autoscaling.simulation.TrafficProfile;
import io.github.gkeinference.samples.OnlineInferenceGpu;
import io.github.gkeinference.samples.SampleOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class AutoscaleCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Runs {@code autoscale recommend} over a 2-hour day peaking at 12 req/s, plus {@code args}. */
  private int recommendOverTwoHours(String... args) {
    List<String> all = new ArrayList<>(List.of("autoscale", "recommend", "--hours", "2"));
    all.addAll(List.of("--max-rps", "12"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  @Test
  void recommend_printsLimitsAndTarget_writesChart_andIsDeterministic() throws IOException {
    Path chart = tmp.resolve("chart.svg");
    String[] args = {
      "autoscale",
      "recommend",
      "--hours",
      "2",
      "--max-rps",
      "12",
      "--chart",
      chart.toString(),
      "--hpa"
    };

    int code = run(args);
    String first = out.toString();
    out.getBuffer().setLength(0);
    run(args);

    assertThat(code).isIn(GkeInferenceCli.OK, GkeInferenceCli.FINDINGS);
    assertThat(first)
        // the default sample's replica, planned, with estimated speeds: no assumed figure
        .contains("sequences per replica (fit plan: nvidia-l4 x")
        .contains("(performance model estimate)")
        .contains("minReplicas")
        .contains("maxReplicas")
        .contains("vllm:num_requests_waiting");
    assertThat(first).contains("kind: HorizontalPodAutoscaler");
    assertThat(out.toString()).isEqualTo(first);
    assertThat(Files.readString(chart)).startsWith("<svg");
  }

  @Test
  void recommend_withImpossibleInput_reportsViolations_exit2() {
    assertThat(run("autoscale", "recommend", "--percentile", "2"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(run("autoscale", "recommend", "--startup", "-1")).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .containsExactly(
            "ERROR objective.percentile: must be in (0, 1] (rejected: 2.0)",
            "ERROR simulation.podStartupSeconds: must be 0 or more (rejected: -1)");
  }

  private static final String LLAMA_8B = "meta-llama/Llama-3.1-8B-Instruct";

  /** The traffic {@link #recommendOverTwoHours} simulates: 2 to 12 req/s, 1024 + 256 tokens. */
  private static TrafficProfile twoHours() {
    return TrafficProfile.diurnal(2, 12, 7200)
        .withPromptTokens(TokenDistribution.fixed(1024))
        .withOutputTokens(TokenDistribution.fixed(256));
  }

  /**
   * The recommender's ceiling: the peak's busy sequences, {@code 12 req/s * (1024 / prefill + 256 *
   * time per output token at a full batch)}, over the sequences per replica, with
   * ScalingRecommender's 1.25 headroom.
   */
  private static int maxReplicas(ReplicaCapacity c) {
    double service =
        1024 / c.prefillTokensPerSecond() + 256 * c.timePerOutputTokenAtFullBatchSeconds();
    return (int) Math.ceil(12 * service / c.maxConcurrentSequences() * 1.25);
  }

  /**
   * The replica is the one the sample renders (the serving planner's layout), its concurrency the
   * plan's KV blocks over the blocks of one 1280-token request, its speeds the performance model's
   * for that layout: the CLI prints those figures and sizes maxReplicas from them, not from assumed
   * speeds.
   */
  @Test
  void recommend_withModelAndAccelerator_takesConcurrencyFromThePlanAndSpeedFromTheModel() {
    SampleOptions options = new SampleOptions(Optional.of(LLAMA_8B), Optional.of("nvidia-l4"));
    FitRequest request = OnlineInferenceGpu.fitRequest(options);
    FitPlan plan = OnlineInferenceGpu.plan(options);
    PlannedConcurrency c = PlannedConcurrency.of(request, plan, twoHours());
    ReplicaCapacity capacity = ReplicaCapacity.estimated(request, plan, twoHours());

    int code = recommendOverTwoHours("--model", LLAMA_8B, "--accelerator", "nvidia-l4");

    assertThat(code).as(err.toString()).isIn(GkeInferenceCli.OK, GkeInferenceCli.FINDINGS);
    assertThat(plan.devices())
        .isEqualTo(OnlineInferenceGpu.recommendation(options).fit().devices());
    assertThat(c.blocksPerRequest()).isEqualTo(1280 / 16);
    assertThat(out.toString())
        .contains(
            String.format(
                Locale.ROOT,
                "capacity      %d sequences per replica (fit plan: nvidia-l4 x%d, %d KV blocks / 80"
                    + " per 1280-token request = %d, --max-num-seqs 256)",
                c.concurrentSequences(),
                plan.devices(),
                plan.kvBlocks(),
                c.kvSequences()))
        .contains(
            String.format(
                Locale.ROOT,
                "speed         prefill %,.0f tokens/s, %.1f to %.1f ms per output token"
                    + " (performance model estimate)",
                capacity.prefillTokensPerSecond(),
                1000 * capacity.timePerOutputTokenSeconds(),
                1000 * capacity.timePerOutputTokenAtFullBatchSeconds()))
        .contains("maxReplicas   " + maxReplicas(capacity) + "\n");
    assertThat(err.toString()).isEmpty();
  }

  /**
   * --max-seqs 40 replaces the plan's concurrency and --prefill-tps/--tpot the estimated speeds: 12
   * req/s * (1024 / 8000 + 256 * 0.03) = 93.696 busy sequences / 40 = 2.342, * 1.25 = 2.928, so
   * maxReplicas 3; the batch targets are floor(40 * 0.5 .. 1.0) = 20, 24, 28, 32, 36, 40.
   */
  @Test
  void recommend_withMeasuredFigures_overridesThePlannedCapacity() {
    int code =
        recommendOverTwoHours(
            "--accelerator",
            "nvidia-l4",
            "--max-seqs",
            "40",
            "--prefill-tps",
            "8000",
            "--tpot",
            "0.03",
            "--metric",
            "batch",
            "--hpa");

    assertThat(code).isIn(GkeInferenceCli.OK, GkeInferenceCli.FINDINGS);
    assertThat(out.toString())
        .contains("capacity      40 sequences per replica (--max-seqs)")
        .contains(
            "speed         prefill 8,000 tokens/s, 30.0 to 30.0 ms per output token"
                + " (--prefill-tps, --tpot)")
        .contains("maxReplicas   3\n")
        .containsPattern("averageValue: \"(20|24|28|32|36|40)\"");
  }

  @Test
  void recommend_withUnknownModelAndAccelerator_namesBoth_exit2() {
    assertThat(run("autoscale", "recommend", "--model", "nope", "--accelerator", "nvidia-x99"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .hasSize(2)
        .satisfiesExactly(
            l -> assertThat(l).startsWith("ERROR model: must be a model of the catalog"),
            l -> assertThat(l).startsWith("ERROR accelerator: must be a GKE accelerator label"));
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void recommend_withPlanAndBadTrafficAndSpeed_listsEveryViolation_exit2() {
    // the sample (one L4, the smallest deployment that meets the chat SLO) serves 8,192 tokens;
    // 130,000 + 2,000 exceed them; a negative time per token
    assertThat(
            run(
                "autoscale",
                "recommend",
                "--accelerator",
                "nvidia-l4",
                "--prompt-tokens",
                "130000",
                "--output-tokens",
                "2000",
                "--tpot",
                "-1"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .containsExactly(
            "ERROR capacity.traffic.tokensPerRequest: the longest request (prompt max + output max)"
                + " must be at most the plan's max model len (8192), the longest sequence a server"
                + " from this plan serves (rejected: 132000)",
            "ERROR capacity.timePerOutputTokenSeconds: must be greater than zero (rejected: -1.0)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void recommend_json_holdsTheRecommendation_andTheHpaWithTheSameLimits() {
    CliRun cli = new CliRun();
    int code =
        cli.run("autoscale", "recommend", "--hours", "2", "--max-rps", "12", "--hpa", "-o", "json");

    JsonNode root = cli.json();
    assertThat(code)
        .isEqualTo(
            root.path("meetsObjective").asBoolean()
                ? GkeInferenceCli.OK
                : GkeInferenceCli.FINDINGS);
    assertThat(root.path("minReplicas").asInt())
        .isPositive()
        .isLessThanOrEqualTo(root.path("maxReplicas").asInt());
    assertThat(root.path("metric").asString()).isEqualTo("vllm:num_requests_waiting");
    assertThat(root.path("replica").path("capacitySource").asString()).startsWith("fit plan:");
    JsonNode hpa = root.path("horizontalPodAutoscaler");
    assertThat(hpa.path("kind").asString()).isEqualTo("HorizontalPodAutoscaler");
    assertThat(hpa.path("spec").path("minReplicas").asInt())
        .isEqualTo(root.path("minReplicas").asInt());
    assertThat(hpa.path("spec").path("maxReplicas").asInt())
        .isEqualTo(root.path("maxReplicas").asInt());
  }
}
