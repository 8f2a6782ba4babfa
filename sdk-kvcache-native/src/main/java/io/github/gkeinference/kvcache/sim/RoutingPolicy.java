package io.github.gkeinference.kvcache.sim;

/** How the simulator's router picks a replica for each arriving request. */
public enum RoutingPolicy {
  /** Replicas in turn, ignoring their state. */
  ROUND_ROBIN,
  /** The replica with the lowest KV-cache usage (ties: shortest queue, then lowest index). */
  LEAST_KV_USAGE,
  /**
   * The replica with the highest score {@code 2 * (cached prefix tokens / prompt tokens) + (1 - KV
   * usage)}, in the spirit of the Inference Gateway endpoint picker's weighted prefix-cache and
   * KV-utilization scorers (the weights 2 and 1 are this simulator's choice).
   */
  PREFIX_AWARE
}
