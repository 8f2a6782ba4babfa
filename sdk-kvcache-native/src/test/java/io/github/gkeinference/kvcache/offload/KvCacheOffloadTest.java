package io.github.gkeinference.kvcache.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link KvCache} with an offload tier, run with each backing of the tier. */
class KvCacheOffloadTest {

  private static final KvCacheLayout LAYOUT =
      KvCacheLayout.builder()
          .numLayers(1)
          .numKvHeads(1)
          .headDim(2)
          .blockSize(4)
          .dtype(KvDtype.F32)
          .build();

  @TempDir Path dir;

  private Path file() {
    return dir.resolve(Backing.FILE_NAME);
  }

  private KvCache cache(Backing backing, int blocks, int offload) {
    return backing
        .configure(
            KvCache.builder()
                .layout(LAYOUT)
                .numBlocks(blocks)
                .offloadBlocks(offload)
                .maxTokensPerSequence(64),
            dir)
        .build();
  }

  private static int[] tokens(int n, int start) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i;
    }
    return t;
  }

  private static void writeTokens(KvCache c, int seq, int[] tokens) {
    for (int i = 0; i < c.numTokens(seq); i++) {
      c.writeKv(seq, i, 0, new float[] {tokens[i], i}, 0, new float[] {-tokens[i], i}, 0);
    }
  }

  private static void assertHolds(KvCache c, int seq, int[] tokens, int count) {
    float[] k = new float[2];
    for (int i = 0; i < count; i++) {
      assertThat(c.readK(seq, i, 0, k, 0)).isEqualTo(KvStatus.OK);
      assertThat(k).containsExactly(tokens[i], i);
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void swapOutAndIn_restoresDataInFreshBlocks(Backing backing) {
    try (KvCache c = cache(backing, 8, 8)) {
      int[] t = tokens(10, 1);
      int s = c.addSequence(t, 0, 10, ExtraKeys.NONE);
      writeTokens(c, s, t);
      int freeBefore = c.blockPool().numFree();
      assertThat(c.swapOut(s)).isEqualTo(KvStatus.OK);
      assertThat(c.isSwappedOut(s)).isTrue();
      assertThat(c.blockPool().numFree()).isEqualTo(freeBefore + 3);
      assertThat(c.appendTokens(s, t, 0, 1)).isEqualTo(KvStatus.UNKNOWN_SEQUENCE);
      // fill the pool with another sequence so the old blocks get reused
      int other = c.addSequence(tokens(12, 500), 0, 12, ExtraKeys.NONE);
      writeTokens(c, other, tokens(12, 500));
      c.free(other);
      assertThat(c.swapIn(s)).isEqualTo(KvStatus.OK);
      assertHolds(c, s, t, 10);
      float[] v = new float[2];
      for (int i = 0; i < 10; i++) {
        assertThat(c.readV(s, i, 0, v, 0)).isEqualTo(KvStatus.OK);
        assertThat(v).containsExactly(-t[i], i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void swapIn_withoutFreeBlocks_refusesAndStaysSwapped(Backing backing) {
    try (KvCache c = cache(backing, 5, 8)) { // 4 usable blocks
      int s = c.addSequence(tokens(12, 0), 0, 12, ExtraKeys.NONE);
      c.swapOut(s);
      int other = c.addSequence(tokens(8, 100), 0, 8, ExtraKeys.NONE);
      assertThat(c.swapIn(s)).isEqualTo(KvStatus.NO_FREE_BLOCKS);
      assertThat(c.missingBlocks()).isEqualTo(1);
      assertThat(c.isSwappedOut(s)).isTrue();
      c.free(other);
      assertThat(c.swapIn(s)).isEqualTo(KvStatus.OK);
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void swapIn_corruptedBlock_throwsNamingSequenceAndBlock(Backing backing) throws IOException {
    try (KvCache c = cache(backing, 8, 8)) {
      int[] t = tokens(10, 1);
      int s = c.addSequence(t, 0, 10, ExtraKeys.NONE);
      writeTokens(c, s, t);
      c.swapOut(s);
      OffloadTier tier = Objects.requireNonNull(c.offloadTier());
      // flip one byte in every slot: whichever holds block 0 is corrupted
      for (int slot = 0; slot < tier.numSlots(); slot++) {
        backing.flipByte(tier, dir, tier.slotOffset(slot) + 3);
      }
      int free = c.blockPool().numFree();
      assertThatThrownBy(() -> c.swapIn(s))
          .isInstanceOf(KvCacheCorruptionException.class)
          .hasMessageContaining("sequence " + s + " block 0");
      assertThat(c.isSwappedOut(s)).isTrue();
      assertThat(c.blockPool().numFree()).isEqualTo(free);
      assertThat(c.blockPool().verifyIntegrity()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void cachedPrefix_evictedFromFirstTier_isServedFromOffloadTier(Backing backing) {
    try (KvCache c = cache(backing, 6, 8)) { // 5 usable blocks
      int[] prompt = tokens(13, 1); // 3 full blocks + 1 partial
      int s = c.addSequence(prompt, 0, 13, ExtraKeys.NONE);
      writeTokens(c, s, prompt);
      c.free(s);
      // a different prompt that needs every block: the cached ones are evicted (and offloaded)
      int other = c.addSequence(tokens(20, 1000), 0, 20, ExtraKeys.NONE);
      assertThat(c.blockPool().numCached()).isEqualTo(5); // only the new prompt's blocks
      assertThat(c.blockPool().evictions()).isEqualTo(3);
      c.free(other);
      // lookups in the first tier miss; the second tier still has the prefix
      int again = c.addSequence(prompt, 0, 13, ExtraKeys.NONE);
      assertThat(c.cachedTokens(again)).isEqualTo(12);
      // the 12 cached tokens came back from the tier (token 12 was never written)
      assertHolds(c, again, prompt, 12);
    }
  }

  @ParameterizedTest
  @EnumSource(Backing.class)
  void cachedPrefix_corruptInTier_throwsAndUndoesAdmission(Backing backing) throws IOException {
    try (KvCache c = cache(backing, 6, 8)) {
      int[] prompt = tokens(9, 1);
      int s = c.addSequence(prompt, 0, 9, ExtraKeys.NONE);
      writeTokens(c, s, prompt);
      c.free(s);
      c.free(c.addSequence(tokens(20, 1000), 0, 20, ExtraKeys.NONE));
      OffloadTier tier = Objects.requireNonNull(c.offloadTier());
      for (int slot = 0; slot < tier.numSlots(); slot++) {
        backing.flipByte(tier, dir, tier.slotOffset(slot));
      }
      int free = c.blockPool().numFree();
      assertThatThrownBy(() -> c.addSequence(prompt, 0, 9, ExtraKeys.NONE))
          .isInstanceOf(KvCacheCorruptionException.class)
          .hasMessageContaining("prefix block 0");
      assertThat(c.blockPool().numFree()).isEqualTo(free);
      assertThat(c.blockPool().verifyIntegrity()).isNull();
    }
  }

  @Test
  void fileTier_isCreatedByBuild_andDeletedByClose() {
    KvCache c = cache(Backing.FILE, 8, 8);
    assertThat(file()).exists();
    assertThat(file()).hasSize(8 * LAYOUT.bytesPerBlock());
    c.close();
    assertThat(file()).doesNotExist();
    assertThatThrownBy(() -> c.swapIn(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Objects.requireNonNull(c.offloadTier()).segment())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void build_offloadFileWithoutOffloadBlocks_reportsEveryBadField() {
    KvCache.Builder b = KvCache.builder().layout(LAYOUT).numBlocks(1).offloadFile(file());
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numBlocks: 1")
        .hasMessageContaining("offloadFile: " + file())
        .hasMessageContaining("offloadBlocks of at least 1 (was 0)");
    assertThat(file()).doesNotExist();
  }

  @Test
  void build_offloadFileInMissingDirectory_throwsUncheckedNamingThePath() throws IOException {
    Path missing = dir.resolve("no-such-dir").resolve("offload.bin");
    KvCache.Builder b =
        KvCache.builder().layout(LAYOUT).numBlocks(4).offloadBlocks(2).offloadFile(missing);
    assertThatThrownBy(b::build)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
