package io.github.gkeinference.core.model;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The mixture-of-experts part of a model: how many experts, how many each token uses, and which
 * layers are MoE layers.
 *
 * <p>Layer {@code i} (from 0) is an MoE layer when {@code i >= firstDenseLayers} and {@code (i + 1)
 * % layerInterval == 0}; other layers use a dense MLP of the model's {@code intermediateSize}. This
 * covers DeepSeek ({@code first_k_dense_replace}) and Llama 4 ({@code interleave_moe_layer_step}).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableMixtureOfExperts.class)
public interface MixtureOfExperts {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Routed experts per MoE layer ({@code num_local_experts}, {@code n_routed_experts}). */
  int numExperts();

  /** Routed experts each token uses ({@code num_experts_per_tok}, {@code experts_per_token}). */
  int expertsPerToken();

  /** The MLP width of one routed expert ({@code moe_intermediate_size} or the model's). */
  int expertIntermediateSize();

  /** Shared experts every token uses ({@code n_shared_experts}); default 0. */
  @Value.Default
  default int numSharedExperts() {
    return 0;
  }

  /** The MLP width of one shared expert; default 0 (no shared expert). */
  @Value.Default
  default int sharedExpertIntermediateSize() {
    return 0;
  }

  /** Leading layers that stay dense ({@code first_k_dense_replace}); default 0. */
  @Value.Default
  default int firstDenseLayers() {
    return 0;
  }

  /** Every how many layers an MoE layer occurs ({@code interleave_moe_layer_step}); default 1. */
  @Value.Default
  default int layerInterval() {
    return 1;
  }

  /**
   * Returns whether layer {@code layer} (from 0) is an MoE layer.
   *
   * @param layer the layer index
   * @return whether the layer routes to experts
   */
  default boolean isMoeLayer(int layer) {
    return layer >= firstDenseLayers() && (layer + 1) % layerInterval() == 0;
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
    v.require(numExperts() >= 1, "numExperts", numExperts(), "must be at least 1");
    v.require(
        expertsPerToken() >= 1 && expertsPerToken() <= numExperts(),
        "expertsPerToken",
        expertsPerToken(),
        "must be between 1 and numExperts (" + numExperts() + ")");
    v.require(
        expertIntermediateSize() >= 1,
        "expertIntermediateSize",
        expertIntermediateSize(),
        "must be at least 1");
    v.require(
        numSharedExperts() >= 0, "numSharedExperts", numSharedExperts(), "must be zero or more");
    v.require(
        numSharedExperts() == 0
            ? sharedExpertIntermediateSize() >= 0
            : sharedExpertIntermediateSize() >= 1,
        "sharedExpertIntermediateSize",
        sharedExpertIntermediateSize(),
        "must be at least 1 when there are shared experts, zero or more otherwise");
    v.require(
        firstDenseLayers() >= 0, "firstDenseLayers", firstDenseLayers(), "must be zero or more");
    v.require(layerInterval() >= 1, "layerInterval", layerInterval(), "must be at least 1");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableMixtureOfExperts.Builder {}
}
