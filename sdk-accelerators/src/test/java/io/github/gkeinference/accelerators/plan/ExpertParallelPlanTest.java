package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.validate.SdkValidationException;
import org.junit.jupiter.api.Test;

/**
 * Memory per device under expert parallelism: routed experts split over DP x TP devices, the rest
 * replicated on every data-parallel rank and split by its tensor parallelism.
 */
class ExpertParallelPlanTest {
  private static final String DEEPSEEK = "deepseek-ai/DeepSeek-R1";
  private static final String GPT_OSS = "openai/gpt-oss-120b";

  private static ModelArchitecture model(String id) {
    return ModelCatalog.require(id).architecture();
  }

  private static FitRequest request(String id) {
    return FitRequest.builder().architecture(model(id)).maxModelLen(8192).build();
  }

  /**
   * DeepSeek-R1 (config.json: 61 layers, first_k_dense_replace 3, n_routed_experts 256, hidden
   * 7168, moe_intermediate_size 2048; fp8 linear layers, one byte per weight):
   *
   * <pre>
   * one expert, one layer = 3 * 7168 * 2048          = 44,040,192 weights
   * routed experts        = 58 MoE layers * 256 * that = 653,908,770,816 bytes (fp8)
   * DP16 x TP1 = EP16     : 256 / 16 = 16 experts per device and layer
   * per device            = 58 * 16 * 44,040,192     = 40,869,298,176 bytes
   * </pre>
   */
  @Test
  void planExpertParallel_deepSeekR1Dp16_splitsRoutedExpertsOverSixteenDevices() {
    ModelArchitecture a = model(DEEPSEEK);
    long oneExpertLayer = 3L * 7168 * 2048;
    assertThat(a.routedExpertParameters()).isEqualTo(58L * 256 * oneExpertLayer);

    FitPlan plan = FitPlanner.planExpertParallel(request(DEEPSEEK), "nvidia-h200-141gb", 1, 16);

    assertThat(plan.expertParallelism()).isEqualTo(16);
    assertThat(plan.tensorParallelism()).isEqualTo(1);
    assertThat(plan.machineType()).isEqualTo("a3-ultragpu-8g");
    assertThat(plan.memory().expertWeights()).isEqualTo(58L * 16 * oneExpertLayer);
    // the rest (embeddings in bf16, MLA attention, 3 dense layers, shared experts, routers) stays
    // whole on the rank's single device
    long rest = a.weightBytes(DataType.FP8_E4M3) - 58L * 256 * oneExpertLayer;
    assertThat(plan.memory().weights()).isEqualTo(rest + 58L * 16 * oneExpertLayer);
    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    assertThat(plan.memory().withinUsable()).isTrue();
  }

  @Test
  void planExpertParallel_deepSeekR1Tp2Dp8_splitsTheRestByTensorParallelism() {
    ModelArchitecture a = model(DEEPSEEK);
    long routed = a.routedExpertParameters(); // fp8: one byte each
    long rest = a.weightBytes(DataType.FP8_E4M3) - routed;

    FitPlan plan = FitPlanner.planExpertParallel(request(DEEPSEEK), "nvidia-h200-141gb", 2, 8);

    assertThat(plan.expertParallelism()).isEqualTo(16);
    // same EP group of 16 devices: the same experts per device as DP16 x TP1
    assertThat(plan.memory().expertWeights()).isEqualTo(routed / 16);
    assertThat(plan.memory().weights() - plan.memory().expertWeights())
        .isEqualTo((rest + 1) / 2); // ceil(rest / 2)
  }

  @Test
  void planExpertParallel_deepSeekR1OnH100Dp8_doesNotFit() {
    // EP8: 32 experts per device, 58 * 32 * 44,040,192 = 81.7 GB of experts alone on an 80 GB H100
    FitPlan plan = FitPlanner.planExpertParallel(request(DEEPSEEK), "nvidia-h100-80gb", 1, 8);

    assertThat(plan.memory().expertWeights()).isEqualTo(58L * 32 * 3 * 7168 * 2048);
    assertThat(plan.feasible()).isFalse();
    assertThat(plan.reasons()).anyMatch(r -> r.contains("the weights need"));
  }

  /**
   * gpt-oss-120b (config.json: 36 layers, all MoE, 128 local experts, hidden 2880, intermediate
   * 2880; experts in MXFP4, 4.25 bits per weight with the shared scales):
   *
   * <pre>
   * routed experts = 36 * 128 * 3 * 2880 * 2880 = 114,661,785,600 weights
   *                = ceil(114,661,785,600 * 4.25 / 8) = 60,914,073,600 bytes
   * EP8            : 16 of 128 experts per device = 60,914,073,600 / 8 = 7,614,259,200 bytes
   * </pre>
   */
  @Test
  void planExpertParallel_gptOss120bDp8_holdsAnEighthOfTheExperts() {
    ModelArchitecture a = model(GPT_OSS);
    assertThat(a.routedExpertParameters()).isEqualTo(36L * 128 * 3 * 2880 * 2880);

    FitPlan plan = FitPlanner.planExpertParallel(request(GPT_OSS), "nvidia-h100-80gb", 1, 8);

    assertThat(plan.memory().expertWeights()).isEqualTo(7_614_259_200L);
    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
  }

  @Test
  void planExpertParallel_expertsNotDivisible_countsTheLargestRank() {
    // EP6: vLLM gives the first 128 % 6 = 2 ranks 22 experts, the others 21; memory is the max
    FitPlan plan = FitPlanner.planExpertParallel(request(GPT_OSS), "nvidia-h100-80gb", 1, 6);

    long routedBytes = DataType.MXFP4.bytes(36L * 128 * 3 * 2880 * 2880);
    assertThat(plan.memory().expertWeights()).isEqualTo(-Math.floorDiv(-routedBytes * 22, 128));
  }

  @Test
  void planExpertParallel_denseModel_isInfeasible() {
    FitPlan plan =
        FitPlanner.planExpertParallel(
            request("meta-llama/Llama-3.1-8B-Instruct"), "nvidia-h100-80gb", 1, 8);

    assertThat(plan.feasible()).isFalse();
    assertThat(plan.reasons()).anyMatch(r -> r.contains("mixture-of-experts"));
    assertThat(plan.memory().expertWeights()).isZero();
  }

  @Test
  void planExpertParallel_tensorParallelismNotDividingAMachine_isRejected() {
    assertThatThrownBy(
            () -> FitPlanner.planExpertParallel(request(DEEPSEEK), "nvidia-h200-141gb", 3, 4))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("tensorParallelism");
  }

  @Test
  void planOn_layoutOfAnExpertParallelPlan_keepsTheExpertSplit() {
    FitPlan ep = FitPlanner.planExpertParallel(request(DEEPSEEK), "nvidia-h200-141gb", 1, 16);

    FitPlan again =
        FitPlanner.planOn(
            FitRequest.builder().architecture(model(DEEPSEEK)).maxModelLen(4096).build(), ep);

    assertThat(again.expertParallelism()).isEqualTo(16);
    assertThat(again.memory().expertWeights()).isEqualTo(ep.memory().expertWeights());
  }
}
