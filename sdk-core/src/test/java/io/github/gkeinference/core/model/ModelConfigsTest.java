package io.github.gkeinference.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigsTest {

  private static ModelArchitecture parse(String json) {
    return ModelConfigs.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static SdkValidationException failure(String json) {
    try {
      parse(json);
    } catch (SdkValidationException e) {
      return e;
    }
    throw new AssertionError("expected an SdkValidationException");
  }

  private static final String MINIMAL =
      "{\"model_type\":\"llama\",\"num_hidden_layers\":2,\"hidden_size\":64,"
          + "\"intermediate_size\":128,\"num_attention_heads\":4,\"vocab_size\":100,"
          + "\"max_position_embeddings\":512,\"torch_dtype\":\"float16\"}";

  @Test
  void parse_minimal_appliesTransformersDefaults() {
    ModelArchitecture m = parse(MINIMAL);
    assertThat(m.numKeyValueHeads()).isEqualTo(4); // defaults to the query heads (MHA)
    assertThat(m.headDim()).isEqualTo(16); // 64 / 4
    assertThat(m.tiedEmbeddings()).isFalse();
    assertThat(m.nativeDtype()).isEqualTo(DataType.FP16);
    assertThat(m.attentionLayers()).isEmpty();
  }

  @Test
  void parse_withoutNumHiddenLayers_namesTheJsonPath() {
    SdkValidationException e = failure(MINIMAL.replace("\"num_hidden_layers\":2,", ""));
    assertThat(e.violations()).extracting(Violation::path).containsExactly("$.num_hidden_layers");
  }

  @Test
  void parse_nestedTextConfig_reportsPathsInsideIt() {
    String json =
        "{\"model_type\":\"gemma3\",\"torch_dtype\":\"bfloat16\",\"text_config\":{"
            + "\"model_type\":\"llama_text\",\"hidden_size\":\"wide\",\"num_attention_heads\":4,"
            + "\"intermediate_size\":8,\"vocab_size\":10,\"max_position_embeddings\":8}}";
    SdkValidationException e = failure(json);
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("$.text_config.num_hidden_layers", "$.text_config.hidden_size");
  }

  @Test
  void parse_unknownDtypeAndLayerType_areEachReported() {
    String json =
        MINIMAL
            .replace("\"float16\"", "\"float7\"")
            .replace(
                "\"model_type\":\"llama\",",
                "\"model_type\":\"llama\",\"sliding_window\":16,"
                    + "\"layer_types\":[\"full_attention\",\"mamba\"],");
    SdkValidationException e = failure(json);
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("$.torch_dtype", "$.layer_types[1]");
  }

  @Test
  void parse_unknownQuantizationMethod_isReported() {
    String json = MINIMAL.replace("}", ",\"quantization_config\":{\"quant_method\":\"magic\"}}");
    assertThat(failure(json).violations())
        .extracting(Violation::path)
        .containsExactly("$.quantization_config.quant_method");
  }

  @Test
  void parse_notAnObject_isAViolation() {
    assertThat(failure("[1,2]").violations()).extracting(Violation::path).containsExactly("$");
    assertThat(failure("{not json").violations()).extracting(Violation::path).containsExactly("$");
  }

  @Test
  void parse_mistralStyleSlidingWindow_appliesToEveryLayer() {
    ModelArchitecture m = parse(MINIMAL.replace("}", ",\"sliding_window\":4096}"));
    assertThat(m.attentionLayers()).hasSize(2).allMatch(l -> l.window() == 4096);
    // Qwen-style: the window is configured but switched off.
    ModelArchitecture off =
        parse(MINIMAL.replace("}", ",\"sliding_window\":4096,\"use_sliding_window\":false}"));
    assertThat(off.attentionLayers()).isEmpty();
  }

  @Test
  void parse_llama4ExplicitNoRopeLayers_equalsTheIntervalRule() {
    // transformers writes no_rope_layers out in full (1 = RoPE and chunked, 0 = NoPE and global);
    // the published file leaves it empty, which means "every 4th layer is NoPE".
    StringBuilder explicit = new StringBuilder("\"no_rope_layers\": [");
    for (int i = 0; i < 48; i++) {
      explicit.append(i == 0 ? "" : ",").append((i + 1) % 4 == 0 ? 0 : 1);
    }
    String json =
        new String(
                ModelCatalogTest.fixture("meta-llama/Llama-4-Scout-17B-16E-Instruct"),
                StandardCharsets.UTF_8)
            .replace("\"no_rope_layers\": []", explicit.append("]").toString());
    assertThat(json).contains("1,1,1,0,1");
    assertThat(parse(json))
        .isEqualTo(
            ModelCatalog.require("meta-llama/Llama-4-Scout-17B-16E-Instruct").architecture());
  }

  @Test
  void read_fromFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, MINIMAL);
    assertThat(ModelConfigs.read(file)).isEqualTo(parse(MINIMAL));
  }

  @Test
  void read_missingFile_isAnSdkException(@TempDir Path dir) {
    assertThatThrownBy(() -> ModelConfigs.read(dir.resolve("nope.json")))
        .isInstanceOf(io.github.gkeinference.core.SdkException.class)
        .hasMessageContaining("nope.json");
  }
}
