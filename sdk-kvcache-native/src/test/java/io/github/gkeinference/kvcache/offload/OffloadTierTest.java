package io.github.gkeinference.kvcache.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link OffloadTier} with each {@link Backing}. */
class OffloadTierTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Backing.class)
  void storeAndLoad_roundTripsBytes(Backing backing) {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = backing.tier(dir, 64, 2)) {
      MemorySegment src = arena.allocate(64);
      for (int i = 0; i < 64; i++) {
        src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 3));
      }
      int slot = tier.store(src, 0);
      MemorySegment dst = arena.allocate(64);
      tier.load(slot, dst, 0, "block 1");
      assertThat(dst.mismatch(src)).isEqualTo(-1);
      assertThat(tier.stores()).isEqualTo(1);
      assertThat(tier.loads()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void load_afterCorruption_throwsNamingTheBlockAndSlot(Backing backing) throws IOException {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = backing.tier(dir, 32, 2)) {
      MemorySegment src = arena.allocate(32);
      tier.store(src, 0);
      int slot = tier.store(src, 0);
      backing.flipByte(tier, dir, tier.slotOffset(slot) + 7);
      MemorySegment dst = arena.allocate(32);
      dst.fill((byte) 0x55);
      assertThatThrownBy(() -> tier.load(slot, dst, 0, "sequence 3 block 2"))
          .isInstanceOf(KvCacheCorruptionException.class)
          .hasMessageContaining("sequence 3 block 2")
          .hasMessageContaining("slot " + slot);
      assertThat(dst.get(ValueLayout.JAVA_BYTE, 0)).as("nothing copied").isEqualTo((byte) 0x55);
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void store_whenFull_dropsLeastRecentlyUsedCachedBlock_neverSwappedOnes(Backing backing) {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = backing.tier(dir, 16, 3)) {
      MemorySegment src = arena.allocate(16);
      long[] a = {1, 1, 1, 1};
      long[] b = {2, 2, 2, 2};
      int swapped = tier.store(src, 0);
      tier.storeCached(a, 0, src, 0);
      tier.storeCached(b, 0, src, 0);
      assertThat(tier.cachedSlot(a, 0)).isNotNegative(); // a is now more recent than b
      int next = tier.store(src, 0);
      assertThat(next).isNotNegative();
      assertThat(tier.cachedSlot(b, 0)).isEqualTo(-1);
      assertThat(tier.cachedSlot(a, 0)).isNotNegative();
      assertThat(tier.store(src, 0)).isNotNegative(); // drops a
      assertThat(tier.store(src, 0)).as("only swapped blocks left").isEqualTo(-1);
      tier.release(swapped);
      assertThat(tier.numFreeSlots()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void close_thenUse_throwsIllegalState(Backing backing) {
    OffloadTier tier = backing.tier(dir, 16, 1);
    tier.close();
    assertThatThrownBy(tier::segment).isInstanceOf(IllegalStateException.class);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment src = arena.allocate(16);
      assertThatThrownBy(() -> tier.store(src, 0)).isInstanceOf(IllegalStateException.class);
    }
    tier.close(); // a second close does nothing
  }
}
