package io.github.gkeinference.accelerators.giq;

import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.spec.SdkStyle;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * What GIQ computed one measured operating point costs under one pricing model ({@code
 * gkerecommender.v1.Cost}).
 *
 * <p>GIQ's formula (stated in {@code google/cloud/gkerecommender/v1/gkerecommender.proto}): cost
 * per output token = accelerator cost per second / (input tokens per second / output-input cost
 * ratio + output tokens per second).
 */
@Value.Immutable
@SdkStyle
public interface GiqCost {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The pricing model, when GIQ named one this SDK knows; GIQ's own name is {@link #pricing()}. */
  Optional<PricingModel> pricingModel();

  /** GIQ's name of the pricing model, for example {@code spot} or {@code 3-years-cud}. */
  String pricing();

  /** US dollars per million output tokens. */
  double usdPerMillionOutputTokens();

  /** US dollars per million input tokens, when GIQ reported it. */
  OptionalDouble usdPerMillionInputTokens();

  /** The output-to-input cost ratio GIQ used, when it reported one (its default is 4.0). */
  OptionalDouble outputInputCostRatio();

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGiqCost.Builder {}
}
