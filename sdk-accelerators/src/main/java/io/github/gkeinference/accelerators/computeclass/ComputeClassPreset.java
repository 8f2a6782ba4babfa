package io.github.gkeinference.accelerators.computeclass;

import java.time.Duration;
import java.util.List;

/**
 * Ready-made priority orders for accelerator ComputeClasses, taken from the GKE inference reference
 * architecture's ComputeClasses (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/core/custom_compute_class/templates/manifests).
 */
public enum ComputeClassPreset {
  /**
   * Reservation (best effort) -> on-demand -> flex-start 7 days -> flex-start 1 day -> Spot: the
   * seed's "default" GPU classes. Uses reserved and steady capacity first, then waits for
   * flex-start capacity (shorter runs are easier to get), and takes Spot only as the last resort,
   * because a preempted model server loses minutes loading its weights again.
   */
  STANDARD,
  /**
   * Spot -> flex-start 1 day -> flex-start 7 days -> reservation -> on-demand: the seed's {@code
   * -co} (cost-optimized) classes. For batch or interruption-tolerant serving, where the lowest
   * price matters more than staying up.
   */
  COST_OPTIMIZED,
  /**
   * {@link #STANDARD} without its Spot rule: the seed's {@code -no-spot} classes. For serving that
   * must not be preempted.
   */
  NO_SPOT;

  private static final Duration SEVEN_DAYS = Duration.ofDays(7);
  private static final Duration ONE_DAY = Duration.ofDays(1);

  /** Returns the rules of this preset, highest priority first. */
  public List<PriorityRule> rules() {
    return switch (this) {
      case STANDARD ->
          List.of(
              PriorityRule.anyReservation(),
              PriorityRule.onDemand(),
              PriorityRule.flexStartFor(SEVEN_DAYS),
              PriorityRule.flexStartFor(ONE_DAY),
              PriorityRule.spotVms());
      case COST_OPTIMIZED ->
          List.of(
              PriorityRule.spotVms(),
              PriorityRule.flexStartFor(ONE_DAY),
              PriorityRule.flexStartFor(SEVEN_DAYS),
              PriorityRule.anyReservation(),
              PriorityRule.onDemand());
      case NO_SPOT ->
          List.of(
              PriorityRule.anyReservation(),
              PriorityRule.onDemand(),
              PriorityRule.flexStartFor(SEVEN_DAYS),
              PriorityRule.flexStartFor(ONE_DAY));
    };
  }
}
