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
    // vLLM worked example (kvcache.md 1.4): 128 KiB per token in bf16, 64 KiB in fp8.
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
    assertThat(fp8.weightBytes()).isEqualTo(fp8.totalParameters());
    // gpt-oss-120b in MXFP4: 4.25 bits per parameter, about 62 GB.
    ModelArchitecture gpt = model("openai/gpt-oss-120b");
    assertThat(gpt.weightBytes()).isEqualTo((gpt.totalParameters() * 136 + 255) / 256);
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
