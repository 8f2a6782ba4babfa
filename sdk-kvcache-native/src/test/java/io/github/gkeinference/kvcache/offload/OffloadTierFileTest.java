package io.github.gkeinference.kvcache.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the memory-mapped-file variant of {@link OffloadTier} does. */
class OffloadTierFileTest {

  @TempDir Path dir;

  private Path file() {
    return dir.resolve(Backing.FILE_NAME);
  }

  @Test
  void mapFile_store_writesTheBlockIntoTheFileAtItsSlotOffset() throws IOException {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = OffloadTier.mapFile(file(), 64, 3)) {
      assertThat(Files.size(file())).isEqualTo(64 * 3);
      MemorySegment src = arena.allocate(64);
      for (int i = 0; i < 64; i++) {
        src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 3 + 1));
      }
      tier.store(src, 0);
      int slot = tier.store(src, 0);
      // read through the file system, not through the mapping
      byte[] onDisk = Files.readAllBytes(file());
      long at = tier.slotOffset(slot);
      assertThat(Arrays.copyOfRange(onDisk, (int) at, (int) at + 64))
          .containsExactly(src.toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void mapFile_overExistingFile_truncatesItToTheTierSize() throws IOException {
    byte[] old = new byte[10_000];
    Arrays.fill(old, (byte) 9);
    Files.write(file(), old);
    try (OffloadTier tier = OffloadTier.mapFile(file(), 16, 4)) {
      assertThat(Files.readAllBytes(file())).hasSize(16 * 4).containsOnly((byte) 0);
      assertThat(tier.numFreeSlots()).isEqualTo(4);
    }
  }

  @Test
  void close_deletesTheFile() {
    OffloadTier tier = OffloadTier.mapFile(file(), 16, 2);
    assertThat(file()).exists();
    tier.close();
    assertThat(file()).doesNotExist();
  }

  @Test
  void mapFile_inMissingDirectory_throwsUncheckedNamingThePath() {
    Path file = dir.resolve("missing").resolve("tier.bin");
    assertThatThrownBy(() -> OffloadTier.mapFile(file, 16, 2))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString());
    assertThat(file).doesNotExist();
  }

  @Test
  void mapFile_onADirectory_throwsAndLeavesTheDirectory() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertThatThrownBy(() -> OffloadTier.mapFile(sub, 16, 2))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(sub.toString());
    assertThat(sub).isDirectory();
  }

  @Test
  void mapFile_sizeOverflowingALong_isRejectedBeforeTouchingTheFile() {
    assertThatThrownBy(() -> OffloadTier.mapFile(file(), Long.MAX_VALUE / 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflows");
    assertThat(file()).doesNotExist();
  }
}
