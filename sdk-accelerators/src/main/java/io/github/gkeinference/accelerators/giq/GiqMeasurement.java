package io.github.gkeinference.accelerators.giq;

import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.spec.SdkStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One measured operating point of a GIQ profile ({@code gkerecommender.v1.PerformanceStats}): the
 * load GIQ's benchmark ran at and the latencies it measured, in the planner's units. These are
 * measurements, not estimates.
 */
@Value.Immutable
@SdkStyle
public interface GiqMeasurement {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Requests per second served. */
  double qps();

  /** Output tokens per second served. */
  double outputTokensPerSecond();

  /** Normalized time per output token, milliseconds. */
  double ntpotMillis();

  /** Time to first token, milliseconds. */
  double ttftMillis();

  /** What this operating point costs under each pricing model GIQ reported. */
  List<GiqCost> costs();

  /**
   * Returns whether this point meets latency targets.
   *
   * @param ttftMillis the TTFT target, milliseconds
   * @param ntpotMillis the NTPOT target, milliseconds
   * @return whether both measured latencies are at or below their targets
   */
  default boolean meets(double ttftMillis, double ntpotMillis) {
    return ttftMillis() <= ttftMillis && ntpotMillis() <= ntpotMillis;
  }

  /**
   * Returns the cost under one pricing model.
   *
   * @param model the pricing model
   * @return the cost, or empty when GIQ reported none for that model
   */
  default Optional<GiqCost> cost(PricingModel model) {
    return costs().stream().filter(c -> c.pricingModel().equals(Optional.of(model))).findFirst();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGiqMeasurement.Builder {}
}
