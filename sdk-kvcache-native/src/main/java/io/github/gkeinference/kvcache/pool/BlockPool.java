package io.github.gkeinference.kvcache.pool;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Block metadata of a paged KV cache with vLLM v1 semantics: free list, reference counts and the
 * prefix-cache hash map, all in primitive arrays indexed by block id.
 *
 * <p>Follows {@code vllm/v1/core/block_pool.py}: an intrusive doubly linked free list with O(1)
 * removal from the middle, ordered by block id at start; block 0 is the null block, taken at
 * construction and never freed, cached or counted; a freed block keeps its hash and stays a cache
 * candidate until it is reused (lazy eviction); blocks are freed in reverse order; freed blocks
 * without a hash go to the head of the list and are reused before cached ones, which go to the tail
 * (least recently used first), as in upstream vLLM main. Identical content in two blocks is not
 * de-duplicated, so block tables stay append-only.
 *
 * <p>A hash is {@value #HASH_LONGS} longs (256 bits), passed as an offset into a caller's {@code
 * long[]}. No method allocates or throws for ordinary misuse: running out of blocks returns the
 * negative number of missing blocks and leaves the pool unchanged; freeing or touching an invalid
 * id is skipped and reported through the returned count.
 *
 * <p>Not thread-safe: one thread (the scheduler) calls every method.
 */
public final class BlockPool {

  /** Id of the null block, the placeholder for skipped positions. */
  public static final int NULL_BLOCK = 0;

  /** Longs per block hash. */
  public static final int HASH_LONGS = 4;

  private static final int NONE = -1;

  private final int numBlocks;
  private final boolean prefixCaching;
  private final int head;
  private final int tail;
  private final int[] prev;
  private final int[] next;
  private final int[] refCnt;
  private final long[] hashes;
  private final boolean[] cached;
  private final int[] table;
  private final int mask;
  private int numFree;
  private int numCached;
  private KvEventListener listener = KvEventListener.NONE;
  private @Nullable EvictionHook evictionHook;
  private long lookups;
  private long queriedBlocks;
  private long hitBlocks;
  private long evictions;

  /**
   * Creates a pool of {@code numBlocks} blocks (ids 0 to numBlocks - 1, id 0 being the null block).
   *
   * @param numBlocks at least 2
   * @param prefixCaching whether full blocks can be cached and found by hash
   * @throws IllegalArgumentException if {@code numBlocks < 2}
   */
  public BlockPool(int numBlocks, boolean prefixCaching) {
    if (numBlocks < 2 || numBlocks > (1 << 28)) {
      throw new IllegalArgumentException(
          "numBlocks: " + numBlocks + " must be between 2 and 2^28 (block 0 is the null block)");
    }
    this.numBlocks = numBlocks;
    this.prefixCaching = prefixCaching;
    this.head = numBlocks;
    this.tail = numBlocks + 1;
    this.prev = new int[numBlocks + 2];
    this.next = new int[numBlocks + 2];
    this.refCnt = new int[numBlocks];
    this.hashes = new long[numBlocks * HASH_LONGS];
    this.cached = new boolean[numBlocks];
    int cap = Integer.highestOneBit(Math.max(2, numBlocks - 1)) << 2;
    this.table = new int[cap];
    this.mask = cap - 1;
    prev[head] = NONE;
    next[head] = tail;
    prev[tail] = head;
    next[tail] = NONE;
    for (int i = 0; i < numBlocks; i++) {
      append(i);
    }
    unlink(NULL_BLOCK);
  }

  // ---------------------------------------------------------------- free list

  private void unlink(int id) {
    int p = prev[id];
    int n = next[id];
    next[p] = n;
    prev[n] = p;
    prev[id] = NONE;
    next[id] = NONE;
    numFree--;
  }

  private void append(int id) {
    int p = prev[tail];
    next[p] = id;
    prev[id] = p;
    next[id] = tail;
    prev[tail] = id;
    numFree++;
  }

  private void prepend(int id) {
    int n = next[head];
    prev[n] = id;
    next[id] = n;
    prev[id] = head;
    next[head] = id;
    numFree++;
  }

  private boolean valid(int id) {
    return id > NULL_BLOCK && id < numBlocks;
  }

