package io.github.gkeinference.core.model;

import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.validate.Violations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelArchitecture}.
 *
 * <p>Multimodal configs are read from their nested {@code text_config}; fields missing there are
 * looked up in the top level, then in the defaults of the transformers config class for the few
 * model types whose published files rely on them (Gemma 3's {@code Gemma3TextConfig}). MoE fields
 * ({@code num_local_experts}, {@code n_routed_experts}, {@code num_experts_per_tok}, {@code
 * moe_intermediate_size}, {@code n_shared_experts}, {@code first_k_dense_replace}, {@code
 * interleave_moe_layer_step}), sliding windows ({@code layer_types}, {@code sliding_window}, Gemma
 * 3's {@code sliding_window_pattern}, Llama 4's chunked attention) and MLA ({@code kv_lora_rank}
 * and friends) are understood.
 *
 * <p>Keys the SDK does not need (rope scaling, token ids...) are ignored. A missing required field,
 * a value of the wrong JSON type, or a value the SDK does not know (an unknown dtype, layer type or
 * quantization method) is reported with its JSON path, for example {@code
 * $.text_config.num_hidden_layers}; all problems are reported together in one {@link
 * io.github.gkeinference.core.validate.SdkValidationException}.
 */
public final class ModelConfigs {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Defaults of transformers config classes for fields that published files leave out. Source:
   * {@code transformers/models/gemma3/configuration_gemma3.py} ({@code Gemma3TextConfig.__init__}).
   */
  private static final Map<String, Map<String, Object>> DEFAULTS =
      Map.of(
          "gemma3_text",
          Map.ofEntries(
              Map.entry("vocab_size", 262_208),
              Map.entry("hidden_size", 2304),
              Map.entry("intermediate_size", 9216),
              Map.entry("num_hidden_layers", 26),
              Map.entry("num_attention_heads", 8),
              Map.entry("num_key_value_heads", 4),
              Map.entry("head_dim", 256),
              Map.entry("max_position_embeddings", 131_072),
              Map.entry("sliding_window", 4096),
              Map.entry("sliding_window_pattern", 6),
              Map.entry("tie_word_embeddings", true)));

  private ModelConfigs() {}

  /**
   * Reads a {@code config.json} file.
   *
   * @param file the file
   * @return the architecture
   * @throws io.github.gkeinference.core.validate.SdkValidationException when fields are missing or
   *     invalid
   * @throws SdkException when the file cannot be read
   */
  public static ModelArchitecture read(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new SdkException("cannot read model config " + file, e);
    }
  }

  /**
   * Parses the bytes of a {@code config.json}.
   *
   * @param json the file's content, UTF-8
   * @return the architecture
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the JSON is malformed
   *     or fields are missing or invalid
   */
  public static ModelArchitecture parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      Violations v = Violations.root();
      v.error("$", null, "must be a JSON object: " + e.getOriginalMessage());
      v.throwIfErrors();
      throw e; // unreachable
    }
    return parse(root);
  }

  /**
   * Parses a {@code config.json} already read as a JSON tree.
   *
   * @param root the JSON object
   * @return the architecture
   * @throws io.github.gkeinference.core.validate.SdkValidationException when fields are missing or
   *     invalid
   */
  public static ModelArchitecture parse(JsonNode root) {
    return new Reader(root).read();
  }

  /** One parse: the config's two levels, the defaults that apply, and the violations found. */
  private static final class Reader {
    private final Violations v = Violations.root("$");
    private final JsonNode root;
    private final JsonNode text;
    private final String textPath;
    private final Map<String, Object> defaults;

    Reader(JsonNode root) {
      this.root = root;
      JsonNode nested = root.isObject() ? root.get("text_config") : null;
      boolean hasText = nested != null && nested.isObject();
      this.text = hasText ? nested : root;
      this.textPath = hasText ? "text_config." : "";
      String textType = text.isObject() ? stringOrEmpty(text.get("model_type")) : "";
      this.defaults = DEFAULTS.getOrDefault(textType, Map.of());
    }

    ModelArchitecture read() {
      if (!root.isObject()) {
        v.error("", root.getNodeType(), "must be a JSON object");
        v.throwIfErrors();
      }
      String modelType = requiredString("model_type");
      int layers = requiredInt("num_hidden_layers");
      int hidden = requiredInt("hidden_size");
      int heads = requiredInt("num_attention_heads");
      Integer kvHeads = optionalInt("num_key_value_heads");
      int vocab = requiredInt("vocab_size");
      int maxPositions = requiredInt("max_position_embeddings");
      Integer denseMlp = optionalInt("intermediate_size_mlp"); // Llama 4's dense layers
      int intermediate = denseMlp != null ? denseMlp : requiredInt("intermediate_size");
      Boolean tied = optionalBoolean("tie_word_embeddings");
      DataType dtype = dtype();

      ModelArchitecture.Builder b =
          ModelArchitecture.builder()
              .modelType(modelType)
              .numLayers(layers)
              .hiddenSize(hidden)
              .intermediateSize(intermediate)
              .numAttentionHeads(heads)
              .numKeyValueHeads(kvHeads != null ? kvHeads : heads)
              .vocabSize(vocab)
              .maxPositionEmbeddings(maxPositions)
              .tiedEmbeddings(tied != null && tied);
      if (dtype != null) {
        b.nativeDtype(dtype);
      }
      keptInHigherPrecision(b);
      mla(b);
      if (present("kv_lora_rank") == null) {
        Integer headDim = optionalInt("head_dim");
        if (headDim != null) {
          b.headDim(headDim);
        }
      }
      moe(b, layers, intermediate);
      b.attentionLayers(attention(modelType, layers));
      v.throwIfErrors();
      return b.build();
    }

    private void mla(ModelArchitecture.Builder b) {
      if (present("kv_lora_rank") == null) {
        return;
      }
      int kvLora = requiredInt("kv_lora_rank");
      Integer qLora = optionalInt("q_lora_rank");
      int rope = requiredInt("qk_rope_head_dim");
      int nope = requiredInt("qk_nope_head_dim");
      int valueDim = requiredInt("v_head_dim");
      if (v.hasErrors()) {
        return;
      }
      b.mla(
              m ->
                  m.kvLoraRank(kvLora)
                      .qLoraRank(qLora != null ? qLora : 0)
                      .qkRopeHeadDim(rope)
                      .qkNopeHeadDim(nope))
          .headDim(nope + rope)
          .valueHeadDim(valueDim);
    }

    private void moe(ModelArchitecture.Builder b, int layers, int intermediate) {
      String expertsField = firstPresent("num_local_experts", "n_routed_experts", "num_experts");
      if (expertsField == null) {
        return;
      }
      int experts = requiredInt(expertsField);
      String perTokenField = firstPresent("num_experts_per_tok", "experts_per_token");
      int perToken = requiredInt(perTokenField != null ? perTokenField : "num_experts_per_tok");
      Integer moeIntermediate = optionalInt("moe_intermediate_size");
      int expertSize = moeIntermediate != null ? moeIntermediate : requiredInt("intermediate_size");
      Integer shared = optionalInt("n_shared_experts");
      Integer sharedSize = optionalInt("shared_expert_intermediate_size");
      Integer firstDense = optionalInt("first_k_dense_replace");
      Integer interval = optionalInt("interleave_moe_layer_step");
      boolean llama4 = "llama4_text".equals(stringOrEmpty(text.get("model_type")));
      if (v.hasErrors()) {
        return;
      }
      MixtureOfExperts.Builder m =
          MixtureOfExperts.builder()
              .numExperts(experts)
              .expertsPerToken(perToken)
              .expertIntermediateSize(expertSize);
      if (shared != null && shared > 0) {
        // DeepSeek: each shared expert is as wide as a routed one (moe_intermediate_size).
        m.numSharedExperts(shared).sharedExpertIntermediateSize(expertSize);
      } else if (sharedSize != null && sharedSize > 0) {
        m.numSharedExperts(1).sharedExpertIntermediateSize(sharedSize);
      } else if (llama4) {
        // Llama 4's MoE layers add one shared expert of intermediate_size (Llama4TextMoe).
        m.numSharedExperts(1).sharedExpertIntermediateSize(expertSize);
      }
      if (firstDense != null) {
        m.firstDenseLayers(firstDense);
      }
      if (interval != null) {
        m.layerInterval(interval);
      }
      b.moe(m.build());
    }

    private List<LayerAttention> attention(String modelType, int layers) {
      List<LayerAttention> result = new ArrayList<>();
      JsonNode layerTypes = present("layer_types");
      if (layerTypes != null) {
        String path = pathOf("layer_types");
        if (!layerTypes.isArray() || layerTypes.size() != layers) {
          v.error(
              path,
              layerTypes.size() + " entries",
              "must list one type per layer (" + layers + ")");
          return List.of();
        }
        for (int i = 0; i < layerTypes.size(); i++) {
          String type = stringOrEmpty(layerTypes.get(i));
          switch (type) {
            case "full_attention":
              result.add(LayerAttention.full());
              break;
            case "sliding_attention":
              Integer window = windowOf("sliding_window");
              result.add(
                  window == null ? LayerAttention.full() : LayerAttention.slidingWindow(window));
              break;
            case "chunked_attention":
              Integer chunk = windowOf("attention_chunk_size");
              result.add(
                  chunk == null ? LayerAttention.full() : LayerAttention.chunkedLocal(chunk));
              break;
            default:
              v.error(
                  path + "[" + i + "]",
                  type,
                  "must be full_attention, sliding_attention or chunked_attention");
          }
        }
      } else if (modelType.startsWith("gemma3")) {
        Integer window = windowOf("sliding_window");
        Integer pattern = optionalInt("sliding_window_pattern");
        int every = pattern != null ? pattern : 6;
        for (int i = 0; i < layers && window != null; i++) {
          result.add(
              (i + 1) % every == 0 ? LayerAttention.full() : LayerAttention.slidingWindow(window));
        }
      } else if (modelType.startsWith("llama4") && present("attention_chunk_size") != null) {
        result.addAll(llama4Chunks(layers));
      } else if (present("sliding_window") != null
          && !Boolean.FALSE.equals(optionalBoolean("use_sliding_window"))) {
        Integer window = windowOf("sliding_window");
        for (int i = 0; i < layers && window != null; i++) {
          result.add(LayerAttention.slidingWindow(window));
        }
      }
      return result.stream().allMatch(LayerAttention::isFull) ? List.of() : result;
    }

    /**
     * Llama 4: layers that use RoPE use chunked attention, every {@code no_rope_layer_interval}-th
     * layer (NoPE, default interval 4) attends globally; {@code no_rope_layers} overrides (1 =
     * RoPE). Source: transformers {@code Llama4TextConfig}, vLLM {@code Llama4Attention}.
     */
    private List<LayerAttention> llama4Chunks(int layers) {
      Integer chunk = windowOf("attention_chunk_size");
      JsonNode noRope = present("no_rope_layers");
      Integer intervalValue = optionalInt("no_rope_layer_interval");
      int interval = intervalValue != null ? intervalValue : 4;
      List<LayerAttention> result = new ArrayList<>();
      if (chunk == null) {
        return result;
      }
      boolean explicit = noRope != null && noRope.isArray() && noRope.size() > 0;
      if (explicit && noRope.size() != layers) {
        v.error(
            pathOf("no_rope_layers"), noRope.size() + " entries", "must have one entry per layer");
        return result;
      }
      for (int i = 0; i < layers; i++) {
        boolean rope = explicit ? noRope.get(i).asInt() != 0 : (i + 1) % interval != 0;
        result.add(rope ? LayerAttention.chunkedLocal(chunk) : LayerAttention.full());
      }
      return result;
    }

    private @Nullable Integer windowOf(String field) {
      Integer window = optionalInt(field);
      if (window != null && window < 1) {
        v.error(pathOf(field), window, "must be at least 1 token");
        return null;
      }
      return window;
    }

    /**
     * The dtype of the bulk of the weights: the quantized format when {@code quantization_config}
     * names one (gpt-oss publishes no {@code torch_dtype} at all), otherwise {@code torch_dtype}
     * (or {@code dtype}, its newer name).
     */
    private @Nullable DataType dtype() {
      JsonNode quant = present("quantization_config");
      if (quant != null && quant.isObject()) {
        return quantized(quant);
      }
      String field = firstPresent("torch_dtype", "dtype");
      if (field == null) {
        v.error(textPath + "torch_dtype", null, "is required: the dtype of the published weights");
        return null;
      }
      String name = stringOrEmpty(present(field));
      DataType base = DataType.fromName(name).orElse(null);
      if (base == null) {
        v.error(pathOf(field), name, "must be float32, bfloat16 or float16");
      }
      return base;
    }

    /**
     * Quantization methods (fp8, MXFP4, AWQ, GPTQ) convert linear layers only: the token embeddings
     * and the output head stay in the checkpoint's {@code torch_dtype} (bf16 when absent, as for
     * gpt-oss). Attention stays too when {@code modules_to_not_convert} lists {@code self_attn}.
     */
    private void keptInHigherPrecision(ModelArchitecture.Builder b) {
      JsonNode quant = present("quantization_config");
      if (quant == null || !quant.isObject()) {
        return;
      }
      String field = firstPresent("torch_dtype", "dtype");
      DataType high =
          field == null
              ? DataType.BF16
              : DataType.fromName(stringOrEmpty(present(field))).orElse(DataType.BF16);
      b.embeddingDtype(high);
      JsonNode keep = quant.get("modules_to_not_convert");
      if (keep != null && keep.isArray()) {
        for (JsonNode module : keep) {
          if (stringOrEmpty(module).contains("self_attn")) {
            b.attentionDtype(high);
            break;
          }
        }
      }
    }

    private @Nullable DataType quantized(JsonNode quant) {
      String prefix = pathOf("quantization_config");
      String method = stringOrEmpty(quant.get("quant_method")).toLowerCase(Locale.ROOT);
      switch (method) {
        case "fp8":
          return "e5m2".equals(stringOrEmpty(quant.get("fmt")))
              ? DataType.FP8_E5M2
              : DataType.FP8_E4M3;
        case "mxfp4":
          return DataType.MXFP4;
        case "awq":
        case "gptq":
          JsonNode bits = quant.get("bits");
          if (bits != null && bits.isIntegralNumber() && (bits.asInt() == 4 || bits.asInt() == 8)) {
            return bits.asInt() == 4 ? DataType.INT4 : DataType.INT8;
          }
          v.error(prefix + ".bits", bits, "must be 4 or 8");
          return null;
        default:
          v.error(
              prefix + ".quant_method",
              method,
              "must be a quantization method the SDK knows: fp8, mxfp4, awq or gptq");
          return null;
      }
    }

    // --- field access: text_config first, then the top level, then class defaults ---

    private @Nullable JsonNode present(String field) {
      JsonNode node = text.get(field);
      if ((node == null || node.isNull()) && text != root) {
        node = root.get(field);
      }
      if (node == null || node.isNull()) {
        Object fallback = defaults.get(field);
        return fallback == null ? null : JSON.valueToTree(fallback);
      }
      return node;
    }

    private String pathOf(String field) {
      JsonNode own = text.get(field);
      boolean inText = own != null && !own.isNull();
      if (!inText && text != root) {
        JsonNode top = root.get(field);
        if (top != null && !top.isNull()) {
          return field;
        }
      }
      return textPath + field;
    }

    private @Nullable String firstPresent(String... fields) {
      for (String f : fields) {
        if (present(f) != null) {
          return f;
        }
      }
      return null;
    }

    private int requiredInt(String field) {
      Integer value = optionalInt(field);
      if (value == null) {
        if (present(field) == null) {
          v.error(textPath + field, null, "is required");
        }
        return 0;
      }
      return value;
    }

    private @Nullable Integer optionalInt(String field) {
      JsonNode node = present(field);
      if (node == null) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        v.error(pathOf(field), node, "must be a whole number");
        return null;
      }
      return node.asInt();
    }

    private @Nullable Boolean optionalBoolean(String field) {
      JsonNode node = present(field);
      if (node == null) {
        return null;
      }
      if (!node.isBoolean()) {
        v.error(pathOf(field), node, "must be true or false");
        return null;
      }
      return node.asBoolean();
    }

    private String requiredString(String field) {
      JsonNode node = root.get(field);
      if (node == null || node.isNull()) {
        v.error(field, null, "is required");
        return "";
      }
      if (!node.isString()) {
        v.error(field, node, "must be a string");
        return "";
      }
      return node.asString();
    }

    private static String stringOrEmpty(@Nullable JsonNode node) {
      return node != null && node.isString() ? node.asString() : "";
    }
  }
}
