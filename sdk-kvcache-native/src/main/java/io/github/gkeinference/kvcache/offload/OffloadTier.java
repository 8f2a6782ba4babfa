package io.github.gkeinference.kvcache.offload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A second tier of KV blocks in its own off-heap slab, with a CRC-32C checksum per stored block
 * that is verified when the block is read back.
 *
 * <p>Slots hold either a swapped-out block (owned by the caller until {@link #release}) or a cached
 * prefix block found by hash ({@link #storeCached}/{@link #cachedSlot}); cached slots are dropped
 * least recently used first when a store needs room. Not thread-safe: the scheduler thread calls
 * every method. {@link #close()} frees the slab; any later call throws {@link
 * IllegalStateException}.
 */
public final class OffloadTier implements AutoCloseable {

  private final Arena arena;
  private final MemorySegment slab;
  private final long blockBytes;
  private final int numSlots;
  private final int[] checksums;
  private final int[] freeSlots;
  private int freeTop;
  private final LinkedHashMap<HashKey, Integer> cached = new LinkedHashMap<>(16, 0.75f, true);
  private final CRC32C crc = new CRC32C();
  private long stores;
  private long loads;
  private boolean closed;

  private record HashKey(long h0, long h1, long h2, long h3) {
    static HashKey of(long[] h, int o) {
      return new HashKey(h[o], h[o + 1], h[o + 2], h[o + 3]);
    }
  }

  private OffloadTier(long blockBytes, int numSlots) {
    this.blockBytes = blockBytes;
    this.numSlots = numSlots;
    this.arena = Arena.ofShared();
    this.slab = arena.allocate(blockBytes * numSlots, 64);
    this.checksums = new int[numSlots];
    this.freeSlots = new int[numSlots];
    for (int i = 0; i < numSlots; i++) {
      freeSlots[i] = numSlots - 1 - i;
    }
    this.freeTop = numSlots;
  }

  /**
   * Allocates a tier.
   *
   * @param blockBytes bytes per block, at least 1
   * @param numSlots number of blocks it can hold, at least 1
   * @return the tier
   */
  public static OffloadTier create(long blockBytes, int numSlots) {
    if (blockBytes < 1 || numSlots < 1) {
      throw new IllegalArgumentException(
          "blockBytes " + blockBytes + " and numSlots " + numSlots + " must be at least 1");
    }
    return new OffloadTier(blockBytes, numSlots);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("OffloadTier is closed");
    }
  }

  private int checksum(long offset) {
    crc.reset();
    crc.update(slab.asSlice(offset, blockBytes).asByteBuffer());
    return (int) crc.getValue();
  }

  private int takeSlot() {
    if (freeTop == 0) {
      Iterator<Map.Entry<HashKey, Integer>> it = cached.entrySet().iterator();
      if (!it.hasNext()) {
        return -1;
      }
      int slot = it.next().getValue();
      it.remove();
      return slot;
    }
    return freeSlots[--freeTop];
  }

  /**
   * Copies one block into a free slot (dropping the least recently used cached block if needed).
   *
   * @param src segment holding the block
   * @param srcOffset offset of the block in {@code src}
   * @return the slot, or -1 when every slot holds a swapped-out block
   */
  public int store(MemorySegment src, long srcOffset) {
    ensureOpen();
    int slot = takeSlot();
    if (slot < 0) {
      return -1;
    }
    long off = slot * blockBytes;
    MemorySegment.copy(src, srcOffset, slab, off, blockBytes);
    checksums[slot] = checksum(off);
    stores++;
    return slot;
  }

  /**
   * Keeps a cached prefix block under its hash; does nothing if the hash is already kept.
   *
   * @param hashes array holding the block hash (4 longs)
   * @param hashOffset index of the hash
   * @param src segment holding the block
   * @param srcOffset offset of the block in {@code src}
   * @return the slot, or -1 when the tier is full of swapped-out blocks
   */
  public int storeCached(long[] hashes, int hashOffset, MemorySegment src, long srcOffset) {
    ensureOpen();
    HashKey key = HashKey.of(hashes, hashOffset);
    Integer existing = cached.get(key);
    if (existing != null) {
      return existing;
    }
    int slot = store(src, srcOffset);
    if (slot >= 0) {
      cached.put(key, slot);
    }
    return slot;
  }

  /**
   * Finds the slot keeping a cached block, marking it recently used.
   *
   * @param hashes array holding the block hash
   * @param hashOffset index of the hash
   * @return the slot, or -1
   */
  public int cachedSlot(long[] hashes, int hashOffset) {
    ensureOpen();
    Integer slot = cached.get(HashKey.of(hashes, hashOffset));
    return slot == null ? -1 : slot;
  }

  /**
   * Copies a slot back after verifying its checksum.
   *
   * @param slot slot from {@link #store} or {@link #cachedSlot}
   * @param dst destination segment
   * @param dstOffset offset of the block in {@code dst}
   * @param blockName names the block in the error message
   * @throws KvCacheCorruptionException naming the block and slot when the checksum differs
   */
  public void load(int slot, MemorySegment dst, long dstOffset, String blockName) {
    ensureOpen();
    long off = slot * blockBytes;
    int actual = checksum(off);
    if (actual != checksums[slot]) {
      throw new KvCacheCorruptionException(
          "checksum mismatch for "
              + blockName
              + " in offload slot "
              + slot
              + ": stored CRC-32C "
              + Integer.toHexString(checksums[slot])
              + ", read "
              + Integer.toHexString(actual));
    }
    MemorySegment.copy(slab, off, dst, dstOffset, blockBytes);
    loads++;
  }

  /**
   * Frees a slot returned by {@link #store}.
   *
   * @param slot slot
   */
  public void release(int slot) {
    ensureOpen();
    freeSlots[freeTop++] = slot;
  }

  /**
   * Drops a cached block kept under a hash, freeing its slot.
   *
   * @param hashes array holding the block hash
   * @param hashOffset index of the hash
   * @return whether it was kept
   */
  public boolean dropCached(long[] hashes, int hashOffset) {
    ensureOpen();
    Integer slot = cached.remove(HashKey.of(hashes, hashOffset));
    if (slot == null) {
      return false;
    }
    freeSlots[freeTop++] = slot;
    return true;
  }

  /**
   * The tier's memory, for inspection (and fault injection in tests).
   *
   * @return the slab
   */
  public MemorySegment segment() {
    ensureOpen();
    return slab;
  }

  /**
   * Offset of a slot in {@link #segment()}.
   *
   * @param slot slot
   * @return byte offset
   */
  public long slotOffset(int slot) {
    return slot * blockBytes;
  }

  /**
   * Total number of slots.
   *
   * @return slots
   */
  public int numSlots() {
    return numSlots;
  }

  /**
   * Number of free slots (not counting cached ones that could be dropped).
   *
   * @return free slots
   */
  public int numFreeSlots() {
    return freeTop;
  }

  /**
   * Number of cached blocks kept by hash.
   *
   * @return cached blocks
   */
  public int numCached() {
    return cached.size();
  }

  /**
   * Blocks stored so far.
   *
   * @return stores
   */
  public long stores() {
    return stores;
  }

  /**
   * Blocks loaded back so far.
   *
   * @return loads
   */
  public long loads() {
    return loads;
  }

  /** Frees the slab. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Arrays.fill(checksums, 0);
      arena.close();
    }
  }
}
