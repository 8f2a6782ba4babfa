package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.core.spec.SdkStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The planner's answer to a {@link ServingGoal}: every option it considered, feasible ones first
 * and cheapest first, rejected ones with their reasons.
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
