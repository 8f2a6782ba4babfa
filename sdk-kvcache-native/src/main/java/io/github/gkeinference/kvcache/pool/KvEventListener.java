package io.github.gkeinference.kvcache.pool;

/**
 * Receives prefix-cache events, as vLLM's KV events {@code BlockStored}, {@code BlockRemoved} and
 * {@code AllBlocksCleared} ({@code vllm/distributed/kv_events.py}).
 *
 * <p>Called synchronously on the thread that mutates the pool; implementations must be quick and
 * must not call back into the pool. A hash is reported as its first 64 bits, like vLLM's {@code
 * VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES} mode. No event allocates.
 */
public interface KvEventListener {

  /** A listener that ignores every event. */
  KvEventListener NONE = new KvEventListener() {};

  /**
   * A full block was entered into the prefix cache.
   *
   * @param blockId block id
   * @param hash64 first 64 bits of the block hash
   * @param parentHash64 first 64 bits of the parent block's hash, 0 for the first block
   */
  default void blockStored(int blockId, long hash64, long parentHash64) {}

  /**
   * A block left the prefix cache (evicted on reuse or dropped on request).
   *
   * @param blockId block id
   * @param hash64 first 64 bits of the removed hash
   */
  default void blockRemoved(int blockId, long hash64) {}

  /** Every entry was dropped by a prefix-cache reset. */
  default void allBlocksCleared() {}
}
