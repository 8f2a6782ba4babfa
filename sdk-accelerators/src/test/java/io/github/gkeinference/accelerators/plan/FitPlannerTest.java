package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitPlannerTest {
  private static final long GIB = 1L << 30;

  private static ModelArchitecture model(String id) {
    return ModelCatalog.require(id).architecture();
  }

  /**
   * Llama-3.1-8B-Instruct, bf16, one L4, max model len 8192, served by vLLM v0.21.0 (default
   * gpu-memory-utilization 0.92).
   *
   * <pre>
   * parameters  = embed 128256*4096*2 (untied) = 1,050,673,152
   *             + 32 layers * (q 4096*4096 + k,v 2*4096*1024 + o 4096*4096 + mlp 3*4096*14336
   *                            + 2 norms * 4096) = 32 * 218,112,000 = 6,979,584,000
   *             + final norm 4096                                      = 8,030,261,248
   * weights     = 2 bytes * 8,030,261,248                              = 16,060,522,496
   * usable      = ceil(24,000,000,000 * 0.92)                          = 22,080,000,000
   * reserve     = 1 GiB 1,073,741,824 + activations 8192*(4096 + 2*14336)*2 = 536,870,912
   *             + logits 256*128256*4 = 131,334,144                    =  1,741,946,880
   * KV memory   = 22,080,000,000 - 16,060,522,496 - 1,741,946,880      =  4,277,530,624
   * block       = 32 layers * 16 tokens * 8 KV heads * (128 + 128) * 2 bytes = 2,097,152
   * blocks      = floor(4,277,530,624 / 2,097,152) = 2039 (2039 * 2,097,152 = 4,276,092,928)
   * tokens      = 2039 * 16 = 32,624
   * sequences   = floor(2039 / (8192 / 16 = 512 blocks)) = 3
   * </pre>
   */
  @Test
  void planOn_llama8bBf16OneL4_fitsWithKvCapacity() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .maxModelLen(8192)
            .vllmVersion(VllmVersion.CUDA_GRAPH_PROFILING)
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);

    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    assertThat(plan.machineType()).isEqualTo("g2-standard-4");
    assertThat(plan.tensorParallelism()).isEqualTo(1);
    assertThat(plan.memory().weights()).isEqualTo(16_060_522_496L);
    assertThat(plan.memory().usable()).isEqualTo(22_080_000_000L);
    assertThat(plan.memory().runtimeReserve()).isEqualTo(GIB + 536_870_912L + 131_334_144L);
    assertThat(plan.memory().kvCache()).isEqualTo(4_277_530_624L);
    assertThat(plan.bytesPerBlock()).isEqualTo(2_097_152L);
    assertThat(plan.kvBlocks()).isEqualTo(2039);
    assertThat(plan.kvTokens()).isEqualTo(32_624);
    assertThat(plan.maxConcurrentSequences()).isEqualTo(3);
    // the typed serving settings; sdk-serving's VllmFlags renders them as flags
    assertThat(plan.pipelineParallelism()).isEqualTo(1);
    assertThat(plan.devices()).isEqualTo(1);
    assertThat(plan.maxModelLen()).isEqualTo(8192);
    assertThat(plan.gpuMemoryUtilization()).isEqualTo(0.92);
    assertThat(plan.kvCacheDtype()).isEqualTo(KvCacheDtype.AUTO);
    assertThat(plan.blockSize()).isEqualTo(16);
    assertThat(plan.quantization()).isEmpty();
    assertThat(plan.placement().schedule().resources().getRequests().get("nvidia.com/gpu"))
        .hasToString("1");
  }

  /**
   * Llama-3.3-70B-Instruct, bf16, max model len 8192, vLLM v0.21.0 (0.92).
   *
   * <pre>
   * parameters  = embed 128256*8192*2 = 2,101,346,304
   *             + 80 * (q 8192*8192 + k,v 2*8192*1024 + o 8192*8192 + mlp 3*8192*28672 + 2*8192)
   *               = 80 * 855,654,400 = 68,452,352,000;  + final norm 8192  = 70,553,706,496
   * bf16 weights = 141,107,412,992 bytes
   *
   * 2 x H100 (tp 2): weights/device = 70,553,706,496
   *   usable   = ceil(80e9 * 0.92) = 73,600,000,000
   *   reserve  = 1,073,741,824 + 8192*(8192 + 2*28672/2)*2 = 603,979,776 + 256*64128*4 = 65,667,072
   *            = 1,743,388,672
   *   KV       = 73,600,000,000 - 70,553,706,496 - 1,743,388,672 = 1,302,904,832
   *   block    = 80 * 16 * (8/2 = 4 heads) * 256 * 2 = 2,621,440 -> 497 blocks = 7952 tokens
   *   7952 tokens < one 8192-token sequence: infeasible; the weights leave almost nothing.
   *
   * 4 x H100 (tp 4): weights/device = 35,276,853,248
   *   reserve  = 1,073,741,824 + 8192*(8192 + 2*28672/4)*2 = 369,098,752 + 256*32064*4 = 32,833,536
   *            = 1,475,674,112
   *   KV       = 73,600,000,000 - 35,276,853,248 - 1,475,674,112 = 36,847,472,640
   *   block    = 80 * 16 * 2 heads * 256 * 2 = 1,310,720
   *   blocks   = floor(36,847,472,640 / 1,310,720) = 28,112 (28,112 * 1,310,720 = 36,846,960,640)
   *   tokens   = 449,792; sequences = floor(28,112 / 512) = 54
   * </pre>
   */
  @Test
  void planOn_llama70bBf16_isInfeasibleOnTwoH100_andFeasibleOnFour() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.3-70B-Instruct"))
            .maxModelLen(8192)
            .vllmVersion(VllmVersion.CUDA_GRAPH_PROFILING)
            .build();

    FitPlan two = FitPlanner.planOn(request, "nvidia-h100-80gb", 2);
    assertThat(two.feasible()).isFalse();
    assertThat(two.memory().weights()).isEqualTo(70_553_706_496L);
    assertThat(two.memory().kvCache()).isEqualTo(1_302_904_832L);
    assertThat(two.kvTokens()).isEqualTo(7952);
    assertThat(two.reasons())
        .singleElement()
        .asString()
        .contains("7952 tokens")
        .contains("max model len 8192");
    assertThatThrownBy(two::placement).isInstanceOf(IllegalStateException.class);

    FitPlan four = FitPlanner.planOn(request, "nvidia-h100-80gb", 4);
    assertThat(four.feasible()).as(four.reasons().toString()).isTrue();
    assertThat(four.machineType()).isEqualTo("a3-highgpu-4g");
    assertThat(four.tensorParallelism()).isEqualTo(4);
    assertThat(four.memory().weights()).isEqualTo(35_276_853_248L);
    assertThat(four.memory().runtimeReserve()).isEqualTo(1_475_674_112L);
    assertThat(four.memory().kvCache()).isEqualTo(36_847_472_640L);
    assertThat(four.bytesPerBlock()).isEqualTo(1_310_720L);
    assertThat(four.kvBlocks()).isEqualTo(28_112);
    assertThat(four.kvTokens()).isEqualTo(449_792);
    assertThat(four.maxConcurrentSequences()).isEqualTo(54);
  }

  /**
   * DeepSeek-R1 (fp8 checkpoint, 671B parameters published) on 8 x L4: about 671e9 bytes / 8 = 83.9
   * GB of weights per device against ceil(24e9 * 0.92) = 22.08 GB usable (vLLM v0.21.0). Embeddings
   * and output head (129280 * 7168 * 2 parameters) stay bf16: one more byte each.
   */
  @Test
  void planOn_deepSeekR1On8L4_isInfeasibleBecauseOfTheWeights() {
    ModelArchitecture r1 = model("deepseek-ai/DeepSeek-R1");
    FitRequest request =
        FitRequest.builder()
            .architecture(r1)
            .maxModelLen(8192)
            .vllmVersion(VllmVersion.CUDA_GRAPH_PROFILING)
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 8);

    assertThat(plan.feasible()).isFalse();
    assertThat(plan.machineType()).isEqualTo("g2-standard-96");
    assertThat(plan.memory().weights()).isBetween(80_000_000_000L, 88_000_000_000L);
    long embeddings = 129_280L * 7168 * 2;
    assertThat(plan.memory().weights()).isEqualTo((r1.totalParameters() + embeddings + 7) / 8);
    assertThat(plan.reasons())
        .singleElement()
        .asString()
        .contains("the weights need")
        .contains("more than the 22.1 GB usable (24.0 GB x 0.92)");
  }

  @Test
  void plan_llama8bEverywhere_recommendsOneDevice_andRanksByPrice() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .maxModelLen(8192)
            .candidates(java.util.List.of("nvidia-l4", "nvidia-h100-80gb", "nvidia-tesla-t4"))
            .pricesPerHour(Map.of("g2-standard-4", 0.7, "a3-highgpu-1g", 11.0))
            .build();

    FitReport report = FitPlanner.plan(request);

    // T4 (16 GB) cannot hold 16.06 GB of weights on one GPU; on two it fits (tp 2).
    assertThat(report.forAccelerator("nvidia-tesla-t4").orElseThrow().devices()).isEqualTo(2);
    assertThat(report.plans())
        .extracting(FitPlan::accelerator)
        .containsExactly("nvidia-l4", "nvidia-h100-80gb", "nvidia-tesla-t4");
    assertThat(report.recommendation().orElseThrow().machineType()).isEqualTo("g2-standard-4");
  }

  @Test
  void plan_withoutMaxModelLen_choosesTheLongestThatFits() {
    FitPlan plan =
        FitPlanner.planOn(
            FitRequest.builder().architecture(model("meta-llama/Llama-3.1-8B-Instruct")).build(),
            "nvidia-l4",
            1);
    // 1810 blocks = 28,960 tokens of KV cache at the pinned release's 0.90 (see
    // planOn_pinnedRelease_sizesTheKvCacheWithItsDefaultUtilization) < 131,072
    // max_position_embeddings
    assertThat(plan.maxModelLen()).isEqualTo(28_960);
    assertThat(plan.maxConcurrentSequences()).isEqualTo(1);
  }

  @Test
  void plan_fp8KvCache_doublesTheBlocks() {
    FitRequest bf16 =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .maxModelLen(8192)
            .build();
    FitPlan a = FitPlanner.planOn(bf16, "nvidia-l4", 1);
    FitPlan b =
        FitPlanner.planOn(
            bf16.toBuilder().kvCacheDtype(KvCacheDtype.FP8_E4M3).build(), "nvidia-l4", 1);
    // one byte instead of two per value: 1 MiB per block; at the pinned release's 0.90,
    // floor(3,797,530,624 / 1,048,576) = 3621 (twice the 1810 bf16 blocks, and the half block left)
    assertThat(b.bytesPerBlock()).isEqualTo(a.bytesPerBlock() / 2);
    assertThat(b.kvBlocks()).isEqualTo(3621);
    assertThat(b.kvCacheDtype().flag()).isEqualTo("fp8_e4m3");
  }

  @Test
  void plan_tpuV6e_usesSingleHostSlices() {
    FitPlan plan =
        FitPlanner.planOn(
            FitRequest.builder()
                .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
                .maxModelLen(8192)
                .build(),
            "tpu-v6e-slice",
            4);
    assertThat(plan.feasible()).isTrue();
    assertThat(plan.tpuTopology()).contains("2x2");
    assertThat(plan.placement().schedule().resources().getRequests().get("google.com/tpu"))
        .hasToString("4");
  }

  @Test
  void planOn_deviceCountWithoutMachine_isAViolation() {
    FitRequest request =
        FitRequest.builder().architecture(model("meta-llama/Llama-3.1-8B-Instruct")).build();
    assertThatThrownBy(() -> FitPlanner.planOn(request, "nvidia-l4", 3))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("devices");
    assertThatThrownBy(() -> FitPlanner.planOn(request, "nvidia-h300", 1))
        .isInstanceOf(SdkValidationException.class);
  }

  @Test
  void request_badInput_listsEveryViolation() {
    assertThatThrownBy(
            () ->
                FitRequest.builder()
                    .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
                    .maxModelLen(1_000_000)
                    .gpuMemoryUtilization(1.5)
                    .blockSize(15)
                    .addCandidate("nvidia-h300")
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("maxModelLen")
        .hasMessageContaining("gpuMemoryUtilization")
        .hasMessageContaining("blockSize")
        .hasMessageContaining("candidates[0]");
  }

  private static FitPlan.Builder planOnTwoL4() {
    return FitPlan.builder()
        .accelerator("nvidia-l4")
        .machineType("g2-standard-24")
        .tensorParallelism(2)
        .maxModelLen(8192)
        .weightDtype(io.github.gkeinference.core.model.DataType.BF16)
        .kvCacheDtype(KvCacheDtype.AUTO)
        .gpuMemoryUtilization(0.92)
        .blockSize(16)
        .memory(new MemorySplit(1, 1, 0, 0, 1))
        .bytesPerBlock(1)
        .kvBlocks(1)
        .kvTokens(16)
        .maxConcurrentSequences(1);
  }

  @Test
  void plan_devicesAlwaysEqualParallelism() {
    FitPlan tp2 = planOnTwoL4().build();
    FitPlan tp2pp2 = planOnTwoL4().pipelineParallelism(2).build();

    assertThat(tp2.devices()).isEqualTo(2);
    assertThat(tp2.devicesPerHost()).isEqualTo(2); // g2-standard-24 carries 2 L4
    assertThat(tp2pp2.devices()).isEqualTo(4);
    assertThat(tp2pp2.hosts()).isEqualTo(2);
  }

  @Test
  void plan_parallelismBelowOne_isRejectedWithBothPaths() {
    assertThatThrownBy(() -> planOnTwoL4().tensorParallelism(0).pipelineParallelism(0).build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("tensorParallelism")
        .hasMessageContaining("pipelineParallelism");
  }

  @Test
  void planOn_tensorParallelismNotDividingTheHeads_isInfeasibleWithTheReason() {
    ModelArchitecture sixHeads =
        ModelArchitecture.builder()
            .modelType("tiny")
            .numLayers(4)
            .hiddenSize(6 * 64)
            .intermediateSize(1024)
            .numAttentionHeads(6)
            .numKeyValueHeads(6)
            .vocabSize(32000)
            .tiedEmbeddings(true)
            .maxPositionEmbeddings(2048)
            .nativeDtype(io.github.gkeinference.core.model.DataType.BF16)
            .build();
    FitPlan plan =
        FitPlanner.planOn(FitRequest.builder().architecture(sixHeads).build(), "nvidia-l4", 4);
    assertThat(plan.feasible()).isFalse();
    assertThat(plan.reasons())
        .contains("tensor parallelism 4 does not divide the 6 attention heads")
        .contains("tensor parallelism 4 neither divides nor is a multiple of the 6 KV heads");
  }

  /**
   * DeepSeek-R1 (MLA) on 8 x H200: vLLM keeps the whole latent cache on every device, so a block is
   * 61 layers * 16 tokens * (kv_lora_rank 512 + rope 64) * 2 bytes (bf16, "auto") = 1,124,352 bytes
   * on each device, not divided by the tensor parallelism.
   */
  @Test
  void planOn_mlaModel_keepsTheLatentCacheWholeOnEveryDevice() {
    FitPlan plan =
        FitPlanner.planOn(
            FitRequest.builder()
                .architecture(model("deepseek-ai/DeepSeek-R1"))
                .maxModelLen(32_768)
                .build(),
            "nvidia-h200-141gb",
            8);
    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    assertThat(plan.bytesPerBlock()).isEqualTo(61L * 16 * (512 + 64) * 2);
  }

  /**
   * Gemma-3-27B: 52 of its 62 layers use a 1024-token sliding window, budgeted by vLLM at 1023 +
   * 8192 batched tokens + one block = 9232 tokens, so one 32,768-token sequence needs (10 * 32,768
   * + 52 * 9232) / (62 * 32,768) = 40% of the full-attention blocks: more than twice as many
   * sequences fit.
   */
  @Test
  void planOn_slidingWindowModel_countsWindowedLayersWithVllmsBudget() {
    FitPlan plan =
        FitPlanner.planOn(
            FitRequest.builder()
                .architecture(model("google/gemma-3-27b-it"))
                .maxModelLen(32_768)
                .build(),
            "nvidia-h100-80gb",
            2);
    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    long fullAttentionSequences = plan.kvBlocks() / (32_768 / 16);
    assertThat(plan.maxConcurrentSequences())
        .isGreaterThan((int) fullAttentionSequences * 2)
        .isLessThanOrEqualTo((int) (fullAttentionSequences * 2.6));
  }

  /** Llama 4 Scout's chunked-local layers are budgeted as full: 48 layers * 4096 B per token. */
  @Test
  void planOn_llama4Scout_budgetsEveryLayerAsFullAttention() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-4-Scout-17B-16E-Instruct"))
            .maxModelLen(131_072)
            .build();
    FitPlan plan = FitPlanner.planOn(request, "nvidia-h200-141gb", 8);

    assertThat(plan.feasible()).as(plan.reasons().toString()).isTrue();
    // per device: 8 KV heads over TP 8 -> 1 head: 48 layers * 16 tokens * 256 values * 2 bytes
    assertThat(plan.bytesPerBlock()).isEqualTo(48L * 16 * 256 * 2);
    long blocksPerSequence = 131_072 / 16;
    assertThat(plan.maxConcurrentSequences())
        .isEqualTo((int) (plan.kvBlocks() / blocksPerSequence));
  }

  /**
   * The same Llama-3.1-8B on one L4 with the pinned v0.11.2 release's default 0.90: usable =
   * 21,600,000,000; KV = 21,600,000,000 - 16,060,522,496 - 1,741,946,880 = 3,797,530,624; blocks =
   * floor(3,797,530,624 / 2,097,152) = 1810 (1811 blocks would take 3,797,942,272).
   */
  @Test
  void planOn_pinnedRelease_sizesTheKvCacheWithItsDefaultUtilization() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .maxModelLen(8192)
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);

    assertThat(plan.gpuMemoryUtilization()).isEqualTo(0.90);
    assertThat(plan.memory().usable()).isEqualTo(21_600_000_000L);
    assertThat(plan.memory().kvCache()).isEqualTo(3_797_530_624L);
    assertThat(plan.kvBlocks()).isEqualTo(1810);
  }

  @Test
  void planOn_fp8WeightsOfABf16Checkpoint_rendersOnlineFp8Quantization() {
    ModelArchitecture llama = model("meta-llama/Llama-3.1-8B-Instruct");
    FitRequest bf16 = FitRequest.builder().architecture(llama).maxModelLen(8192).build();
    FitRequest fp8 =
        bf16.toBuilder().weightDtype(io.github.gkeinference.core.model.DataType.FP8_E4M3).build();

    FitPlan plain = FitPlanner.planOn(bf16, "nvidia-l4", 1);
    FitPlan quantized = FitPlanner.planOn(fp8, "nvidia-l4", 1);

    assertThat(plain.quantization()).isEmpty();
    assertThat(quantized.feasible()).as(quantized.reasons().toString()).isTrue();
    assertThat(quantized.weightDtype())
        .isEqualTo(io.github.gkeinference.core.model.DataType.FP8_E4M3);
    assertThat(quantized.quantization()).contains("fp8");
    // the memory the plan counted on is the fp8 server's
    assertThat(quantized.memory().weights()).isLessThan(plain.memory().weights());
    assertThat(quantized.kvBlocks()).isGreaterThan(plain.kvBlocks());
  }

  @Test
  void planOn_checkpointAlreadyInTheWeightDtype_needsNoQuantizationFlag() {
    ModelArchitecture qwenFp8 = model("Qwen/Qwen3-32B-FP8");
    FitRequest request = FitRequest.builder().architecture(qwenFp8).maxModelLen(8192).build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-h100-80gb", 1);

    assertThat(plan.weightDtype()).isEqualTo(qwenFp8.nativeDtype());
    assertThat(plan.quantization()).isEmpty();
  }

  @Test
  void planOn_int4WeightsOfABf16Checkpoint_isRejectedWithTheReason() {
    FitRequest request =
        FitRequest.builder()
            .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
            .weightDtype(io.github.gkeinference.core.model.DataType.INT4)
            .maxModelLen(8192)
            .build();

    FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);

    assertThat(plan.feasible()).isFalse();
    assertThat(plan.reasons())
        .anySatisfy(r -> assertThat(r).contains("int4 weights need a checkpoint quantized"));
  }
}
