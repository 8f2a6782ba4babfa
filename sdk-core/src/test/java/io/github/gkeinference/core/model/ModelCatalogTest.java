package io.github.gkeinference.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.validate.SdkValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelCatalogTest {

  static Stream<CatalogEntry> entries() {
    return ModelCatalog.all().stream();
  }

  static byte[] fixture(String huggingFaceId) {
    String name = "/catalog/" + huggingFaceId + "/config.json";
    try (InputStream in = ModelCatalogTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("entries")
  void fixture_parsesToCatalogEntry(CatalogEntry entry) {
    assertThat(ModelConfigs.parse(fixture(entry.huggingFaceId()))).isEqualTo(entry.architecture());
  }

  @ParameterizedTest
  @MethodSource("entries")
  void totalParameters_isCloseToPublishedCount(CatalogEntry entry) {
    // Vision towers (Gemma 3 4B/27B: ~0.4B, Llama 4 Scout: ~1B) and biases are not counted, so
    // allow 10% for the multimodal and small models, and check the text-only ones more tightly
    // below.
    assertThat((double) entry.architecture().totalParameters())
        .isCloseTo((double) entry.publishedParameters(), Percentage.withPercentage(10));
  }

  @Test
  void totalParameters_textOnlyModels_within2Percent() {
    for (String id :
        List.of(
            "meta-llama/Llama-3.1-405B-Instruct",
            "Qwen/Qwen3-32B",
            "mistralai/Mixtral-8x7B-Instruct-v0.1",
            "openai/gpt-oss-120b",
            "deepseek-ai/DeepSeek-R1")) {
      CatalogEntry e = ModelCatalog.require(id);
      assertThat((double) e.architecture().totalParameters())
          .as(id)
          .isCloseTo((double) e.publishedParameters(), Percentage.withPercentage(2));
    }
  }

  @Test
  void activeParameters_moeModels_matchModelCards() {
    // DeepSeek-V3 report: 37B activated; Mixtral: 12.9B; Llama 4 Scout: 17B.
    assertThat(
            (double)
                ModelCatalog.require("deepseek-ai/DeepSeek-R1").architecture().activeParameters())
        .isCloseTo(37e9, Percentage.withPercentage(3));
    assertThat(
            (double)
                ModelCatalog.require("mistralai/Mixtral-8x7B-Instruct-v0.1")
                    .architecture()
                    .activeParameters())
        .isCloseTo(12.9e9, Percentage.withPercentage(2));
    assertThat(
            (double)
                ModelCatalog.require("meta-llama/Llama-4-Scout-17B-16E-Instruct")
                    .architecture()
                    .activeParameters())
        .isCloseTo(17e9, Percentage.withPercentage(3));
  }

  @Test
  void find_isCaseInsensitive() {
    assertThat(ModelCatalog.find("META-LLAMA/llama-3.1-8b-instruct"))
        .map(CatalogEntry::huggingFaceId)
        .contains("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(ModelCatalog.find("nobody/nothing")).isEmpty();
  }

  @Test
  void require_unknownModel_isAViolationAtHuggingFaceId() {
    assertThatThrownBy(() -> ModelCatalog.require("nobody/nothing"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.violations().get(0).path()).isEqualTo("huggingFaceId"));
  }

  @Test
  void catalog_hasEveryModelTheIssueLists() {
    assertThat(ModelCatalog.all())
        .extracting(CatalogEntry::huggingFaceId)
        .contains(
            "meta-llama/Llama-3.1-8B-Instruct",
            "meta-llama/Llama-3.3-70B-Instruct",
            "meta-llama/Llama-3.1-405B-Instruct",
            "meta-llama/Llama-4-Scout-17B-16E-Instruct",
            "google/gemma-3-1b-it",
            "google/gemma-3-4b-it",
            "google/gemma-3-27b-it",
            "Qwen/Qwen3-8B",
            "Qwen/Qwen3-32B",
            "Qwen/Qwen3-32B-FP8",
            "openai/gpt-oss-20b",
            "openai/gpt-oss-120b",
            "mistralai/Mixtral-8x7B-Instruct-v0.1",
            "deepseek-ai/DeepSeek-R1");
  }

  @Test
  void kvCacheBytes_gemma3_1b_beyondWindow() {
    ModelArchitecture gemma = ModelCatalog.require("google/gemma-3-1b-it").architecture();
    // 26 layers, every 6th full (layers 6, 12, 18, 24 counted from 1): 4 full, 22 sliding (512).
    // Per token and layer: 2 (K, V) * 1 KV head * 256 head dim * 2 bytes = 1024 bytes.
    long perTokenLayer = 2L * 1 * 256 * 2;
    assertThat(gemma.kvCacheBytes(DataType.BF16, 4096))
        .isEqualTo((4L * 4096 + 22L * 512) * perTokenLayer)
        .isEqualTo(28_311_552L);
  }

  @Test
  void kvCacheBytes_gptOss120b_halfTheLayersSlide() {
    ModelArchitecture gpt = ModelCatalog.require("openai/gpt-oss-120b").architecture();
    // 36 layers alternate sliding (window 128) and full; 2 * 8 KV heads * 64 * 2 bytes = 2048.
    assertThat(gpt.kvCacheBytes(DataType.BF16, 10_000))
        .isEqualTo((18L * 10_000 + 18L * 128) * (2L * 8 * 64 * 2));
  }

  @Test
  void kvCacheBytes_deepSeekR1_storesOneLatentPerLayer() {
    ModelArchitecture r1 = ModelCatalog.require("deepseek-ai/DeepSeek-R1").architecture();
    // MLA: (kv_lora_rank 512 + qk_rope_head_dim 64) = 576 values per token and layer, 61 layers.
    assertThat(r1.kvCacheBytes(DataType.BF16, 1)).isEqualTo(61L * 576 * 2).isEqualTo(70_272L);
    assertThat(r1.kvCacheBytes(DataType.FP8_E4M3, 1000)).isEqualTo(1000L * 61 * 576);
  }

  @Test
  void kvCacheBytes_llama4Scout_chunkedLayersStopAtChunk() {
    ModelArchitecture scout =
        ModelCatalog.require("meta-llama/Llama-4-Scout-17B-16E-Instruct").architecture();
    // 48 layers: 12 global (every 4th), 36 chunked at 8192; 2 * 8 * 128 * 2 = 4096 bytes.
    assertThat(scout.kvCacheBytes(DataType.BF16, 100_000))
        .isEqualTo((12L * 100_000 + 36L * 8192) * 4096);
  }
}
