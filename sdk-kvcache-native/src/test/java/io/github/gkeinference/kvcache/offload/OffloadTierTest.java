package io.github.gkeinference.kvcache.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class OffloadTierTest {

  @Test
  void storeAndLoad_roundTripsBytes() {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = OffloadTier.create(64, 2)) {
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

  @Test
  void load_afterCorruption_throwsNamingTheBlockAndSlot() {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = OffloadTier.create(32, 1)) {
      MemorySegment src = arena.allocate(32);
      int slot = tier.store(src, 0);
      MemorySegment raw = tier.segment();
      long at = tier.slotOffset(slot) + 7;
      raw.set(ValueLayout.JAVA_BYTE, at, (byte) (raw.get(ValueLayout.JAVA_BYTE, at) ^ 0x10));
      MemorySegment dst = arena.allocate(32);
      dst.fill((byte) 0x55);
      assertThatThrownBy(() -> tier.load(slot, dst, 0, "sequence 3 block 2"))
          .isInstanceOf(KvCacheCorruptionException.class)
          .hasMessageContaining("sequence 3 block 2")
          .hasMessageContaining("slot " + slot);
      assertThat(dst.get(ValueLayout.JAVA_BYTE, 0)).as("nothing copied").isEqualTo((byte) 0x55);
    }
  }

  @Test
  void store_whenFull_dropsLeastRecentlyUsedCachedBlock_neverSwappedOnes() {
    try (Arena arena = Arena.ofConfined();
        OffloadTier tier = OffloadTier.create(16, 3)) {
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

  @Test
  void close_thenUse_throwsIllegalState() {
    OffloadTier tier = OffloadTier.create(16, 1);
    tier.close();
    assertThatThrownBy(tier::segment).isInstanceOf(IllegalStateException.class);
  }
}
