package io.github.gkeinference.kvcache.sim;

import java.util.List;

/**
 * Result of {@link Simulator#run}.
 *
 * @param policy routing policy used
 * @param replicas statistics per replica, by index
 * @param simulatedMillis simulated time until the last request finished
 */
public record SimulationReport(
    RoutingPolicy policy, List<ReplicaStats> replicas, long simulatedMillis) {

  /** Copies the list. */
  public SimulationReport {
    replicas = List.copyOf(replicas);
  }

  /**
   * Prefix hit rate over all replicas.
   *
   * @return hit tokens / prompt tokens
   */
  public double prefixHitRate() {
    long p = replicas.stream().mapToLong(ReplicaStats::promptTokens).sum();
    long h = replicas.stream().mapToLong(ReplicaStats::prefixHitTokens).sum();
    return p == 0 ? 0 : (double) h / p;
  }

  /**
   * Evictions over all replicas.
   *
   * @return evictions
   */
  public long evictions() {
    return replicas.stream().mapToLong(ReplicaStats::evictions).sum();
  }

  /**
   * Preemptions over all replicas.
   *
   * @return preemptions
   */
  public long preemptions() {
    return replicas.stream().mapToLong(ReplicaStats::preemptions).sum();
  }

  /**
   * Completed requests over all replicas.
   *
   * @return completed
   */
  public long completed() {
    return replicas.stream().mapToLong(ReplicaStats::completed).sum();
  }
}
