package io.github.gkeinference.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelArchitectureTest {

  private static ModelArchitecture model(String id) {
    return ModelCatalog.require(id).architecture();
  }

  @Test
  void kvCacheBytes_llama31_8b_oneTokenBf16() {
    // 2 (K and V) * 32 layers * 8 KV heads * 128 head dim * 2 bytes
    assertThat(model("meta-llama/Llama-3.1-8B-Instruct").kvCacheBytes(DataType.BF16, 1))
        .isEqualTo(2L * 32 * 8 * 128 * 2)
        .isEqualTo(131_072L);
  }

  @Test
  void kvCacheBytes_llama33_70b_oneTokenBf16() {
    // 2 * 80 layers * 8 KV heads * 128 * 2 bytes
    assertThat(model("meta-llama/Llama-3.3-70B-Instruct").kvCacheBytes(DataType.BF16, 1))
        .isEqualTo(2L * 80 * 8 * 128 * 2)
        .isEqualTo(327_680L);
  }

  @Test
  void kvCacheBytes_qwen3_32b_oneTokenBf16() {
    // 2 * 64 layers * 8 KV heads * 128 * 2 bytes
    assertThat(model("Qwen/Qwen3-32B").kvCacheBytes(DataType.BF16, 1))
        .isEqualTo(2L * 64 * 8 * 128 * 2)
        .isEqualTo(262_144L);
  }

  @Test
  void kvCacheBytes_fp8_halvesBf16() {
    ModelArchitecture llama = model("meta-llama/Llama-3.1-8B-Instruct");
    // vLLM worked example (vllm-project/vllm vllm/v1/core/kv_cache_utils.py and
    // vllm/v1/kv_cache_interface.py): 128 KiB per token in bf16, 64 KiB in fp8.
    assertThat(llama.kvCacheBytes(DataType.FP8_E4M3, 1)).isEqualTo(64L * 1024);
    assertThat(llama.kvCacheBytes(DataType.BF16, 8192)).isEqualTo(8192L * 128 * 1024);
  }

  @Test
  void kvCacheBytes_slidingWindow_stopsGrowingAtWindow() {
    // 6 layers; every third layer full, the others a 512-token window.
    List<LayerAttention> layers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      layers.add((i + 1) % 3 == 0 ? LayerAttention.full() : LayerAttention.slidingWindow(512));
    }
    ModelArchitecture m =
        ModelArchitecture.builder()
            .modelType("test")
            .numLayers(6)
            .hiddenSize(1024)
            .intermediateSize(4096)
            .numAttentionHeads(8)
            .numKeyValueHeads(2)
            .headDim(128)
            .vocabSize(1000)
            .tiedEmbeddings(true)
            .maxPositionEmbeddings(32768)
            .nativeDtype(DataType.BF16)
            .attentionLayers(layers)
            .build();
    long perTokenLayer = 2L * 2 * 128 * 2; // K+V * 2 KV heads * 128 * 2 bytes = 1024
    // at 4096 tokens: 2 full layers hold 4096 tokens, 4 windowed layers hold 512
    assertThat(m.kvCacheBytes(DataType.BF16, 4096))
        .isEqualTo((2L * 4096 + 4L * 512) * perTokenLayer);
    // below the window every layer holds every token
    assertThat(m.kvCacheBytes(DataType.BF16, 100)).isEqualTo(6L * 100 * perTokenLayer);
  }

  @Test
  void kvCacheBytes_negativeContext_isRejected() {
    assertThatThrownBy(() -> model("Qwen/Qwen3-32B").kvCacheBytes(DataType.BF16, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void totalParameters_llama31_8b_matchesPublishedCount() {
    ModelArchitecture llama = model("meta-llama/Llama-3.1-8B-Instruct");
    long embeddings = 2L * 128256 * 4096; // input embedding and untied lm_head
    long attention = 4096L * 4096 + 2L * 4096 * 1024 + 4096L * 4096; // q, k, v, o
    long mlp = 3L * 4096 * 14336;
    long norms = 2L * 4096;
    long expected = embeddings + 32 * (attention + mlp + norms) + 4096;
    assertThat(llama.totalParameters()).isEqualTo(expected);
    assertThat(llama.activeParameters()).isEqualTo(expected);
    assertThat((double) llama.totalParameters())
        .isCloseTo(8.03e9, org.assertj.core.data.Percentage.withPercentage(0.5));
  }

  @Test
  void weightBytes_areParametersTimesDtypeSize() {
    ModelArchitecture qwen = model("Qwen/Qwen3-32B");
    ModelArchitecture fp8 = model("Qwen/Qwen3-32B-FP8");
    assertThat(qwen.weightBytes()).isEqualTo(2 * qwen.totalParameters());
    // Qwen3-32B-FP8 keeps embed_tokens and lm_head (151936 * 5120 * 2 = 1,555,824,640) in bf16:
    // one more byte each than fp8.
    long embeddings = 151_936L * 5120 * 2;
    assertThat(fp8.weightBytes()).isEqualTo(fp8.totalParameters() + embeddings);
  }

  /**
   * gpt-oss quantizes only its experts to MXFP4 (quantization_config.modules_to_not_convert lists
   * self_attn, router, embed_tokens, lm_head): embeddings 201088 * 2880 * 2 = 1,158,266,880 and
   * attention per layer 2880 * 64 * 64 * 2 (q, o) + 2880 * 8 * 64 * 2 (k, v) = 26,542,080 stay
   * bf16, 2 bytes instead of 4.25 bits (1.46875 bytes more each): 2.64 GB more for the 20B (24
   * layers), 3.1 GB for the 120B (36 layers) than counting every parameter as MXFP4.
   */
  @Test
  void weightBytes_gptOss_keepsEmbeddingsAndAttentionInBf16() {
    long embeddings = 201_088L * 2880 * 2;
    long attentionPerLayer = 2880L * 64 * 64 * 2 + 2880L * 8 * 64 * 2;
    for (var c :
        new Object[][] {{"openai/gpt-oss-20b", 24, 2.64e9}, {"openai/gpt-oss-120b", 36, 3.1e9}}) {
      ModelArchitecture gpt = model((String) c[0]);
      long bf16 = embeddings + attentionPerLayer * (int) c[1];
      long rest = gpt.totalParameters() - bf16;
      assertThat(gpt.weightBytes())
          .isEqualTo(2 * bf16 + DataType.MXFP4.bytes(rest))
          .isEqualTo(gpt.weightBytes(DataType.MXFP4));
      double extra = gpt.weightBytes() - DataType.MXFP4.bytes(gpt.totalParameters());
      assertThat(extra).isCloseTo((double) c[2], org.assertj.core.data.Offset.offset(0.06e9));
    }
  }

  /**
   * vLLM budgets a sliding-window layer window - 1 + max_num_batched_tokens tokens plus one block
   * (SlidingWindowSpec.max_memory_usage_bytes), a full layer the whole sequence.
   */
  @Test
  void kvCacheBudgetBytes_slidingWindow_isWindowMinusOnePlusBatchedTokensPlusOneBlock() {
    ModelArchitecture gpt = model("openai/gpt-oss-120b");
    // 18 full layers, 18 sliding (128); 2 * 8 KV heads * 64 * 2 bytes = 2048 per token and layer.
    long full = 18L * 32_768;
    long windowed = 18L * ((127 + 8192 + 15) / 16 + 1) * 16; // ceil(8319 / 16) = 520, + 1 block
    assertThat(gpt.kvCacheBudgetBytes(DataType.BF16, 32_768, 8192, 16))
        .isEqualTo((full + windowed) * 2048);
    // a short sequence: min(8319, 1000) = 1000 -> 63 blocks + 1 in the windowed layers
    assertThat(gpt.kvCacheBudgetBytes(DataType.BF16, 1000, 8192, 16))
        .isEqualTo((18L * 1008 + 18L * 64 * 16) * 2048);
  }

  /**
   * Llama 4 Scout: vLLM turns chunked-local layers into full attention unless
   * VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=1, so all 48 layers keep the whole sequence.
   */
  @Test
  void kvCacheBudgetBytes_llama4Scout_budgetsEveryLayerAsFull() {
    ModelArchitecture scout = model("meta-llama/Llama-4-Scout-17B-16E-Instruct");
    assertThat(scout.kvCacheBudgetBytes(DataType.BF16, 100_000, 8192, 16))
        .isEqualTo(48L * 100_000 * 4096);
    // what the chunked layers attend to stays bounded by the chunk
    assertThat(scout.kvCacheBytes(DataType.BF16, 100_000)).isLessThan(48L * 100_000 * 4096);
  }

  @Test
  void build_withManyBadFields_reportsEveryPath() {
    assertThatThrownBy(
            () ->
                ModelArchitecture.builder()
                    .modelType("")
                    .numLayers(0)
                    .hiddenSize(4096)
                    .intermediateSize(1)
                    .numAttentionHeads(32)
                    .numKeyValueHeads(5)
                    .vocabSize(-1)
                    .tiedEmbeddings(false)
                    .maxPositionEmbeddings(1)
                    .nativeDtype(DataType.BF16)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "modelType", "numLayers", "numKeyValueHeads", "vocabSize"));
  }
}
