package io.github.gkeinference.kvcache.sim;

/**
 * What one replica saw during a simulation.
 *
 * @param requests requests routed to the replica
 * @param completed requests that finished
 * @param promptTokens prompt tokens admitted (re-admissions after preemption count again)
 * @param prefixHitTokens prompt tokens found in the prefix cache
 * @param evictions cached blocks evicted because their block was reused
 * @param preemptions times a request could not get blocks (refused admission, or evicted from the
 *     running batch when an append ran out of blocks)
 * @param peakUsage highest KV usage, {@code 1 - free / (blocks - 1)}
 */
public record ReplicaStats(
    long requests,
    long completed,
    long promptTokens,
    long prefixHitTokens,
    long evictions,
    long preemptions,
    double peakUsage) {

  /**
   * Prefix hit rate, {@code prefixHitTokens / promptTokens} (0 when nothing was admitted).
   *
   * @return hit rate between 0 and 1
   */
  public double prefixHitRate() {
    return promptTokens == 0 ? 0 : (double) prefixHitTokens / promptTokens;
  }
}
