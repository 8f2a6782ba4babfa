package io.github.gkeinference.kvcache.offload;

import io.github.gkeinference.kvcache.KvCache;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a tier under test keeps its blocks; tests run once per backing. */
enum Backing {
  SLAB,
  FILE;

  /** Name of the tier's file in the test's temporary directory. */
  static final String FILE_NAME = "offload.bin";

  /** Creates a tier with this backing. */
  OffloadTier tier(Path dir, long blockBytes, int numSlots) {
    return this == FILE
        ? OffloadTier.mapFile(dir.resolve(FILE_NAME), blockBytes, numSlots)
        : OffloadTier.create(blockBytes, numSlots);
  }

  /** Selects this backing on a cache builder. */
  KvCache.Builder configure(KvCache.Builder builder, Path dir) {
    return this == FILE ? builder.offloadFile(dir.resolve(FILE_NAME)) : builder;
  }

  /**
   * Flips every bit of the byte at {@code offset} of the tier: in a slab through its segment, in a
   * file through a separate channel on the file (not through the tier's mapping).
   */
  void flipByte(OffloadTier tier, Path dir, long offset) throws IOException {
    if (this == FILE) {
      Path file = dir.resolve(FILE_NAME);
      ByteBuffer one = ByteBuffer.allocate(1);
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        if (ch.read(one, offset) != 1) {
          throw new IOException("no byte at " + offset + " in " + file);
        }
        one.put(0, (byte) ~one.get(0)).rewind();
        ch.write(one, offset);
      }
    } else {
      MemorySegment seg = tier.segment();
      seg.set(ValueLayout.JAVA_BYTE, offset, (byte) ~seg.get(ValueLayout.JAVA_BYTE, offset));
    }
  }
}
