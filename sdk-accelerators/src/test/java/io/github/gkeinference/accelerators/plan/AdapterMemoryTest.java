package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.validate.SdkValidationException;
import org.junit.jupiter.api.Test;

/** The LoRA slots and the draft model in the planner's memory split. */
class AdapterMemoryTest {
  private static ModelArchitecture model(String id) {
    return ModelCatalog.require(id).architecture();
  }

  /**
   * Llama-3.1-8B (hidden 4096, 32 heads and 8 KV heads of 128, intermediate 14336, 32 layers), TP
   * 1, rank 16, 4 slots, bf16:
   *
   * <pre>
   * qkv_proj     A 3*16*4096 = 196,608       B 16*(4096 + 2*1024) = 98,304
   * o_proj       A 16*4096   =  65,536       B 4096*16            = 65,536
   * gate_up_proj A 2*16*4096 = 131,072       B 2*16*14336         = 458,752
   * down_proj    A 16*14336  = 229,376       B 4096*16            = 65,536
   * per layer                                                     = 1,310,720 values
   * x 32 layers x 4 slots x 2 bytes                               = 335,544,320 bytes (320 MiB)
   * </pre>
   */
  @Test
  void bytesPerDevice_llama8bRank16FourSlots_followsTheLayerShapes() {
    long bytes =
        LoraSlots.of(4, 16).bytesPerDevice(model("meta-llama/Llama-3.1-8B-Instruct"), 1, 1);

    assertThat(bytes).isEqualTo(335_544_320L);
  }

  /**
   * TP 2 keeps A of the column-parallel layers and B of the row-parallel layers whole and halves
   * the rest: qkv B 16*(2048 + 2*512), o A 16*2048, gate_up B 2*16*7168, down A 16*7168 = 196,608 +
   * 49,152 + 32,768 + 65,536 + 131,072 + 229,376 + 114,688 + 65,536 = 884,736 per layer, x 32 x 1
   * slot x 2 bytes = 56,623,104. PP 2 halves the layers instead.
   */
  @Test
  void bytesPerDevice_shardsOverTensorAndPipelineParallelism() {
    ModelArchitecture llama = model("meta-llama/Llama-3.1-8B-Instruct");
    LoraSlots one = LoraSlots.of(1, 16);

    assertThat(one.bytesPerDevice(llama, 2, 1)).isEqualTo(56_623_104L);
    assertThat(one.bytesPerDevice(llama, 1, 2)).isEqualTo(1_310_720L * 16 * 2);
    assertThat(LoraSlots.builder().maxLoraRank(16).dtype(DataType.FP16).build().dtype())
        .contains(DataType.FP16);
  }

  /**
   * The same plan as FitPlannerTest's 8B on one L4 (KV 4,277,530,624 bytes) with the 320 MiB of
   * slots above: KV 3,941,986,304, floor(/ 2,097,152) = 1879 blocks, 30,064 tokens, 3 sequences of
   * 8192.
   */
  @Test
  void planOn_withLoraSlots_takesThemOutOfTheKvCache() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .maxModelLen(8192)
            .vllmVersion(VllmVersion.CUDA_GRAPH_PROFILING)
            .lora(4, 16)
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);

    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    assertThat(plan.memory().loraAdapters()).isEqualTo(335_544_320L);
    assertThat(plan.memory().kvCache()).isEqualTo(4_277_530_624L - 335_544_320L);
    assertThat(plan.memory().draftWeights()).isZero();
    assertThat(plan.kvBlocks()).isEqualTo(1879);
    assertThat(plan.kvTokens()).isEqualTo(30_064);
    assertThat(plan.maxConcurrentSequences()).isEqualTo(3);
    assertThat(plan.memory().withinUsable()).isTrue();
  }

  /**
   * Llama-3.3-70B on 4 H100 (FitPlannerTest: KV 36,847,472,640, block 1,310,720) with Llama-3.1-8B
   * as draft at the target's TP 4:
   *
   * <pre>
   * draft weights/device = 16,060,522,496 / 4                      = 4,015,130,624
   * KV                   = 36,847,472,640 - 4,015,130,624          = 32,832,342,016
   * draft block          = 32 layers * 16 * 2 heads * 256 * 2      =       524,288
   * block                = 1,310,720 + 524,288                     =     1,835,008
   * blocks               = floor(32,832,342,016 / 1,835,008)       =        17,892
   * tokens 286,272; sequences floor(17,892 / 512) = 34; draft KV 17,892 * 524,288 = 9,380,560,896
   * </pre>
   */
  @Test
  void planOn_withDraftModel_takesItsWeightsAndKvOutOfTheKvCache() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.3-70B-Instruct"))
            .maxModelLen(8192)
            .vllmVersion(VllmVersion.CUDA_GRAPH_PROFILING)
            .draft(DraftModel.of(model("meta-llama/Llama-3.1-8B-Instruct")))
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-h100-80gb", 4);

    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    assertThat(plan.memory().draftWeights()).isEqualTo(4_015_130_624L);
    assertThat(plan.memory().kvCache()).isEqualTo(32_832_342_016L);
    assertThat(plan.bytesPerBlock()).isEqualTo(1_835_008L);
    assertThat(plan.kvBlocks()).isEqualTo(17_892);
    assertThat(plan.kvTokens()).isEqualTo(286_272);
    assertThat(plan.maxConcurrentSequences()).isEqualTo(34);
    assertThat(plan.memory().draftKvCache()).isEqualTo(9_380_560_896L);
    assertThat(plan.memory().withinUsable()).isTrue();
  }

  @Test
  void planOn_draftAtTensorParallelismTwoOfFour_isInfeasibleWithTheReason() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.3-70B-Instruct"))
            .maxModelLen(8192)
            .draft(
                DraftModel.builder()
                    .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
                    .tensorParallelism(2)
                    .build())
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-h100-80gb", 4);

    assertThat(plan.feasible()).isFalse();
    assertThat(plan.reasons()).anySatisfy(r -> assertThat(r).contains("must be 1 or the target"));
  }

  @Test
  void planOn_slotsThatLeaveNoKvCache_nameThemInTheReason() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .maxModelLen(8192)
            .lora(64, 512)
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);

    assertThat(plan.feasible()).isFalse();
    assertThat(plan.reasons()).singleElement().asString().contains("the LoRA slots");
  }

  @Test
  void loraSlots_badRankAndCount_reportEachWithItsPath() {
    assertThatThrownBy(() -> LoraSlots.builder().maxLoras(0).maxLoraRank(12).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(v -> v.path())
                    .containsExactlyInAnyOrder("maxLoras", "maxLoraRank"));
  }
}
