package io.github.gkeinference.core.model;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The facts about a decoder-only transformer that sizing depends on, as published in its Hugging
 * Face {@code config.json}.
 *
 * <p>Build one by hand, read one with {@link ModelConfigs}, or take one from {@link ModelCatalog}:
 *
 * <pre>{@code
 * ModelArchitecture llama = ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture();
 * long perToken = llama.kvCacheBytes(DataType.BF16, 1);           // 131,072 bytes
 * long weights = llama.nativeDtype().bytes(llama.totalParameters());
 * }</pre>
 *
 * <p>{@link #attentionLayers()} is empty when every layer uses full attention; otherwise it has one
 * entry per layer.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableModelArchitecture.class)
public interface ModelArchitecture {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The {@code model_type} of {@code config.json}, for example {@code llama} or {@code gemma3}. */
  String modelType();

  /** Decoder layers ({@code num_hidden_layers}). */
  int numLayers();

  /** The width of the residual stream ({@code hidden_size}). */
  int hiddenSize();

  /** The MLP width of dense layers ({@code intermediate_size}); 0 when every layer is MoE. */
  int intermediateSize();

  /** Query heads per layer ({@code num_attention_heads}). */
  int numAttentionHeads();

  /** Key/value heads per layer ({@code num_key_value_heads}); equals the query heads for MHA. */
  int numKeyValueHeads();

  /**
   * The size of one query/key head ({@code head_dim}); default {@code hiddenSize /
   * numAttentionHeads}. For MLA it is {@code qk_nope_head_dim + qk_rope_head_dim}.
   */
  @Value.Default
  default int headDim() {
    return numAttentionHeads() > 0 ? hiddenSize() / numAttentionHeads() : 0;
  }

  /** The size of one value head ({@code v_head_dim}); default {@link #headDim()}. */
  @Value.Default
  default int valueHeadDim() {
    return headDim();
  }

  /** The vocabulary size ({@code vocab_size}). */
  int vocabSize();

  /** Whether the output projection shares the input embedding ({@code tie_word_embeddings}). */
  boolean tiedEmbeddings();

  /** The longest context the model was trained for ({@code max_position_embeddings}). */
  int maxPositionEmbeddings();

  /**
   * The dtype of the bulk of the published weights: {@code torch_dtype}, or the quantized format
   * when {@code quantization_config} says so (FP8 for DeepSeek-R1, MXFP4 for gpt-oss).
   */
  DataType nativeDtype();

  /**
   * The dtype of the token embeddings and the output head when a quantized checkpoint keeps them in
   * higher precision (gpt-oss and Qwen3-FP8 keep them in bf16); empty: {@link #nativeDtype()}.
   */
  Optional<DataType> embeddingDtype();

  /**
   * The dtype of the attention projections when a quantized checkpoint keeps them in higher
   * precision (gpt-oss keeps them in bf16, only its experts are MXFP4); empty: the bulk dtype.
   */
  Optional<DataType> attentionDtype();

  /** The attention of each layer; empty when every layer uses full attention. */
  List<LayerAttention> attentionLayers();

  /** The mixture-of-experts part; empty for dense models. */
  Optional<MixtureOfExperts> moe();

  /** Multi-head latent attention; empty unless the model uses MLA. */
  Optional<LatentAttention> mla();

  /**
   * Returns the attention of layer {@code layer} (from 0).
   *
   * @param layer the layer index
   * @return the layer's attention
   */
  default LayerAttention attention(int layer) {
    if (layer < 0 || layer >= numLayers()) {
      throw new IndexOutOfBoundsException("layer " + layer + " of " + numLayers());
    }
    return attentionLayers().isEmpty() ? LayerAttention.full() : attentionLayers().get(layer);
  }

