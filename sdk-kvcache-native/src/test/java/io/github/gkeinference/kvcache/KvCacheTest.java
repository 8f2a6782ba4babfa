package io.github.gkeinference.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.kvcache.pool.KvEventListener;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import io.github.gkeinference.kvcache.prefix.HashAlgorithm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvCacheTest {

  private static final KvCacheLayout LAYOUT =
      KvCacheLayout.builder()
          .numLayers(2)
          .numKvHeads(2)
          .headDim(4)
          .blockSize(4)
          .dtype(KvDtype.F32)
          .build();

  private static KvCache cache(int blocks) {
    return KvCache.builder()
        .layout(LAYOUT)
        .numBlocks(blocks)
        .maxSequences(8)
        .maxTokensPerSequence(64)
        .build();
  }

  private static int[] tokens(int n, int start) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i;
    }
    return t;
  }

  @Test
  void addSequence_samePromptTwice_hitsFullBlocksButNotTheLastToken() {
    try (KvCache c = cache(32)) {
      int[] prompt = tokens(12, 100); // 3 full blocks of 4
      int a = c.addSequence(prompt, 0, 12, ExtraKeys.NONE);
      assertThat(c.cachedTokens(a)).isZero();
      c.free(a);
      int b = c.addSequence(prompt, 0, 12, ExtraKeys.NONE);
      // cap = numTokens - 1 = 11 tokens -> floor(11 / 4) = 2 blocks = 8 tokens
      assertThat(c.cachedTokens(b)).isEqualTo(8);
      int d = c.addSequence(tokens(13, 100), 0, 13, ExtraKeys.NONE);
      // cap = 12 tokens -> 3 blocks, shared with b's table
      assertThat(c.cachedTokens(d)).isEqualTo(12);
      assertThat(c.blockId(d, 0)).isEqualTo(c.blockId(b, 0));
      assertThat(c.blockPool().refCount(c.blockId(d, 0))).isEqualTo(2);
      assertThat(c.hitTokens()).isEqualTo(20);
      assertThat(c.queriedTokens()).isEqualTo(12 + 12 + 13);
    }
  }

  @Test
  void addSequence_differentSaltOrAdapter_neverShares() {
    try (KvCache c = cache(32)) {
      int[] prompt = tokens(9, 1);
      c.addSequence(prompt, 0, 9, ExtraKeys.builder().cacheSalt("a").build());
      int other = c.addSequence(prompt, 0, 9, ExtraKeys.builder().cacheSalt("b").build());
      int lora =
          c.addSequence(prompt, 0, 9, ExtraKeys.builder().cacheSalt("a").adapter("x").build());
      int same = c.addSequence(prompt, 0, 9, ExtraKeys.builder().cacheSalt("a").build());
      assertThat(c.cachedTokens(other)).isZero();
      assertThat(c.cachedTokens(lora)).isZero();
      assertThat(c.cachedTokens(same)).isEqualTo(8);
    }
  }

  @Test
  void appendTokens_fillingBlocks_cachesThemForLaterPrompts() {
    try (KvCache c =
        KvCache.builder().layout(LAYOUT).numBlocks(32).hashAlgorithm(HashAlgorithm.FAST).build()) {
      int s = c.addSequence(tokens(2, 0), 0, 2, ExtraKeys.NONE);
      int[] t = tokens(10, 0);
      for (int i = 2; i < 10; i++) {
        assertThat(c.appendTokens(s, t, i, 1)).isEqualTo(KvStatus.OK);
      }
      assertThat(c.numTokens(s)).isEqualTo(10);
      assertThat(c.numBlocks(s)).isEqualTo(3);
      assertThat(c.cachedPrefixLength(t, 0, 10, ExtraKeys.NONE)).isEqualTo(8);
    }
  }

  @Test
  void exhaustion_reportsMissingBlocks_andChangesNothing() {
    try (KvCache c = cache(6)) { // 5 usable blocks
      int a = c.addSequence(tokens(12, 0), 0, 12, ExtraKeys.NONE); // 3 blocks
      int freeBefore = c.blockPool().numFree();
      assertThat(c.addSequence(tokens(16, 500), 0, 16, ExtraKeys.NONE))
          .isEqualTo(KvStatus.NO_FREE_BLOCKS);
      assertThat(c.missingBlocks()).isEqualTo(2);
      assertThat(c.appendTokens(a, tokens(13, 0), 0, 13)).isEqualTo(KvStatus.NO_FREE_BLOCKS);
      // 12 + 13 = 25 tokens = 7 blocks, has 3, needs 4, 2 free
      assertThat(c.missingBlocks()).isEqualTo(2);
      assertThat(c.blockPool().numFree()).isEqualTo(freeBefore);
      assertThat(c.numTokens(a)).isEqualTo(12);
      assertThat(c.numBlocks(a)).isEqualTo(3);
    }
  }

  @Test
  void fork_sharesBlocks_andCopiesPartialBlockOnWrite() {
    try (KvCache c = cache(32)) {
      int p =
          c.addSequence(tokens(6, 0), 0, 6, ExtraKeys.NONE); // block 0 full, block 1 has 2 tokens
      float[] k = {1, 2, 3, 4, 5, 6, 7, 8};
      float[] v = {-1, -2, -3, -4, -5, -6, -7, -8};
      assertThat(c.writeKv(p, 5, 1, k, 0, v, 0)).isEqualTo(KvStatus.OK);
      int child = c.fork(p);
      int partialBlock = c.blockId(p, 1);
      assertThat(c.blockId(child, 1)).isEqualTo(partialBlock);
      assertThat(c.blockPool().refCount(partialBlock)).isEqualTo(2);

      assertThat(c.appendTokens(child, new int[] {42}, 0, 1)).isEqualTo(KvStatus.OK);
      int copied = c.blockId(child, 1);
      assertThat(copied).isNotEqualTo(partialBlock);
      assertThat(c.blockId(child, 0)).isEqualTo(c.blockId(p, 0));
      assertThat(c.blockPool().refCount(partialBlock)).isEqualTo(1);
      float[] got = new float[8];
      c.readK(child, 5, 1, got, 0);
      assertThat(got).containsExactly(k);
      c.readV(child, 5, 1, got, 0);
      assertThat(got).containsExactly(v);
      // the parent then appends into its own, no longer shared, block
      c.appendTokens(p, new int[] {7}, 0, 1);
      assertThat(c.blockId(p, 1)).isEqualTo(partialBlock);
    }
  }

  @Test
  void free_releasesEveryBlock() {
    try (KvCache c = cache(16)) {
      int a = c.addSequence(tokens(9, 0), 0, 9, ExtraKeys.NONE);
      int b = c.fork(a);
      c.free(a);
      c.free(b);
      assertThat(c.blockPool().numFree()).isEqualTo(15);
      assertThat(c.usage()).isZero();
      assertThat(c.free(a)).isEqualTo(KvStatus.UNKNOWN_SEQUENCE);
      assertThat(c.resetPrefixCache()).isTrue();
      assertThat(c.cachedPrefixLength(tokens(9, 0), 0, 9, ExtraKeys.NONE)).isZero();
    }
  }

  @Test
  void ordinaryMisuse_returnsStatusCodes() {
    try (KvCache c = cache(16)) {
      assertThat(c.appendTokens(3, new int[1], 0, 1)).isEqualTo(KvStatus.UNKNOWN_SEQUENCE);
      assertThat(c.addSequence(new int[0], 0, 0, ExtraKeys.NONE))
          .isEqualTo(KvStatus.INVALID_ARGUMENT);
      assertThat(c.addSequence(new int[65], 0, 65, ExtraKeys.NONE))
          .isEqualTo(KvStatus.SEQUENCE_TOO_LONG);
      int s = c.addSequence(new int[3], 0, 3, ExtraKeys.NONE);
      assertThat(c.writeKv(s, 3, 0, new float[8], 0, new float[8], 0))
          .isEqualTo(KvStatus.INVALID_ARGUMENT);
      assertThat(c.readK(s, 0, 2, new float[8], 0)).isEqualTo(KvStatus.INVALID_ARGUMENT);
      assertThat(c.fork(-1)).isEqualTo(KvStatus.UNKNOWN_SEQUENCE);
      assertThat(c.swapOut(s)).isEqualTo(KvStatus.OFFLOAD_UNAVAILABLE);
      for (int i = 0; i < 7; i++) {
        c.fork(s);
      }
      assertThat(c.fork(s)).isEqualTo(KvStatus.NO_SEQUENCE_SLOT);
      assertThat(KvStatus.name(KvStatus.NO_SEQUENCE_SLOT)).isEqualTo("NO_SEQUENCE_SLOT");
    }
  }

  @Test
  void close_thenUse_throwsIllegalState() {
    KvCache c = cache(8);
    c.close();
    c.close();
    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(() -> c.addSequence(new int[1], 0, 1, ExtraKeys.NONE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(c::slab).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void events_reportStoredWithParentChain() {
    List<String> events = new ArrayList<>();
    KvEventListener listener =
        new KvEventListener() {
          @Override
          public void blockStored(int blockId, long hash64, long parentHash64) {
            events.add(blockId + ":" + hash64 + "<-" + parentHash64);
          }
        };
    try (KvCache c =
        KvCache.builder().layout(LAYOUT).numBlocks(8).eventListener(listener).build()) {
      c.addSequence(tokens(8, 0), 0, 8, ExtraKeys.NONE);
      assertThat(events).hasSize(2);
      String first = events.get(0);
      String second = events.get(1);
      assertThat(first).endsWith("<-0");
      String firstHash = first.substring(first.indexOf(':') + 1, first.indexOf('<'));
      assertThat(second).endsWith("<-" + firstHash);
    }
  }

  @Test
  void slot_isBlockIdTimesBlockSizePlusOffset() {
    try (KvCache c = cache(8)) {
      int s = c.addSequence(tokens(6, 0), 0, 6, ExtraKeys.NONE);
      assertThat(c.slot(s, 5)).isEqualTo((long) c.blockId(s, 1) * 4 + 1);
      assertThat(c.slot(s, 6)).isEqualTo(-1);
    }
  }

  @Test
  void nonFiniteWritten_isSetOnlyByANonFiniteValueAndStays() {
    try (KvCache c = cache(8)) {
      int s = c.addSequence(tokens(3, 0), 0, 3, ExtraKeys.NONE);
      int width = LAYOUT.numKvHeads() * LAYOUT.headDim();
      float[] k = new float[width];
      float[] v = new float[width];
      Arrays.fill(k, 0.5f);
      Arrays.fill(v, -0.25f);
      assertThat(c.writeKv(s, 0, 0, k, 0, v, 0)).isEqualTo(KvStatus.OK);
      assertThat(c.nonFiniteWritten()).isFalse();
      v[width - 1] = Float.POSITIVE_INFINITY; // the last V element
      assertThat(c.writeKv(s, 1, 0, k, 0, v, 0)).isEqualTo(KvStatus.OK);
      assertThat(c.nonFiniteWritten()).isTrue();
      v[width - 1] = 1f;
      assertThat(c.writeKv(s, 1, 0, k, 0, v, 0)).isEqualTo(KvStatus.OK);
      assertThat(c.nonFiniteWritten()).as("sticky").isTrue();
    }
  }
}
