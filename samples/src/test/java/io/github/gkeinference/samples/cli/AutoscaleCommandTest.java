package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        .contains("capacity      64 sequences per replica (assumed default)")
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

  /**
   * Llama-3.1-8B-Instruct on one L4 at the sample's max model len 8192 leaves 2039 KV blocks of 16
   * tokens (FitPlannerTest#planOn_llama8bBf16OneL4_fitsWithKvCapacity). A request of the default
   * 1024 prompt + 256 output tokens holds ceil(1280 / 16) = 80 blocks, so floor(2039 / 80) = 25
   * requests run at once, below --max-num-seqs 256. Mean service = 1024 / 8000 + 256 * 0.03 = 7.808
   * s; at the 12 req/s peak that is 93.696 sequences / 25 = 3.748 replicas, * 1.25 headroom =
   * 4.685, so maxReplicas 5.
   */
  @Test
  void recommend_withModelAndAccelerator_takesCapacityFromTheFitPlan() {
    int code =
        recommendOverTwoHours(
            "--model", "meta-llama/Llama-3.1-8B-Instruct", "--accelerator", "nvidia-l4");

    assertThat(code).isIn(GkeInferenceCli.OK, GkeInferenceCli.FINDINGS);
    assertThat(out.toString())
        .contains(
            "capacity      25 sequences per replica (fit plan: nvidia-l4 x1, 2039 KV blocks / 80"
                + " per 1280-token request = 25, --max-num-seqs 256)")
        .contains("maxReplicas   5\n");
    assertThat(err.toString()).isEmpty();
  }

  /**
   * --max-seqs 40 replaces the plan's 25: 93.696 sequences at the peak / 40 = 2.342, * 1.25 =
   * 2.928, so maxReplicas 3; the batch targets are floor(40 * 0.5 .. 1.0) = 20, 24, 28, 32, 36, 40.
   */
  @Test
  void recommend_withMaxSeqs_overridesThePlannedCapacity() {
    int code =
        recommendOverTwoHours(
            "--accelerator", "nvidia-l4", "--max-seqs", "40", "--metric", "batch", "--hpa");

    assertThat(code).isIn(GkeInferenceCli.OK, GkeInferenceCli.FINDINGS);
    assertThat(out.toString())
        .contains("capacity      40 sequences per replica (--max-seqs)")
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
    // 8000 + 1000 tokens exceed the sample's max model len 8192; a negative time per token
    assertThat(
            run(
                "autoscale",
                "recommend",
                "--accelerator",
                "nvidia-l4",
                "--prompt-tokens",
                "8000",
                "--output-tokens",
                "1000",
                "--tpot",
                "-1"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .containsExactly(
            "ERROR capacity.traffic.tokensPerRequest: the longest request (prompt max + output max)"
                + " must be at most the plan's max model len (8192), the longest sequence a server"
                + " from this plan serves (rejected: 9000)",
            "ERROR capacity.timePerOutputTokenSeconds: must be greater than zero (rejected: -1.0)");
    assertThat(out.toString()).isEmpty();
  }
}