  /**
   * Returns the bytes of KV cache one sequence of {@code contextLength} tokens needs, following
   * vLLM's per-token page arithmetic (vllm-project/vllm vllm/v1/core/kv_cache_utils.py and
   * vllm/v1/kv_cache_interface.py), without rounding up to blocks.
   *
   * <p>Per layer and token a full or windowed layer stores {@code numKeyValueHeads * (headDim +
   * valueHeadDim)} values (K and V); an MLA layer stores one latent of {@code kvLoraRank +
   * qkRopeHeadDim} values. Full layers keep every token, windowed layers at most their window.
   *
   * @param kvDtype the KV-cache dtype
   * @param contextLength the sequence length in tokens; zero or more
   * @return the bytes, rounded up to a whole byte once
   * @throws IllegalArgumentException when {@code contextLength} is negative
   */
  default long kvCacheBytes(DataType kvDtype, long contextLength) {
    if (contextLength < 0) {
      throw new IllegalArgumentException(
          "contextLength must be zero or more, was " + contextLength);
    }
    long valuesPerTokenLayer = kvValuesPerTokenAndLayer();
    long tokens = 0;
    for (int layer = 0; layer < numLayers(); layer++) {
      tokens += attention(layer).cachedTokens(contextLength);
    }
    return kvDtype.bytes(Math.multiplyExact(tokens, valuesPerTokenLayer));
  }

  /**
   * Returns the values one token keeps per layer: K and V of every KV head, or MLA's one latent.
   */
  private long kvValuesPerTokenAndLayer() {
    return mla().isPresent()
        ? mla().get().cachedValuesPerToken()
        : (long) numKeyValueHeads() * (headDim() + valueHeadDim());
  }

  /**
   * Returns the parameter count computed from the architecture: embeddings, attention and MLP
   * matrices (all experts) and norms; biases and vision towers are not counted.
   */
  default long totalParameters() {
    return Parameters.count(this, false);
  }

  /**
   * Returns the parameters one token uses: as {@link #totalParameters()}, but with only {@code
   * expertsPerToken} routed experts per MoE layer. Equals the total for dense models.
   */
  default long activeParameters() {
    return Parameters.count(this, true);
  }

  /**
   * Returns the parameters of the routed experts of every MoE layer (their gate, up and down
   * projections; routers and shared experts not included): the part of the weights that expert
   * parallelism splits across devices. Zero for dense models.
   */
  default long routedExpertParameters() {
    return Parameters.routedExperts(this);
  }

  /**
   * Returns the bytes of the weights as published: {@code weightBytes(nativeDtype())}. An estimate
   * of the checkpoint's size on disk and in accelerator memory (biases, vision towers and
   * quantization scales other than MXFP4's are not counted).
   */
  default long weightBytes() {
    return weightBytes(nativeDtype());
  }

  /**
   * Returns the bytes of the weights when their bulk is stored as {@code bulk}: embeddings and
   * output head in {@link #embeddingDtype()}, attention projections in {@link #attentionDtype()}
   * when set, everything else in {@code bulk}.
   *
   * @param bulk the dtype of the matrices that are not kept in higher precision
   * @return the bytes
   */
  default long weightBytes(DataType bulk) {
    long embeddings = Parameters.embeddings(this);
    long attention = Parameters.attention(this) * numLayers();
    long rest = totalParameters() - embeddings - attention;
    return embeddingDtype().orElse(bulk).bytes(embeddings)
        + attentionDtype().orElse(bulk).bytes(attention)
        + bulk.bytes(rest);
  }

