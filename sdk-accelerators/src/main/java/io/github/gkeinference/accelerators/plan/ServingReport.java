package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.core.spec.SdkStyle;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The planner's answer to a {@link ServingGoal}: every option it considered, feasible ones first
 * and cheapest first ({@link #rankingRule()}), rejected ones with their reasons.
 */
@Value.Immutable
@SdkStyle
public interface ServingReport {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The goal. */
  ServingGoal goal();

  /** Every option, ranked. */
  List<ServingOption> options();

  /**
   * Returns how the options are ranked, in words for the {@code plan} output: without a target rate
   * by the price per hour of one replica (the smallest deployment that meets the SLO), with one by
   * the price per hour of the replicas that rate needs; then by the cost per million output tokens.
   */
  default String rankingRule() {
    if (goal().targetQps().isEmpty()) {
      return "Ranked by $/hour of one replica, the smallest deployment that meets the SLO (no"
          + " target rate; give --qps to size for one), then $/1M output tokens.";
    }
    return String.format(
        Locale.ROOT,
        "Ranked by $/hour of the replicas %s QPS needs (replicas x price), then $/1M"
            + " output tokens.",
        BigDecimal.valueOf(goal().targetQps().getAsDouble()).stripTrailingZeros().toPlainString());
  }

  /** Returns the cheapest feasible option, if any meets the goal. */
  default Optional<ServingOption> recommendation() {
    return options().stream().filter(ServingOption::feasible).findFirst();
  }

  /** Returns the feasible options, cheapest first. */
  default List<ServingOption> feasible() {
    return options().stream().filter(ServingOption::feasible).toList();
  }

  /** Returns the rejected options with their reasons. */
  default List<ServingOption> rejected() {
    return options().stream().filter(o -> !o.feasible()).toList();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableServingReport.Builder {}
}
