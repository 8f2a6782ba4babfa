package io.github.gkeinference.autoscaling.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScaleTarget;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PlannedConcurrencyTest {
  /**
   * Llama-3.1-8B-Instruct, bf16, one L4, max model len 8192, served by vLLM v0.21.0 (default
   * gpu-memory-utilization 0.92): the planner leaves 2039 KV blocks of 16 tokens
   * (FitPlannerTest#planOn_llama8bBf16OneL4_fitsWithKvCapacity: 4,277,530,624 bytes of KV memory /
   * 2,097,152 bytes per block), and the default --max-num-seqs is 256.
   */
  private static final FitRequest LLAMA_8B_8K =
      FitRequest.builder()
          .architecture(ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture())
          .maxModelLen(8192)
          .vllmVersion(VllmVersion.CUDA_GRAPH_PROFILING)
          .build();

  private static FitPlan llama8bOnL4(FitRequest request) {
    return FitPlanner.planOn(request, "nvidia-l4", 1);
  }

  private static TrafficProfile traffic(TokenDistribution prompt, TokenDistribution output) {
    return TrafficProfile.diurnal(2, 30, 3600).withPromptTokens(prompt).withOutputTokens(output);
  }

  /** 1024 prompt and 256 output tokens per request. */
  private static final TrafficProfile CHAT =
      traffic(TokenDistribution.fixed(1024), TokenDistribution.fixed(256));

  /** 8000 + 1000 tokens: longer than the 8192 max model len. */
  private static final TrafficProfile TOO_LONG =
      traffic(TokenDistribution.fixed(8000), TokenDistribution.fixed(1000));

  private static List<String> violationPaths(ThrowingCallable call) {
    SdkValidationException e = catchThrowableOfType(SdkValidationException.class, call);
    assertThat(e).as("one SdkValidationException").isNotNull();
    return e.violations().stream().map(Violation::path).toList();
  }

  @Test
  void of_llama8bOnL4_fixedTokens_dividesKvBlocksByBlocksPerRequest() {
    FitPlan plan = llama8bOnL4(LLAMA_8B_8K);
    assertThat(plan.kvBlocks()).isEqualTo(2039);

    PlannedConcurrency c = PlannedConcurrency.of(LLAMA_8B_8K, plan, CHAT);

    // tokens per request = 1024 + 256 = 1280; blocks = ceil(1280 / 16) = 80;
    // kvSequences = floor(2039 / 80) = 25 (25 * 80 = 2000 <= 2039 < 26 * 80 = 2080);
    // min(--max-num-seqs 256, 25) = 25. The plan's full-length figure is only 3 (512 blocks each).
    assertThat(c.tokensPerRequest()).isEqualTo(1280);
    assertThat(c.blocksPerRequest()).isEqualTo(80);
    assertThat(c.kvSequences()).isEqualTo(25);
    assertThat(c.maxNumSeqs()).isEqualTo(256);
    assertThat(c.concurrentSequences()).isEqualTo(25);
    assertThat(plan.maxConcurrentSequences()).isEqualTo(3);
  }

  @Test
  void of_uniformTokens_usesTheMeansAndRoundsUpToWholeBlocks() {
    PlannedConcurrency c =
        PlannedConcurrency.of(
            LLAMA_8B_8K,
            llama8bOnL4(LLAMA_8B_8K),
            traffic(TokenDistribution.uniform(200, 1800), TokenDistribution.uniform(50, 451)));

    // means 1000 + 250.5 = 1250.5 -> 1251 tokens; ceil(1251 / 16) = 79 blocks (78.19);
    // floor(2039 / 79) = 25 (25 * 79 = 1975 <= 2039 < 26 * 79 = 2054)
    assertThat(c.tokensPerRequest()).isEqualTo(1251);
    assertThat(c.blocksPerRequest()).isEqualTo(79);
    assertThat(c.concurrentSequences()).isEqualTo(25);
  }

  @Test
  void of_shortRequests_areCappedByMaxNumSeqs() {
    FitRequest request = LLAMA_8B_8K.toBuilder().maxNumSeqs(16).build();

    PlannedConcurrency c =
        PlannedConcurrency.of(
            request,
            llama8bOnL4(request),
            traffic(TokenDistribution.fixed(100), TokenDistribution.fixed(28)));

    // 128 tokens = 8 blocks; the KV cache holds floor(kvBlocks / 8) of them, over 200
    // (a smaller --max-num-seqs shrinks the logits reserve, so kvBlocks >= 2039),
    // but the scheduler runs at most --max-num-seqs = 16
    assertThat(c.blocksPerRequest()).isEqualTo(8);
    assertThat(c.kvSequences()).isGreaterThanOrEqualTo(2039 / 8);
    assertThat(c.concurrentSequences()).isEqualTo(16);
  }

  @Test
  void fromPlan_setsTheConcurrencyAndKeepsTheGivenSpeeds() {
    ReplicaCapacity capacity =
        ReplicaCapacity.fromPlan(LLAMA_8B_8K, llama8bOnL4(LLAMA_8B_8K), CHAT, 8000, 0.03);

    assertThat(capacity).isEqualTo(ReplicaCapacity.of(25, 8000, 0.03));
  }

  @Test
  void recommend_withPlannedCapacity_sizesMaxReplicasFromThePlan() {
    TrafficProfile traffic = CHAT;
    HpaSimulation simulation =
        HpaSimulation.builder()
            .autoscaler(
                InferenceAutoscaler.builder()
                    .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
                    .maxReplicas(40)
                    .addMetrics(ScalingMetric.vllmQueue())
                    .build())
            .traffic(traffic)
            .capacity(
                ReplicaCapacity.fromPlan(
                    LLAMA_8B_8K, llama8bOnL4(LLAMA_8B_8K), traffic, 8000, 0.03))
            .objective(ServiceObjective.ttft(2, 0.9))
            .podStartupSeconds(120)
            .build();

    Recommendation r = ScalingRecommender.recommend(simulation);

    // mean service = 1024 / 8000 + 256 * 0.03 = 0.128 + 7.68 = 7.808 s; at the 30 req/s peak
    // that is 234.24 sequences, / 25 per replica = 9.37 replicas, * 1.25 headroom = 11.71 -> 12
    // (with an assumed 64 sequences per replica it would be ceil(234.24 / 64 * 1.25) = 5)
    assertThat(r.maxReplicas()).isEqualTo(12);
  }

  @Test
  void fromPlan_badPlanTrafficAndSpeeds_listsEveryViolationInOneException() {
    // 70B in bf16 (141 GB of weights) does not fit one 24 GB L4; the plan keeps len 8192, block 32
    FitRequest request =
        FitRequest.builder()
            .architecture(ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
            .maxModelLen(8192)
            .blockSize(32)
            .build();
    FitPlan infeasible = FitPlanner.planOn(request, "nvidia-l4", 1);
    FitPlan wrongBlock = llama8bOnL4(LLAMA_8B_8K); // block size 16, request says 32
    assertThat(infeasible.feasible()).isFalse();

    assertThat(violationPaths(() -> ReplicaCapacity.fromPlan(request, infeasible, TOO_LONG, 0, -1)))
        .containsExactly(
            "capacity.plan",
            "capacity.traffic.tokensPerRequest",
            "capacity.prefillTokensPerSecond",
            "capacity.timePerOutputTokenSeconds");
    assertThat(violationPaths(() -> PlannedConcurrency.of(request, wrongBlock, TOO_LONG)))
        .containsExactly("capacity.plan.blockSize", "capacity.traffic.tokensPerRequest");
  }
}