  /**
   * Returns the bytes of KV cache vLLM reserves for one sequence of {@code contextLength} tokens:
   * as {@link #kvCacheBytes}, but each layer counted with {@link LayerAttention#budgetTokens}
   * (sliding windows plus {@code maxNumBatchedTokens}, whole blocks).
   *
   * @param kvDtype the KV-cache dtype
   * @param contextLength the sequence length in tokens; zero or more
   * @param maxNumBatchedTokens vLLM's {@code --max-num-batched-tokens}
   * @param blockSize the KV block size in tokens
   * @return the bytes
   */
  default long kvCacheBudgetBytes(
      DataType kvDtype, long contextLength, int maxNumBatchedTokens, int blockSize) {
    long valuesPerTokenLayer = kvValuesPerTokenAndLayer();
    long tokens = 0;
    for (int layer = 0; layer < numLayers(); layer++) {
      tokens += attention(layer).budgetTokens(contextLength, maxNumBatchedTokens, blockSize);
    }
    return kvDtype.bytes(Math.multiplyExact(tokens, valuesPerTokenLayer));
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  /**
   * Adds this value's violations to {@code v}.
   *
   * @param v the collector, positioned at this value
   */
  default void validate(Violations v) {
    v.require(!modelType().isBlank(), "modelType", modelType(), "must not be empty");
    v.require(numLayers() >= 1, "numLayers", numLayers(), "must be at least 1");
    v.require(hiddenSize() >= 1, "hiddenSize", hiddenSize(), "must be at least 1");
    v.require(
        numAttentionHeads() >= 1, "numAttentionHeads", numAttentionHeads(), "must be at least 1");
    v.require(
        numKeyValueHeads() >= 1
            && numAttentionHeads() >= 1
            && numAttentionHeads() % numKeyValueHeads() == 0,
        "numKeyValueHeads",
        numKeyValueHeads(),
        "must be at least 1 and divide numAttentionHeads (" + numAttentionHeads() + ")");
    v.require(headDim() >= 1, "headDim", headDim(), "must be at least 1");
    v.require(valueHeadDim() >= 1, "valueHeadDim", valueHeadDim(), "must be at least 1");
    v.require(vocabSize() >= 1, "vocabSize", vocabSize(), "must be at least 1");
    v.require(
        maxPositionEmbeddings() >= 1,
        "maxPositionEmbeddings",
        maxPositionEmbeddings(),
        "must be at least 1");
    boolean denseLayers =
        moe().isEmpty()
            || java.util.stream.IntStream.range(0, Math.max(numLayers(), 0))
                .anyMatch(i -> !moe().get().isMoeLayer(i));
    v.require(
        denseLayers ? intermediateSize() >= 1 : intermediateSize() >= 0,
        "intermediateSize",
        intermediateSize(),
        denseLayers
            ? "must be at least 1: the model has dense MLP layers"
            : "must be zero or more");
    v.require(
        attentionLayers().isEmpty() || attentionLayers().size() == numLayers(),
        "attentionLayers",
        attentionLayers().size() + " layers",
        "must be empty (all full attention) or have one entry per layer (" + numLayers() + ")");
    moe().ifPresent(m -> m.validate(v.at("moe")));
    mla()
        .ifPresent(
            m -> {
              m.validate(v.at("mla"));
              v.require(
                  headDim() == m.qkNopeHeadDim() + m.qkRopeHeadDim(),
                  "headDim",
                  headDim(),
                  "must equal mla.qkNopeHeadDim + mla.qkRopeHeadDim ("
                      + (m.qkNopeHeadDim() + m.qkRopeHeadDim())
                      + ")");
            });
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableModelArchitecture.Builder {
    /**
     * Sets the mixture-of-experts part from a builder.
     *
     * @param moe fills the nested builder
     * @return this builder
     */
    public Builder moe(Consumer<MixtureOfExperts.Builder> moe) {
      MixtureOfExperts.Builder b = MixtureOfExperts.builder();
      moe.accept(b);
      return moe(b.build());
    }

    /**
     * Sets multi-head latent attention from a builder.
     *
     * @param mla fills the nested builder
     * @return this builder
     */
    public Builder mla(Consumer<LatentAttention.Builder> mla) {
      LatentAttention.Builder b = LatentAttention.builder();
      mla.accept(b);
      return mla(b.build());
    }
  }
}
