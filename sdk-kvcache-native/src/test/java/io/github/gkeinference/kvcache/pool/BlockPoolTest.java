package io.github.gkeinference.kvcache.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockPoolTest {

  private static long[] hash(long v) {
    return new long[] {v, v + 1, v + 2, v + 3};
  }

  private static int[] freeList(BlockPool pool) {
    int[] out = new int[pool.numBlocks()];
    return Arrays.copyOf(out, pool.freeList(out));
  }

  @Test
  void constructor_takesBlockZeroAsNullBlock() {
    BlockPool pool = new BlockPool(5, true);
    assertThat(freeList(pool)).containsExactly(1, 2, 3, 4);
    assertThat(pool.numFree()).isEqualTo(4);
    assertThat(pool.usage()).isZero();
  }

  @Test
  void allocate_takesFromHeadInIdOrder_andCountsUsage() {
    BlockPool pool = new BlockPool(5, true);
    int[] out = new int[3];
    assertThat(pool.allocate(3, out, 0)).isEqualTo(3);
    assertThat(out).containsExactly(1, 2, 3);
    assertThat(pool.refCount(2)).isEqualTo(1);
    // usage = 1 - free / (N - 1) = 1 - 1/4
    assertThat(pool.usage()).isEqualTo(0.75);
  }

  @Test
  void allocate_beyondCapacity_returnsMissingAndLeavesPoolUnchanged() {
    BlockPool pool = new BlockPool(6, true);
    int[] ids = new int[2];
    pool.allocate(2, ids, 0);
    pool.cacheFullBlocks(ids, 0, hash(7), 0, 1);
    pool.free(ids, 0, 2);
    int[] before = freeList(pool);
    int[] out = new int[10];
    assertThat(pool.allocate(8, out, 0)).isEqualTo(-3); // 5 free, 8 asked
    assertThat(freeList(pool)).containsExactly(before);
    assertThat(pool.isCached(ids[0])).isTrue();
    assertThat(out).containsOnly(0);
  }

  @Test
  void free_returnsUncachedToHeadAndCachedToTail_inReverseOrder() {
    BlockPool pool = new BlockPool(8, true);
    int[] ids = new int[4];
    pool.allocate(4, ids, 0); // 1 2 3 4; free list now 5 6 7
    long[] hashes = new long[8];
    System.arraycopy(hash(100), 0, hashes, 0, 4);
    System.arraycopy(hash(200), 0, hashes, 4, 4);
    pool.cacheFullBlocks(ids, 0, hashes, 0, 2); // blocks 1 and 2 cached
    pool.free(ids, 0, 4);
    // reverse order: 4 (fresh, to head), 3 (fresh, to head), 2 (cached, to tail), 1 (cached, to
    // tail)
    assertThat(freeList(pool)).containsExactly(3, 4, 5, 6, 7, 2, 1);
  }

  @Test
  void cachedBlock_survivesFree_untilReusedThenEvictedWithEvent() {
    List<String> events = new ArrayList<>();
    BlockPool pool = new BlockPool(3, true);
    pool.eventListener(
        new KvEventListener() {
          @Override
          public void blockStored(int blockId, long hash64, long parentHash64) {
            events.add("stored " + blockId + " " + hash64);
          }

          @Override
          public void blockRemoved(int blockId, long hash64) {
            events.add("removed " + blockId + " " + hash64);
          }
        });
    int[] ids = new int[2];
    pool.allocate(2, ids, 0);
    pool.cacheFullBlocks(ids, 0, hash(42), 0, 1);
    pool.free(ids, 0, 2);
    assertThat(pool.cachedBlock(hash(42), 0)).isEqualTo(1);
    int[] one = new int[1];
    pool.allocate(1, one, 0); // block 2 (fresh) is at the head
    assertThat(one[0]).isEqualTo(2);
    assertThat(pool.cachedBlock(hash(42), 0)).isEqualTo(1);
    pool.allocate(1, one, 0); // now block 1 is reused and evicted
    assertThat(one[0]).isEqualTo(1);
    assertThat(pool.cachedBlock(hash(42), 0)).isEqualTo(-1);
    assertThat(pool.evictions()).isEqualTo(1);
    assertThat(events).containsExactly("stored 1 42", "removed 1 42");
  }

  @Test
  void touch_onFreeCachedBlock_removesItFromFreeList() {
    BlockPool pool = new BlockPool(4, true);
    int[] ids = new int[1];
    pool.allocate(1, ids, 0);
    pool.cacheFullBlocks(ids, 0, hash(9), 0, 1);
    pool.free(ids, 0, 1);
    assertThat(pool.isFree(1)).isTrue();
    int[] hit = new int[1];
    assertThat(pool.findLongestCacheHit(hash(9), 0, 1, hit, 0)).isEqualTo(1);
    pool.touch(hit, 0, 1);
    assertThat(pool.isFree(1)).isFalse();
    assertThat(pool.refCount(1)).isEqualTo(1);
    assertThat(freeList(pool)).containsExactly(2, 3);
  }

  @Test
  void findLongestCacheHit_stopsAtFirstMiss() {
    BlockPool pool = new BlockPool(10, true);
    int[] ids = new int[3];
    pool.allocate(3, ids, 0);
    long[] chain = new long[16];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(hash(1000 * (i + 1)), 0, chain, i * 4, 4);
    }
    pool.cacheFullBlocks(ids, 0, chain, 0, 3);
    pool.evictCached(ids[1]);
    int[] out = new int[4];
    assertThat(pool.findLongestCacheHit(chain, 0, 4, out, 0)).isEqualTo(1);
    assertThat(pool.hitBlocks()).isEqualTo(1);
    assertThat(pool.queriedBlocks()).isEqualTo(4);
  }

  @Test
  void duplicates_areNotDeduplicated_andDeleteKeepsOtherEntryFindable() {
    BlockPool pool = new BlockPool(10, true);
    int[] ids = new int[2];
    pool.allocate(2, ids, 0);
    pool.cacheFullBlocks(ids, 0, hash(5), 0, 1);
    pool.cacheFullBlocks(ids, 1, hash(5), 0, 1);
    assertThat(pool.numCached()).isEqualTo(2);
    pool.evictCached(ids[0]);
    assertThat(pool.cachedBlock(hash(5), 0)).isEqualTo(ids[1]);
  }

  @Test
  void hashTable_manyColliding_insertDeleteKeepsAllFindable() {
    BlockPool pool = new BlockPool(200, true);
    int[] ids = new int[199];
    pool.allocate(199, ids, 0);
    long[] hs = new long[199 * 4];
    for (int i = 0; i < 199; i++) {
      hs[i * 4] = (i % 7) * 0x100000000L; // few home slots: long probe runs
      hs[i * 4 + 1] = i;
    }
    for (int i = 0; i < 199; i++) {
      pool.cacheFullBlocks(ids, i, hs, i * 4, 1);
    }
    for (int i = 0; i < 199; i += 2) {
      pool.evictCached(ids[i]);
    }
    for (int i = 0; i < 199; i++) {
      assertThat(pool.cachedBlock(hs, i * 4)).isEqualTo(i % 2 == 0 ? -1 : ids[i]);
    }
  }

  @Test
  void resetPrefixCache_onlyWhenAllBlocksFree() {
    List<String> events = new ArrayList<>();
    BlockPool pool = new BlockPool(4, true);
    pool.eventListener(
        new KvEventListener() {
          @Override
          public void allBlocksCleared() {
            events.add("cleared");
          }
        });
    int[] ids = new int[1];
    pool.allocate(1, ids, 0);
    pool.cacheFullBlocks(ids, 0, hash(1), 0, 1);
    assertThat(pool.resetPrefixCache()).isFalse();
    assertThat(pool.isCached(ids[0])).isTrue();
    pool.free(ids, 0, 1);
    assertThat(pool.resetPrefixCache()).isTrue();
    assertThat(pool.numCached()).isZero();
    assertThat(pool.cachedBlock(hash(1), 0)).isEqualTo(-1);
    assertThat(events).containsExactly("cleared");
  }

  @Test
  void misuse_nullBlockOrDoubleFree_isSkippedNotThrown() {
    BlockPool pool = new BlockPool(4, true);
    int[] ids = new int[1];
    pool.allocate(1, ids, 0);
    assertThat(pool.free(new int[] {0, -3, 99}, 0, 3)).isZero();
    assertThat(pool.free(ids, 0, 1)).isEqualTo(1);
    assertThat(pool.free(ids, 0, 1)).isZero();
    assertThat(pool.numFree()).isEqualTo(3);
  }

  @Test
  void prefixCachingOff_cachesNothing() {
    BlockPool pool = new BlockPool(4, false);
    int[] ids = new int[1];
    pool.allocate(1, ids, 0);
    assertThat(pool.cacheFullBlocks(ids, 0, hash(1), 0, 1)).isZero();
    assertThat(pool.cachedBlock(hash(1), 0)).isEqualTo(-1);
  }
}
