package io.github.gkeinference.kvcache.offload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * A second tier of KV blocks, in its own off-heap slab ({@link #create}) or in a memory-mapped file
 * ({@link #mapFile}), with a CRC-32C checksum per stored block that is verified when the block is
 * read back.
 *
 * <p>Slots hold either a swapped-out block (owned by the caller until {@link #release}) or a cached
 * prefix block found by hash ({@link #storeCached}/{@link #cachedSlot}); cached slots are dropped
 * least recently used first when a store needs room. Not thread-safe: the scheduler thread calls
 * every method. {@link #close()} frees the slab (or unmaps and deletes the file); any later call
 * throws {@link IllegalStateException}.
 *
 * <p>Both variants are a spill tier for this process, not persistence: checksums, the slot table
 * and the hash index live on the Java heap, so a file left behind by a crashed process cannot be
 * read back.
 */
public final class OffloadTier implements AutoCloseable {

  /** Size of the zero buffer used to reserve the disk space of a file-backed tier. */
  private static final int FILL_CHUNK = 1 << 20;

  private final Arena arena;
  private final MemorySegment slab;
  private final @Nullable Path file;
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

  private OffloadTier(
      Arena arena, MemorySegment slab, long blockBytes, int numSlots, @Nullable Path file) {
    this.arena = arena;
    this.slab = slab;
    this.file = file;
    this.blockBytes = blockBytes;
    this.numSlots = numSlots;
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
    long size = totalBytes(blockBytes, numSlots);
    Arena arena = Arena.ofShared();
    return new OffloadTier(arena, arena.allocate(size, 64), blockBytes, numSlots, null);
  }

  /**
   * Creates a tier in a memory-mapped file: the file is created (or truncated) to {@code blockBytes
   * * numSlots} bytes, filled with zeros so that its disk space is reserved now rather than on the
   * first swap, and mapped read-write once; blocks are offsets in the mapping, as in the slab
   * variant. {@link #close()} unmaps the file and deletes it.
   *
   * <p>The file only extends memory for this process: nothing is flushed on purpose and the
   * checksums stay on the heap, so the file is useless once the tier is closed or the process ends.
   *
   * @param file the file to use; its parent directory must exist; an existing file is overwritten
   * @param blockBytes bytes per block, at least 1
   * @param numSlots number of blocks it can hold, at least 1
   * @return the tier
   * @throws UncheckedIOException naming the file when it cannot be opened, or cannot be filled or
   *     mapped (the file is then deleted)
   */
  public static OffloadTier mapFile(Path file, long blockBytes, int numSlots) {
    Objects.requireNonNull(file, "file");
    long size = totalBytes(blockBytes, numSlots);
    FileChannel ch;
    try {
      ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open offload file " + file + ": " + e, e);
    }
    Arena arena = Arena.ofShared();
    try (ch) {
      reserve(ch, size);
      MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
      return new OffloadTier(arena, mapped, blockBytes, numSlots, file);
    } catch (IOException e) {
      arena.close();
      UncheckedIOException failure =
          new UncheckedIOException("cannot map offload file " + file + ": " + e, e);
      try {
        Files.deleteIfExists(file);
      } catch (IOException d) {
        failure.addSuppressed(d);
      }
      throw failure;
    }
  }

  private static long totalBytes(long blockBytes, int numSlots) {
    if (blockBytes < 1 || numSlots < 1) {
      throw new IllegalArgumentException(
          "blockBytes " + blockBytes + " and numSlots " + numSlots + " must be at least 1");
    }
    try {
      return Math.multiplyExact(blockBytes, numSlots);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "blockBytes " + blockBytes + " * numSlots " + numSlots + " overflows a long", e);
    }
  }

  /**
   * Writes zeros over the whole file, so that (on file systems that allocate on write, not copy on
   * write) a full disk is an {@link IOException} here and not a fault in a later store through the
   * mapping.
   */
  private static void reserve(FileChannel ch, long size) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(FILL_CHUNK, size));
    long pos = 0;
    while (pos < size) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
      while (zeros.hasRemaining()) {
        pos += ch.write(zeros, pos);
      }
    }
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
   * @return the slab, or the mapping of the file
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

  /**
   * Frees the slab, or unmaps the file and deletes it.
   *
   * @throws UncheckedIOException naming the file when it cannot be deleted (the tier is closed
   *     anyway)
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Arrays.fill(checksums, 0);
      arena.close();
      Path f = file;
      if (f != null) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete offload file " + f + ": " + e, e);
        }
      }
    }
  }
}