  /**
   * Takes {@code n} blocks from the head of the free list, evicting their cached hashes, and sets
   * each reference count to 1.
   *
   * @param n number of blocks
   * @param out receives the block ids
   * @param outOffset first index written in {@code out}
   * @return {@code n} on success; otherwise the negative number of missing blocks, with the pool
   *     unchanged (0 when {@code n <= 0})
   */
  public int allocate(int n, int[] out, int outOffset) {
    if (n <= 0) {
      return 0;
    }
    if (n > numFree) {
      return numFree - n;
    }
    // Walk the first n blocks, then splice them out of the list at once. Allocated blocks keep
    // stale links: a block is in the free list exactly when its reference count is 0.
    int id = next[head];
    for (int i = 0; i < n; i++) {
      if (cached[id]) {
        evict(id, true);
      }
      refCnt[id] = 1;
      out[outOffset + i] = id;
      id = next[id];
    }
    next[head] = id;
    prev[id] = head;
    numFree -= n;
    return n;
  }

  /**
   * Releases one reference to each block, last block first; blocks that reach zero go back to the
   * free list (head if uncached, tail if cached) and keep their hash.
   *
   * @param ids block ids
   * @param offset first index in {@code ids}
   * @param length number of ids
   * @return number of references released; ids that are the null block, out of range or already
   *     free are skipped
   */
  public int free(int[] ids, int offset, int length) {
    int released = 0;
    for (int i = offset + length - 1; i >= offset; i--) {
      int id = ids[i];
      if (!valid(id) || refCnt[id] == 0) {
        continue;
      }
      released++;
      if (--refCnt[id] == 0) {
        if (cached[id]) {
          append(id);
        } else {
          prepend(id);
        }
      }
    }
    return released;
  }

  /**
   * Adds one reference to each block, taking free (cached) blocks out of the free list, as vLLM's
   * {@code touch} on a prefix-cache hit.
   *
   * @param ids block ids
   * @param offset first index in {@code ids}
   * @param length number of ids
   * @return number of blocks touched (invalid ids and the null block are skipped)
   */
  public int touch(int[] ids, int offset, int length) {
    int touched = 0;
    for (int i = offset; i < offset + length; i++) {
      int id = ids[i];
      if (!valid(id)) {
        continue;
      }
      if (refCnt[id] == 0) {
        unlink(id);
      }
      refCnt[id]++;
      touched++;
    }
    return touched;
  }

  // ---------------------------------------------------------------- prefix cache

  /**
   * Enters full blocks into the prefix cache under their hashes; blocks that already have a hash
   * (prefix hits) are skipped, so are free and invalid blocks. Does nothing when prefix caching is
   * off.
   *
   * @param ids block ids, in sequence order
   * @param idsOffset index of the first block in {@code ids}
   * @param blockHashes hashes of the blocks, {@value #HASH_LONGS} longs each, same order
   * @param hashOffset index in {@code blockHashes} of the first block's hash; the long array before
   *     it, if any, is taken as the parent hash for the first event
   * @param count number of blocks
   * @return number of blocks newly cached
   */
  public int cacheFullBlocks(
      int[] ids, int idsOffset, long[] blockHashes, int hashOffset, int count) {
    if (!prefixCaching) {
      return 0;
    }
    int stored = 0;
    for (int i = 0; i < count; i++) {
      int id = ids[idsOffset + i];
      if (!valid(id) || cached[id] || refCnt[id] == 0) {
        continue;
      }
      int h = hashOffset + i * HASH_LONGS;
      System.arraycopy(blockHashes, h, hashes, id * HASH_LONGS, HASH_LONGS);
      cached[id] = true;
      numCached++;
      insert(id);
      stored++;
      listener.blockStored(id, blockHashes[h], h >= HASH_LONGS ? blockHashes[h - HASH_LONGS] : 0L);
    }
    return stored;
  }

