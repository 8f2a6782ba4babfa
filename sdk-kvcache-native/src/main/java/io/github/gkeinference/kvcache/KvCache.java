package io.github.gkeinference.kvcache;

import io.github.gkeinference.kvcache.internal.KvCodec;
import io.github.gkeinference.kvcache.offload.KvCacheCorruptionException;
import io.github.gkeinference.kvcache.offload.OffloadTier;
import io.github.gkeinference.kvcache.pool.BlockPool;
import io.github.gkeinference.kvcache.pool.KvEventListener;
import io.github.gkeinference.kvcache.prefix.BlockHasher;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import io.github.gkeinference.kvcache.prefix.HashAlgorithm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An off-heap paged KV cache: one slab of blocks, a {@link BlockPool} with vLLM v1 semantics,
 * per-sequence block tables, fork with copy-on-write, prefix caching and an optional offload tier.
 *
 * {@snippet :
 * try (KvCache cache = KvCache.builder()
 *     .layout(KvCacheLayout.builder().numLayers(2).numKvHeads(2).headDim(64).build())
 *     .numBlocks(1024)
 *     .build()) {
 *   int seq = cache.addSequence(promptTokens, 0, promptTokens.length, ExtraKeys.NONE);
 *   if (seq < 0) {
 *     // KvStatus.NO_FREE_BLOCKS: cache.missingBlocks() blocks were missing; nothing changed
 *   }
 *   int cachedTokens = cache.cachedTokens(seq); // prefix hit, tokens the engine can skip
 *   cache.appendTokens(seq, new int[] {nextToken}, 0, 1);
 *   int child = cache.fork(seq); // parallel sampling: shares every block
 *   cache.free(child);
 *   cache.free(seq);
 * }
 * }
 *
 * <p>Memory: the slab is allocated once from a shared arena (zero-filled, which touches every page)
 * and blocks are offsets {@code blockId * layout.bytesPerBlock()}; {@link #close()} frees it, and
 * every later call throws {@link IllegalStateException}.
 *
 * <p>Threading contract: one thread at a time (the scheduler) calls the mutating methods ({@code
 * addSequence}, {@code appendTokens}, {@code fork}, {@code free}, {@code swapOut}, {@code swapIn},
 * {@code writeKv}, {@code resetPrefixCache}, and {@code cachedPrefixLength}, which uses the
 * scheduler's scratch space); hand-offs between scheduler threads need a happens-before edge.
 * Readers ({@code readK}, {@code readV}, {@link #blockId}, paged attention) may run on any number
 * of threads at once, also while the scheduler mutates <em>other</em> sequences, provided the
 * sequences they read were handed to them through a happens-before edge (an executor submission, a
 * latch) and are neither appended to, freed nor swapped until the readers finish. The usual engine
 * step satisfies this: the scheduler updates the tables, then submits attention for the step and
 * waits for it.
 *
 * <p>Hot paths do not throw for ordinary misuse: they return a {@link KvStatus} code.
 */
public final class KvCache implements AutoCloseable {

  private final KvCacheLayout layout;
  private final int blockSize;
  private final long blockBytes;
  private final BlockPool pool;
  private final @Nullable BlockHasher hasher;
  private final @Nullable OffloadTier tier;
  private boolean nonFiniteWritten;
  private final Arena arena;
  private final MemorySegment slab;
  private final int maxSequences;
  private final int maxTokens;
  private final int maxBlocksPerSeq;
  private final int[] tables;
  private final int[] seqBlocks;
  private final int[] seqTokens;
  private final int[] seqCachedTokens;
  private final byte[] seqState;
  private final int[] swapSlots;
  private final int[] partial;
  private final long[] lastHash;
  private final ExtraKeys[] extras;
  private final int[] freeSeqs;
  private int freeSeqTop;
  private final long[] hashScratch;
  private final int[] idScratch;
  private int missing;
  private long requests;
  private long promptTokens;
  private long hitTokens;
  private volatile boolean closed;

  private static final byte FREE = 0;
  private static final byte LIVE = 1;
  private static final byte SWAPPED = 2;
  private static final int H = BlockPool.HASH_LONGS;

  private KvCache(Builder b) {
    this.layout = Objects.requireNonNull(b.layout, "layout");
    this.blockSize = layout.blockSize();
    this.blockBytes = layout.bytesPerBlock();
    this.pool = new BlockPool(b.numBlocks, b.prefixCaching);
    pool.eventListener(b.listener);
    this.hasher =
        b.prefixCaching ? BlockHasher.create(b.hashAlgorithm, blockSize, b.hashSeed) : null;
    this.maxSequences = b.maxSequences;
    this.maxTokens = b.maxTokensPerSequence;
    this.maxBlocksPerSeq = (maxTokens + blockSize - 1) / blockSize;
    this.tables = new int[maxSequences * maxBlocksPerSeq];
    this.seqBlocks = new int[maxSequences];
    this.seqTokens = new int[maxSequences];
    this.seqCachedTokens = new int[maxSequences];
    this.seqState = new byte[maxSequences];
    this.partial = new int[maxSequences * blockSize];
    this.lastHash = new long[maxSequences * H];
    this.extras = new ExtraKeys[maxSequences];
    Arrays.fill(extras, ExtraKeys.NONE);
    this.freeSeqs = new int[maxSequences];
    for (int i = 0; i < maxSequences; i++) {
      freeSeqs[i] = maxSequences - 1 - i;
    }
    this.freeSeqTop = maxSequences;
    this.hashScratch = new long[(maxBlocksPerSeq + 1) * H];
    this.idScratch = new int[maxBlocksPerSeq];
    this.arena = Arena.ofShared();
    this.slab = arena.allocate(blockBytes * b.numBlocks, 64);
    if (b.offloadBlocks > 0) {
      OffloadTier t;
      try {
        Path file = b.offloadFile;
        t =
            file == null
                ? OffloadTier.create(blockBytes, b.offloadBlocks)
                : OffloadTier.mapFile(file, blockBytes, b.offloadBlocks);
      } catch (RuntimeException e) {
        arena.close();
        throw e;
      }
      this.tier = t;
      this.swapSlots = new int[maxSequences * maxBlocksPerSeq];
      MemorySegment s = slab;
      long bb = blockBytes;
      pool.evictionHook((id, h, o) -> t.storeCached(h, o, s, id * bb));
    } else {
      this.tier = null;
      this.swapSlots = new int[0];
    }
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("KvCache is closed");
    }
  }

  private boolean live(int seq) {
    return seq >= 0 && seq < maxSequences && seqState[seq] == LIVE;
  }

  private int fail(int needed) {
    missing = needed - pool.numFree();
    return KvStatus.NO_FREE_BLOCKS;
  }

  // ---------------------------------------------------------------- sequences

  /**
   * Admits a sequence with its prompt: finds the longest cached prefix (at most {@code numTokens -
   * 1} tokens, so that the last token is computed), takes those blocks, allocates the rest, and
   * caches the prompt's full blocks.
   *
   * @param tokens prompt token ids
   * @param offset index of the first token
   * @param numTokens prompt length, at least 1
   * @param extra extra hash keys (adapter, cache salt, multimodal items)
   * @return the sequence id (&gt;= 0), or {@link KvStatus#NO_FREE_BLOCKS}, {@link
   *     KvStatus#NO_SEQUENCE_SLOT}, {@link KvStatus#SEQUENCE_TOO_LONG}, {@link
   *     KvStatus#INVALID_ARGUMENT}; on refusal nothing changes
   * @throws KvCacheCorruptionException if a prefix block read from the offload tier is corrupt (the
   *     admission is undone first)
   */
  public int addSequence(int[] tokens, int offset, int numTokens, ExtraKeys extra) {
    ensureOpen();
    if (numTokens < 1 || offset < 0 || offset + numTokens > tokens.length) {
      return KvStatus.INVALID_ARGUMENT;
    }
    if (numTokens > maxTokens) {
      return KvStatus.SEQUENCE_TOO_LONG;
    }
    if (freeSeqTop == 0) {
      return KvStatus.NO_SEQUENCE_SLOT;
    }
    int numFull = numTokens / blockSize;
    int total = (numTokens + blockSize - 1) / blockSize;
    int hits = 0;
    int tierHits = 0;
    BlockHasher hs = hasher;
    if (hs != null) {
      hs.hashBlocks(tokens, offset, numTokens, extra, hashScratch, H);
      int maxHit = (numTokens - 1) / blockSize;
      hits = pool.findLongestCacheHit(hashScratch, H, maxHit, idScratch, 0);
      OffloadTier t = tier;
      if (t != null) {
        while (hits + tierHits < maxHit
            && t.cachedSlot(hashScratch, H + (hits + tierHits) * H) >= 0) {
          tierHits++;
        }
      }
    }
    int evictableHits = 0;
    for (int i = 0; i < hits; i++) {
      if (pool.refCount(idScratch[i]) == 0) {
        evictableHits++;
      }
    }
    int need = total - hits;
    if (need + evictableHits > pool.numFree()) {
      return fail(need + evictableHits);
    }
    int seq = freeSeqs[--freeSeqTop];
    pool.touch(idScratch, 0, hits);
    pool.allocate(need, idScratch, hits);
    int loaded = 0;
    OffloadTier t = tier;
    if (t != null) {
      for (; loaded < tierHits; loaded++) {
        int hashOff = H + (hits + loaded) * H;
        int slot = t.cachedSlot(hashScratch, hashOff);
        if (slot < 0) {
          break;
        }
        int id = idScratch[hits + loaded];
        try {
          t.load(
              slot,
              slab,
              id * blockBytes,
              "prefix block "
                  + (hits + loaded)
                  + " (hash64 "
                  + Long.toHexString(hashScratch[hashOff])
                  + ")");
        } catch (KvCacheCorruptionException e) {
          t.dropCached(hashScratch, hashOff);
          pool.free(idScratch, 0, total);
          freeSeqs[freeSeqTop++] = seq;
          throw e;
        }
      }
    }
    System.arraycopy(idScratch, 0, tables, seq * maxBlocksPerSeq, total);
    if (hs != null) {
      pool.cacheFullBlocks(idScratch, 0, hashScratch, H, numFull);
      if (numFull > 0) {
        System.arraycopy(hashScratch, numFull * H, lastHash, seq * H, H);
      } else {
        hs.rootHash(lastHash, seq * H);
      }
    }
    int rest = numTokens - numFull * blockSize;
    System.arraycopy(tokens, offset + numFull * blockSize, partial, seq * blockSize, rest);
    seqState[seq] = LIVE;
    seqTokens[seq] = numTokens;
    seqBlocks[seq] = total;
    seqCachedTokens[seq] = (hits + loaded) * blockSize;
    extras[seq] = extra;
    requests++;
    promptTokens += numTokens;
    hitTokens += (long) (hits + loaded) * blockSize;
    return seq;
  }

  /**
   * Number of prompt tokens a new sequence would find cached, without changing anything (the
   * prefix-aware router's score).
   *
   * @param tokens prompt token ids
   * @param offset index of the first token
   * @param numTokens prompt length
   * @param extra extra hash keys
   * @return cached tokens (a multiple of the block size, at most {@code numTokens - 1})
   */
  public int cachedPrefixLength(int[] tokens, int offset, int numTokens, ExtraKeys extra) {
    ensureOpen();
    BlockHasher hs = hasher;
    if (hs == null || numTokens < 1 || numTokens > maxTokens) {
      return 0;
    }
    hs.hashBlocks(tokens, offset, numTokens, extra, hashScratch, H);
    int maxHit = (numTokens - 1) / blockSize;
    int hits = 0;
    while (hits < maxHit && pool.cachedBlock(hashScratch, H + hits * H) >= 0) {
      hits++;
    }
    return hits * blockSize;
  }

  /**
   * Appends generated tokens: allocates the blocks they need, copies a shared partial last block
   * first (copy-on-write after {@link #fork}), and caches blocks that become full.
   *
   * @param seq sequence id
   * @param tokens token ids
   * @param offset index of the first token
   * @param numTokens number of tokens
   * @return {@link KvStatus#OK}, or {@link KvStatus#NO_FREE_BLOCKS}, {@link
   *     KvStatus#SEQUENCE_TOO_LONG}, {@link KvStatus#UNKNOWN_SEQUENCE}, {@link
   *     KvStatus#INVALID_ARGUMENT}; on refusal nothing changes
   */
  public int appendTokens(int seq, int[] tokens, int offset, int numTokens) {
    ensureOpen();
    if (!live(seq)) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    if (numTokens < 0 || offset < 0 || offset + numTokens > tokens.length) {
      return KvStatus.INVALID_ARGUMENT;
    }
    int cur = seqTokens[seq];
    if ((long) cur + numTokens > maxTokens) {
      return KvStatus.SEQUENCE_TOO_LONG;
    }
    int newTotal = cur + numTokens;
    int base = seq * maxBlocksPerSeq;
    int have = seqBlocks[seq];
    int newBlocks = (newTotal + blockSize - 1) / blockSize - have;
    boolean cow =
        numTokens > 0 && cur % blockSize != 0 && pool.refCount(tables[base + have - 1]) > 1;
    int needed = newBlocks + (cow ? 1 : 0);
    if (needed > pool.numFree()) {
      return fail(needed);
    }
    if (cow) {
      int old = tables[base + have - 1];
      pool.allocate(1, tables, base + have - 1);
      int fresh = tables[base + have - 1];
      MemorySegment.copy(slab, old * blockBytes, slab, fresh * blockBytes, blockBytes);
      idScratch[0] = old;
      pool.free(idScratch, 0, 1);
    }
    pool.allocate(newBlocks, tables, base + have);
    seqBlocks[seq] = have + newBlocks;
    BlockHasher hs = hasher;
    int pBase = seq * blockSize;
    for (int i = 0; i < numTokens; i++) {
      int pos = cur + i;
      partial[pBase + pos % blockSize] = tokens[offset + i];
      if ((pos + 1) % blockSize == 0 && hs != null) {
        int blockIndex = pos / blockSize;
        System.arraycopy(lastHash, seq * H, hashScratch, 0, H);
        hs.hashBlock(hashScratch, 0, partial, pBase, blockIndex, extras[seq], hashScratch, H);
        pool.cacheFullBlocks(tables, base + blockIndex, hashScratch, H, 1);
        System.arraycopy(hashScratch, H, lastHash, seq * H, H);
      }
    }
    seqTokens[seq] = newTotal;
    return KvStatus.OK;
  }

  /**
   * Forks a sequence: the child shares every block of the parent (reference counts go up); the
   * partial last block is copied on the first append by either side.
   *
   * @param parent live sequence id
   * @return the child's id, or {@link KvStatus#UNKNOWN_SEQUENCE}, {@link KvStatus#NO_SEQUENCE_SLOT}
   */
  public int fork(int parent) {
    ensureOpen();
    if (!live(parent)) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    if (freeSeqTop == 0) {
      return KvStatus.NO_SEQUENCE_SLOT;
    }
    int child = freeSeqs[--freeSeqTop];
    int n = seqBlocks[parent];
    System.arraycopy(tables, parent * maxBlocksPerSeq, tables, child * maxBlocksPerSeq, n);
    pool.touch(tables, child * maxBlocksPerSeq, n);
    System.arraycopy(partial, parent * blockSize, partial, child * blockSize, blockSize);
    System.arraycopy(lastHash, parent * H, lastHash, child * H, H);
    seqState[child] = LIVE;
    seqBlocks[child] = n;
    seqTokens[child] = seqTokens[parent];
    seqCachedTokens[child] = seqCachedTokens[parent];
    extras[child] = extras[parent];
    return child;
  }

  /**
   * Frees a sequence (live or swapped out): its blocks are released last block first.
   *
   * @param seq sequence id
   * @return {@link KvStatus#OK} or {@link KvStatus#UNKNOWN_SEQUENCE}
   */
  public int free(int seq) {
    ensureOpen();
    if (seq < 0 || seq >= maxSequences || seqState[seq] == FREE) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    int base = seq * maxBlocksPerSeq;
    if (seqState[seq] == SWAPPED) {
      OffloadTier t = Objects.requireNonNull(tier);
      for (int i = 0; i < seqBlocks[seq]; i++) {
        t.release(swapSlots[base + i]);
      }
    } else {
      pool.free(tables, base, seqBlocks[seq]);
    }
    seqState[seq] = FREE;
    seqBlocks[seq] = 0;
    seqTokens[seq] = 0;
    extras[seq] = ExtraKeys.NONE;
    freeSeqs[freeSeqTop++] = seq;
    return KvStatus.OK;
  }

  /**
   * Moves a live sequence's blocks to the offload tier (preemption by swapping) and frees them
   * here.
   *
   * @param seq live sequence id
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} or {@link
   *     KvStatus#OFFLOAD_UNAVAILABLE} (no tier, or not enough room; nothing changes)
   */
  public int swapOut(int seq) {
    ensureOpen();
    if (!live(seq)) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    OffloadTier t = tier;
    if (t == null) {
      return KvStatus.OFFLOAD_UNAVAILABLE;
    }
    int base = seq * maxBlocksPerSeq;
    int n = seqBlocks[seq];
    for (int i = 0; i < n; i++) {
      int slot = t.store(slab, tables[base + i] * blockBytes);
      if (slot < 0) {
        for (int j = 0; j < i; j++) {
          t.release(swapSlots[base + j]);
        }
        return KvStatus.OFFLOAD_UNAVAILABLE;
      }
      swapSlots[base + i] = slot;
    }
    pool.free(tables, base, n);
    seqState[seq] = SWAPPED;
    return KvStatus.OK;
  }

  /**
   * Brings a swapped-out sequence back into fresh blocks, verifying each block's checksum.
   *
   * @param seq swapped-out sequence id
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} or {@link
   *     KvStatus#NO_FREE_BLOCKS} (nothing changes)
   * @throws KvCacheCorruptionException naming the sequence and block when a checksum differs; the
   *     sequence then stays swapped out
   */
  public int swapIn(int seq) {
    ensureOpen();
    if (seq < 0 || seq >= maxSequences || seqState[seq] != SWAPPED) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    OffloadTier t = Objects.requireNonNull(tier);
    int base = seq * maxBlocksPerSeq;
    int n = seqBlocks[seq];
    if (n > pool.numFree()) {
      return fail(n);
    }
    pool.allocate(n, tables, base);
    for (int i = 0; i < n; i++) {
      try {
        t.load(
            swapSlots[base + i],
            slab,
            tables[base + i] * blockBytes,
            "sequence " + seq + " block " + i);
      } catch (KvCacheCorruptionException e) {
        pool.free(tables, base, n);
        throw e;
      }
    }
    for (int i = 0; i < n; i++) {
      t.release(swapSlots[base + i]);
    }
    seqState[seq] = LIVE;
    return KvStatus.OK;
  }

  /**
   * Drops every cached hash, only when every block except the null block is free.
   *
   * @return whether the prefix cache was reset
   */
  public boolean resetPrefixCache() {
    ensureOpen();
    return pool.resetPrefixCache();
  }

  // ---------------------------------------------------------------- KV data

  private long tokenBlockBase(int seq, int tokenIndex) {
    return tables[seq * maxBlocksPerSeq + tokenIndex / blockSize] * blockBytes;
  }

  private boolean badToken(int seq, int tokenIndex, int layer) {
    return !live(seq)
        || tokenIndex < 0
        || tokenIndex >= seqTokens[seq]
        || layer < 0
        || layer >= layout.numLayers();
  }

  /**
   * Writes K and V of every KV head for one token of one layer, quantized to the layout's dtype
   * (stored = x / scale).
   *
   * @param seq live sequence id
   * @param tokenIndex token position in the sequence (below {@link #numTokens})
   * @param layer layer index
   * @param k {@code numKvHeads * headDim} floats, head-major
   * @param kOffset index of the first K value
   * @param v {@code numKvHeads * vHeadDim} floats
   * @param vOffset index of the first V value
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} or {@link
   *     KvStatus#INVALID_ARGUMENT}
   */
  public int writeKv(
      int seq, int tokenIndex, int layer, float[] k, int kOffset, float[] v, int vOffset) {
    ensureOpen();
    if (kOffset < 0 || kOffset > k.length || vOffset < 0 || vOffset > v.length) {
      return KvStatus.INVALID_ARGUMENT;
    }
    return writeKv(
        seq,
        tokenIndex,
        layer,
        MemorySegment.ofArray(k).asSlice(4L * kOffset),
        MemorySegment.ofArray(v).asSlice(4L * vOffset));
  }

  /**
   * Writes K and V for one token of one layer from native-order f32 segments.
   *
   * @param seq live sequence id
   * @param tokenIndex token position
   * @param layer layer index
   * @param k at least {@code numKvHeads * headDim} floats
   * @param v at least {@code numKvHeads * vHeadDim} floats
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} or {@link
   *     KvStatus#INVALID_ARGUMENT}
   */
  public int writeKv(int seq, int tokenIndex, int layer, MemorySegment k, MemorySegment v) {
    ensureOpen();
    if (!live(seq)) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    int kn = layout.numKvHeads() * layout.headDim();
    int vn = layout.numKvHeads() * layout.vHeadDim();
    if (badToken(seq, tokenIndex, layer) || k.byteSize() < 4L * kn || v.byteSize() < 4L * vn) {
      return KvStatus.INVALID_ARGUMENT;
    }
    long block = tokenBlockBase(seq, tokenIndex);
    int t = tokenIndex % blockSize;
    KvDtype dt = layout.dtype();
    int eb = dt.bytes();
    float kInv = 1f / layout.kScale(layer);
    float vInv = 1f / layout.vScale(layer);
    // K is stored transposed: element i of the token's K (head i / headDim, dimension i % headDim)
    // sits blockSize elements after element i - 1 within a head, and heads follow each other.
    long kBase = block + layout.kOffset(layer, 0, 0, t);
    long kStride = (long) blockSize * eb;
    boolean finite = true;
    for (int i = 0; i < kn; i++) {
      float x = k.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i) * kInv;
      finite &= Float.isFinite(x);
      KvCodec.store(slab, kBase + i * kStride, dt, x);
    }
    int dv = layout.vHeadDim();
    for (int h = 0; h < layout.numKvHeads(); h++) {
      long vBase = block + layout.vOffset(layer, h, t);
      for (int i = 0; i < dv; i++) {
        float x = v.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, h * dv + i) * vInv;
        finite &= Float.isFinite(x);
        KvCodec.store(slab, vBase + (long) i * eb, dt, x);
      }
    }
    if (!finite) {
      nonFiniteWritten = true;
    }
    return KvStatus.OK;
  }

  /**
   * Reads back K of every KV head for one token of one layer, dequantized (stored * scale).
   *
   * @param seq live sequence id
   * @param tokenIndex token position
   * @param layer layer index
   * @param out receives {@code numKvHeads * headDim} floats
   * @param offset first index written
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} or {@link
   *     KvStatus#INVALID_ARGUMENT}
   */
  public int readK(int seq, int tokenIndex, int layer, float[] out, int offset) {
    return read(seq, tokenIndex, layer, out, offset, true);
  }

  /**
   * Reads back V of every KV head for one token of one layer, dequantized (stored * scale).
   *
   * @param seq live sequence id
   * @param tokenIndex token position
   * @param layer layer index
   * @param out receives {@code numKvHeads * vHeadDim} floats
   * @param offset first index written
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} or {@link
   *     KvStatus#INVALID_ARGUMENT}
   */
  public int readV(int seq, int tokenIndex, int layer, float[] out, int offset) {
    return read(seq, tokenIndex, layer, out, offset, false);
  }

  private int read(int seq, int tokenIndex, int layer, float[] out, int offset, boolean isK) {
    ensureOpen();
    if (!live(seq)) {
      return KvStatus.UNKNOWN_SEQUENCE;
    }
    int n = layout.numKvHeads() * (isK ? layout.headDim() : layout.vHeadDim());
    if (badToken(seq, tokenIndex, layer) || offset < 0 || offset + n > out.length) {
      return KvStatus.INVALID_ARGUMENT;
    }
    long block = tokenBlockBase(seq, tokenIndex);
    int t = tokenIndex % blockSize;
    KvDtype dt = layout.dtype();
    int eb = dt.bytes();
    float scale = isK ? layout.kScale(layer) : layout.vScale(layer);
    if (isK) {
      long base = block + layout.kOffset(layer, 0, 0, t);
      long stride = (long) blockSize * eb;
      for (int i = 0; i < n; i++) {
        out[offset + i] = KvCodec.load(slab, base + i * stride, dt) * scale;
      }
    } else {
      int dv = layout.vHeadDim();
      for (int h = 0; h < layout.numKvHeads(); h++) {
        long base = block + layout.vOffset(layer, h, t);
        for (int i = 0; i < dv; i++) {
          out[offset + h * dv + i] = KvCodec.load(slab, base + (long) i * eb, dt) * scale;
        }
      }
    }
    return KvStatus.OK;
  }

  // ---------------------------------------------------------------- state

  /**
   * Whether {@link #writeKv} was ever given a K or V value that is infinite or NaN after scaling
   * (sticky until {@link #close()}). Readers that widen stored elements in bulk use it to skip the
   * checks for the encodings of infinity and NaN while none can be present.
   *
   * @return true once a non-finite value was written
   */
  public boolean nonFiniteWritten() {
    return nonFiniteWritten;
  }

  /**
   * The layout.
   *
   * @return layout
   */
  public KvCacheLayout layout() {
    return layout;
  }

  /**
   * The block pool (block metadata, prefix-cache metrics, low-level operations for benchmarks).
   *
   * @return pool
   */
  public BlockPool blockPool() {
    return pool;
  }

  /**
   * The slab holding every block; block {@code b} starts at {@code b * layout().bytesPerBlock()}.
   *
   * @return the slab
   */
  public MemorySegment slab() {
    ensureOpen();
    return slab;
  }

  /**
   * The offload tier, if configured.
   *
   * @return the tier or null
   */
  public @Nullable OffloadTier offloadTier() {
    return tier;
  }

  /**
   * Maximum number of live sequences.
   *
   * @return sequences
   */
  public int maxSequences() {
    return maxSequences;
  }

  /**
   * Maximum tokens per sequence.
   *
   * @return tokens
   */
  public int maxTokensPerSequence() {
    return maxTokens;
  }

  /**
   * Whether a sequence is live (admitted, not freed, not swapped out).
   *
   * @param seq sequence id
   * @return live
   */
  public boolean isLive(int seq) {
    return live(seq);
  }

  /**
   * Whether a sequence is swapped out.
   *
   * @param seq sequence id
   * @return swapped out
   */
  public boolean isSwappedOut(int seq) {
    return seq >= 0 && seq < maxSequences && seqState[seq] == SWAPPED;
  }

  /**
   * Tokens in a sequence (0 for a free id).
   *
   * @param seq sequence id
   * @return tokens
   */
  public int numTokens(int seq) {
    return seq >= 0 && seq < maxSequences ? seqTokens[seq] : 0;
  }

  /**
   * Blocks in a sequence's table (0 for a free id).
   *
   * @param seq sequence id
   * @return blocks
   */
  public int numBlocks(int seq) {
    return seq >= 0 && seq < maxSequences ? seqBlocks[seq] : 0;
  }

  /**
   * Prompt tokens found in the prefix cache when the sequence was admitted.
   *
   * @param seq sequence id
   * @return cached tokens
   */
  public int cachedTokens(int seq) {
    return seq >= 0 && seq < maxSequences ? seqCachedTokens[seq] : 0;
  }

  /**
   * Block id at a position of a live sequence's block table.
   *
   * @param seq live sequence id
   * @param blockIndex index in the table
   * @return block id, or -1 when out of range
   */
  public int blockId(int seq, int blockIndex) {
    if (!live(seq) || blockIndex < 0 || blockIndex >= seqBlocks[seq]) {
      return -1;
    }
    return tables[seq * maxBlocksPerSeq + blockIndex];
  }

  /**
   * Slot of a token, {@code blockId * blockSize + offset}, as vLLM's slot mapping.
   *
   * @param seq live sequence id
   * @param tokenIndex token position
   * @return slot, or -1 when out of range
   */
  public long slot(int seq, int tokenIndex) {
    if (!live(seq) || tokenIndex < 0 || tokenIndex >= seqTokens[seq]) {
      return -1;
    }
    return (long) tables[seq * maxBlocksPerSeq + tokenIndex / blockSize] * blockSize
        + tokenIndex % blockSize;
  }

  /**
   * Blocks that were missing in the last refusal with {@link KvStatus#NO_FREE_BLOCKS}.
   *
   * @return missing blocks
   */
  public int missingBlocks() {
    return missing;
  }

  /**
   * Fraction of usable blocks in use, {@code 1 - free / (numBlocks - 1)}.
   *
   * @return usage
   */
  public double usage() {
    return pool.usage();
  }

  /**
   * Sequences admitted so far.
   *
   * @return requests
   */
  public long requests() {
    return requests;
  }

  /**
   * Prompt tokens admitted so far (the prefix-cache queries, in tokens).
   *
   * @return tokens
   */
  public long queriedTokens() {
    return promptTokens;
  }

  /**
   * Prompt tokens served from the prefix cache so far.
   *
   * @return tokens
   */
  public long hitTokens() {
    return hitTokens;
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Frees the slab (and the offload tier, deleting its file if it has one); later calls throw
   * {@link IllegalStateException}.
   *
   * @throws java.io.UncheckedIOException naming the offload file when it cannot be deleted
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      arena.close();
      OffloadTier t = tier;
      if (t != null) {
        t.close();
      }
    }
  }

  /** Builder of {@link KvCache}. */
  public static final class Builder {
    private @Nullable KvCacheLayout layout;
    private int numBlocks;
    private boolean prefixCaching = true;
    private HashAlgorithm hashAlgorithm = HashAlgorithm.SHA_256;
    private long hashSeed;
    private int maxSequences = 256;
    private int maxTokensPerSequence = 32_768;
    private int offloadBlocks;
    private @Nullable Path offloadFile;
    private KvEventListener listener = KvEventListener.NONE;

    private Builder() {}

    /**
     * Sets the layout (required).
     *
     * @param layout layout
     * @return this
     */
    public Builder layout(KvCacheLayout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
      return this;
    }

    /**
     * Sets the number of blocks including the null block (required, at least 2); see {@link
     * KvCacheLayout#numBlocksFor(long)}.
     *
     * @param numBlocks blocks
     * @return this
     */
    public Builder numBlocks(int numBlocks) {
      this.numBlocks = numBlocks;
      return this;
    }

    /**
     * Turns prefix caching on or off (default on, as vLLM's {@code enable_prefix_caching}).
     *
     * @param prefixCaching on
     * @return this
     */
    public Builder prefixCaching(boolean prefixCaching) {
      this.prefixCaching = prefixCaching;
      return this;
    }

    /**
     * Sets the block hash function (default {@link HashAlgorithm#SHA_256}).
     *
     * @param hashAlgorithm hash function
     * @return this
     */
    public Builder hashAlgorithm(HashAlgorithm hashAlgorithm) {
      this.hashAlgorithm = Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
      return this;
    }

    /**
     * Sets the seed of the root hash (default 0).
     *
     * @param hashSeed seed
     * @return this
     */
    public Builder hashSeed(long hashSeed) {
      this.hashSeed = hashSeed;
      return this;
    }

    /**
     * Sets the maximum number of sequences alive or swapped out at once (default 256).
     *
     * @param maxSequences at least 1
     * @return this
     */
    public Builder maxSequences(int maxSequences) {
      this.maxSequences = maxSequences;
      return this;
    }

    /**
     * Sets the maximum tokens per sequence (default 32768).
     *
     * @param maxTokensPerSequence at least 1
     * @return this
     */
    public Builder maxTokensPerSequence(int maxTokensPerSequence) {
      this.maxTokensPerSequence = maxTokensPerSequence;
      return this;
    }

    /**
     * Adds an offload tier of this many blocks (default 0, none).
     *
     * @param offloadBlocks blocks in the second tier
     * @return this
     */
    public Builder offloadBlocks(int offloadBlocks) {
      this.offloadBlocks = offloadBlocks;
      return this;
    }

    /**
     * Keeps the offload tier in a memory-mapped file instead of an off-heap slab (default: slab);
     * needs {@link #offloadBlocks(int)} of at least 1. The file is created or overwritten by {@link
     * #build()} and deleted by {@link KvCache#close()}; it is spill space for this process, not a
     * persistent cache (see {@link OffloadTier#mapFile}).
     *
     * @param offloadFile file for the second tier; its parent directory must exist
     * @return this
     */
    public Builder offloadFile(Path offloadFile) {
      this.offloadFile = Objects.requireNonNull(offloadFile, "offloadFile");
      return this;
    }

    /**
     * Sets the prefix-cache event listener.
     *
     * @param listener listener
     * @return this
     */
    public Builder eventListener(KvEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the cache and allocates its slab (and its offload tier).
     *
     * @return the cache
     * @throws IllegalArgumentException naming every invalid setting
     * @throws java.io.UncheckedIOException naming the offload file when it cannot be created or
     *     mapped
     */
    public KvCache build() {
      StringBuilder errors = new StringBuilder();
      if (layout == null) {
        errors.append("layout: required; ");
      }
      if (numBlocks < 2) {
        errors.append("numBlocks: ").append(numBlocks).append(" must be at least 2; ");
      }
      if (maxSequences < 1) {
        errors.append("maxSequences: ").append(maxSequences).append(" must be at least 1; ");
      }
      if (maxTokensPerSequence < 1) {
        errors
            .append("maxTokensPerSequence: ")
            .append(maxTokensPerSequence)
            .append(" must be at least 1; ");
      }
      if (offloadBlocks < 0) {
        errors.append("offloadBlocks: ").append(offloadBlocks).append(" must be >= 0; ");
      }
      if (offloadFile != null && offloadBlocks < 1) {
        errors
            .append("offloadFile: ")
            .append(offloadFile)
            .append(" needs offloadBlocks of at least 1 (was ")
            .append(offloadBlocks)
            .append("); ");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("Invalid KvCache: " + errors.toString().strip());
      }
      return new KvCache(this);
    }
  }
}
