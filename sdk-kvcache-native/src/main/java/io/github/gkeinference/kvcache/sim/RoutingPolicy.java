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
  PREFIX_AWARE,
  /**
   * The replica whose cache actually holds the longest prefix of the prompt, as the llm-d precise
   * prefix-cache scorer sees it from the servers' KV events (the simulator reads each replica's
   * resident blocks, which is what those events report); ties, including no hit anywhere, go to the
   * least loaded replica (fewest waiting plus running requests), then the lowest KV usage, then the
   * lowest index.
   */
  PRECISE_PREFIX
}
