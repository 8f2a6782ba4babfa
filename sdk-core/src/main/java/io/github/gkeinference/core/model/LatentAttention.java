package io.github.gkeinference.core.model;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Multi-head latent attention (MLA, DeepSeek V2/V3/R1): keys and values are compressed into one
 * latent vector per token and layer, which is all the KV cache stores.
 *
 * <p>vLLM's {@code MLAAttentionSpec} caches {@code kv_lora_rank + qk_rope_head_dim} values per
 * token and layer (576 for DeepSeek-R1) with a single KV "head" (vllm-project/vllm
 * vllm/v1/core/kv_cache_utils.py and vllm/v1/kv_cache_interface.py).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableLatentAttention.class)
public interface LatentAttention {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The rank of the compressed key/value latent ({@code kv_lora_rank}). */
  int kvLoraRank();

  /**
   * The rank of the compressed query, or 0 when queries are not compressed ({@code q_lora_rank}).
   */
  @Value.Default
  default int qLoraRank() {
    return 0;
  }

  /** The rotary part of each query/key head ({@code qk_rope_head_dim}). */
  int qkRopeHeadDim();

  /** The non-rotary part of each query/key head ({@code qk_nope_head_dim}). */
  int qkNopeHeadDim();

  /** Returns the values cached per token and layer: {@code kvLoraRank + qkRopeHeadDim}. */
  default int cachedValuesPerToken() {
    return kvLoraRank() + qkRopeHeadDim();
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
    v.require(kvLoraRank() >= 1, "kvLoraRank", kvLoraRank(), "must be at least 1");
    v.require(qLoraRank() >= 0, "qLoraRank", qLoraRank(), "must be zero (no compression) or more");
    v.require(qkRopeHeadDim() >= 1, "qkRopeHeadDim", qkRopeHeadDim(), "must be at least 1");
    v.require(qkNopeHeadDim() >= 0, "qkNopeHeadDim", qkNopeHeadDim(), "must be zero or more");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableLatentAttention.Builder {}
}