  /**
   * Finds a cached block with the given hash.
   *
   * @param blockHashes array holding the hash
   * @param hashOffset index of the hash's first long
   * @return a block id, or -1 when none is cached
   */
  public int cachedBlock(long[] blockHashes, int hashOffset) {
    if (!prefixCaching || numCached == 0) {
      return -1;
    }
    int slot = home(blockHashes[hashOffset]);
    while (true) {
      int e = table[slot];
      if (e == 0) {
        return -1;
      }
      int id = e - 1;
      int o = id * HASH_LONGS;
      if (hashes[o] == blockHashes[hashOffset]
          && hashes[o + 1] == blockHashes[hashOffset + 1]
          && hashes[o + 2] == blockHashes[hashOffset + 2]
          && hashes[o + 3] == blockHashes[hashOffset + 3]) {
        return id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Finds the longest run of cached blocks for consecutive chained hashes, stopping at the first
   * miss. Does not touch the blocks.
   *
   * @param blockHashes chained hashes, {@value #HASH_LONGS} longs each
   * @param hashOffset index of the first hash
   * @param maxBlocks number of hashes to try (the caller caps it so that at least one token is left
   *     to compute)
   * @param out receives the block ids of the hits
   * @param outOffset first index written in {@code out}
   * @return number of leading hits
   */
  public int findLongestCacheHit(
      long[] blockHashes, int hashOffset, int maxBlocks, int[] out, int outOffset) {
    lookups++;
    queriedBlocks += Math.max(0, maxBlocks);
    int hits = 0;
    while (hits < maxBlocks) {
      int id = cachedBlock(blockHashes, hashOffset + hits * HASH_LONGS);
      if (id < 0) {
        break;
      }
      out[outOffset + hits++] = id;
    }
    hitBlocks += hits;
    return hits;
  }

  /**
   * Drops a block's hash from the prefix cache without freeing it (vLLM's {@code evict_blocks}).
   *
   * @param id block id
   * @return whether the block was cached
   */
  public boolean evictCached(int id) {
    if (!valid(id) || !cached[id]) {
      return false;
    }
    evict(id, false);
    return true;
  }

  /**
   * Drops every cached hash, only when every block except the null block is free.
   *
   * @return whether the cache was reset
   */
  public boolean resetPrefixCache() {
    if (numFree != numBlocks - 1) {
      return false;
    }
    Arrays.fill(cached, false);
    Arrays.fill(table, 0);
    numCached = 0;
    listener.allBlocksCleared();
    return true;
  }

  private void evict(int id, boolean onReuse) {
    if (onReuse) {
      evictions++;
      EvictionHook hook = evictionHook;
      if (hook != null) {
        hook.evicting(id, hashes, id * HASH_LONGS);
      }
    }
    delete(id);
    cached[id] = false;
    numCached--;
    listener.blockRemoved(id, hashes[id * HASH_LONGS]);
  }

  private int home(long h0) {
    long h = h0 * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void insert(int id) {
    int slot = home(hashes[id * HASH_LONGS]);
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = id + 1;
  }

  private void delete(int id) {
    int i = home(hashes[id * HASH_LONGS]);
    while (table[i] != id + 1) {
      i = (i + 1) & mask;
    }
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      int e = table[j];
      if (e == 0) {
        break;
      }
      int k = home(hashes[(e - 1) * HASH_LONGS]);
      boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (!stays) {
        table[i] = e;
        i = j;
      }
    }
    table[i] = 0;
  }

  // ---------------------------------------------------------------- configuration and state

  /**
   * Sets the event listener.
   *
   * @param listener receives stored, removed and cleared events
   */
  public void eventListener(KvEventListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Sets the hook called before a cached block is reused, or removes it.
   *
   * @param hook hook, or null
   */
  public void evictionHook(@Nullable EvictionHook hook) {
    this.evictionHook = hook;
  }

  /**
   * Total number of blocks, including the null block.
   *
   * @return blocks
   */
  public int numBlocks() {
    return numBlocks;
  }

  /**
   * Whether prefix caching is on.
   *
   * @return prefix caching
   */
  public boolean prefixCaching() {
    return prefixCaching;
  }

  /**
   * Number of free blocks (cached or not).
   *
   * @return free blocks
   */
  public int numFree() {
    return numFree;
  }

  /**
   * Number of blocks holding a hash (in use or free).
   *
   * @return cached blocks
   */
  public int numCached() {
    return numCached;
  }

  /**
   * Fraction of usable blocks in use: {@code 1 - free / (numBlocks - 1)}, as vLLM's {@code
   * get_usage}.
   *
   * @return usage between 0 and 1
   */
  public double usage() {
    return 1.0 - (double) numFree / (numBlocks - 1);
  }

  /**
   * Reference count of a block (0 when free, invalid or the null block).
   *
   * @param id block id
   * @return reference count
   */
  public int refCount(int id) {
    return valid(id) ? refCnt[id] : 0;
  }

  /**
   * Whether a block holds a hash.
   *
   * @param id block id
   * @return cached
   */
  public boolean isCached(int id) {
    return valid(id) && cached[id];
  }

  /**
   * Whether a block is in the free list.
   *
   * @param id block id
   * @return free
   */
  public boolean isFree(int id) {
    return valid(id) && refCnt[id] == 0;
  }

  /**
   * Copies a cached block's hash.
   *
   * @param id block id
   * @param out receives {@value #HASH_LONGS} longs
   * @param outOffset first index written
   * @return whether the block is cached (nothing is copied otherwise)
   */
  public boolean hashOf(int id, long[] out, int outOffset) {
    if (!isCached(id)) {
      return false;
    }
    System.arraycopy(hashes, id * HASH_LONGS, out, outOffset, HASH_LONGS);
    return true;
  }

  /**
   * Writes the free list from head (next to be reused) to tail.
   *
   * @param out receives up to {@code out.length} ids
   * @return number of ids in the free list
   */
  public int freeList(int[] out) {
    int n = 0;
    for (int id = next[head]; id != tail; id = next[id]) {
      if (n < out.length) {
        out[n] = id;
      }
      n++;
    }
    return n;
  }

  /**
   * Checks the pool's internal consistency (for tests and debugging; allocates and is O(blocks)):
   * the free list is a well-linked chain of distinct blocks whose length is {@link #numFree()}; a
   * block is in the free list exactly when its reference count is 0; the null block is never free;
   * every cached block is in the hash map exactly once, reachable from its home slot, and the map
   * holds nothing else.
   *
   * @return a description of the first problem found, or null when consistent
   */
  public @Nullable String verifyIntegrity() {
    boolean[] seen = new boolean[numBlocks];
    int count = 0;
    int p = head;
    for (int id = next[head]; id != tail; id = next[id]) {
      if (!valid(id)) {
        return "free list holds invalid block " + id;
      }
      if (seen[id]) {
        return "block " + id + " is twice in the free list";
      }
      if (prev[id] != p) {
        return "block " + id + " has a broken back link";
      }
      seen[id] = true;
      p = id;
      if (++count > numBlocks) {
        return "free list has a cycle";
      }
    }
    if (prev[tail] != p) {
      return "tail has a broken back link";
    }
    if (count != numFree) {
      return "free list has " + count + " blocks, numFree says " + numFree;
    }
    if (prev[NULL_BLOCK] != NONE) {
      return "null block is in the free list";
    }
    int cachedCount = 0;
    for (int id = 1; id < numBlocks; id++) {
      if (seen[id] != (refCnt[id] == 0)) {
        return "block "
            + id
            + " has ref count "
            + refCnt[id]
            + (seen[id] ? " but is free" : " but is not free");
      }
      if (refCnt[id] < 0) {
        return "block " + id + " has a negative ref count";
      }
      if (cached[id]) {
        cachedCount++;
      }
    }
    if (cachedCount != numCached) {
      return cachedCount + " cached blocks, numCached says " + numCached;
    }
    int entries = 0;
    boolean[] inTable = new boolean[numBlocks];
    for (int e : table) {
      if (e == 0) {
        continue;
      }
      entries++;
      int id = e - 1;
      if (!valid(id) || !cached[id]) {
        return "hash map holds block " + id + " which is not cached";
      }
      if (inTable[id]) {
        return "hash map holds block " + id + " twice";
      }
      inTable[id] = true;
    }
    if (entries != numCached) {
      return "hash map has " + entries + " entries for " + numCached + " cached blocks";
    }
    for (int id = 1; id < numBlocks; id++) {
      if (cached[id]) {
        int slot = home(hashes[id * HASH_LONGS]);
        while (table[slot] != id + 1) {
          if (table[slot] == 0) {
            return "cached block " + id + " is not reachable from its home slot";
          }
          slot = (slot + 1) & mask;
        }
      }
    }
    return null;
  }

  /**
   * Number of {@link #findLongestCacheHit} calls.
   *
   * @return lookups
   */
  public long lookups() {
    return lookups;
  }

  /**
   * Blocks asked for in {@link #findLongestCacheHit}.
   *
   * @return queried blocks
   */
  public long queriedBlocks() {
    return queriedBlocks;
  }

  /**
   * Blocks found in {@link #findLongestCacheHit}.
   *
   * @return hit blocks
   */
  public long hitBlocks() {
    return hitBlocks;
  }

  /**
   * Cached blocks evicted because they were reused.
   *
   * @return evictions
   */
  public long evictions() {
    return evictions;
  }
}
