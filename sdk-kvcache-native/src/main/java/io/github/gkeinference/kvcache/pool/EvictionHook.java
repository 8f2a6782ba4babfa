package io.github.gkeinference.kvcache.pool;

/**
 * Called when a cached block is about to be reused for new data, while its contents are still
 * intact, so that they can be kept in a second tier.
 */
@FunctionalInterface
public interface EvictionHook {

  /**
   * A cached block is being evicted.
   *
   * @param blockId block whose bytes are still valid during the call
   * @param hashes array holding the block's hash
   * @param hashOffset index of the hash's first long in {@code hashes}
   */
  void evicting(int blockId, long[] hashes, int hashOffset);
}
