package io.github.gkeinference.accelerators.nodepool;

/**
 * How the node-pool autoscaler spreads nodes over zones ({@code
 * NodePoolAutoscaling.location_policy}).
 */
public enum LocationPolicy {
  /** Spread nodes evenly over the zones. */
  BALANCED,
  /** Take capacity in any zone that has it; better for scarce accelerators and Spot. */
  ANY
}
