package io.github.gkeinference.kvcache.attention;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Stress test of {@link KvCache}'s threading contract: while attention reads one set of sequences
 * on a pool of threads, the scheduler thread keeps appending to, forking, freeing and re-admitting
 * another set (allocating and evicting blocks). The readers' results must equal the serial result
 * computed before, bit for bit, and the mutated set must also decode identically in parallel.
 */
class ThreadingContractTest {

  private static final int D = 16;
  private static final int KV_HEADS = 2;
  private static final int Q_HEADS = 4;

  private static void fill(KvCache cache, int seq, int from, SplittableRandom rnd) {
    float[] k = new float[KV_HEADS * D];
    float[] v = new float[KV_HEADS * D];
    for (int t = from; t < cache.numTokens(seq); t++) {
      for (int i = 0; i < k.length; i++) {
        k[i] = (float) rnd.nextDouble(-1, 1);
        v[i] = (float) rnd.nextDouble(-1, 1);
      }
      assertThat(cache.writeKv(seq, t, 0, k, 0, v, 0)).isEqualTo(KvStatus.OK);
    }
  }

  private static int admit(KvCache cache, SplittableRandom rnd, int len) {
    int[] tokens = rnd.ints(len, 0, 64).toArray(); // small vocabulary: some prefix sharing
    int seq = cache.addSequence(tokens, 0, len, ExtraKeys.NONE);
    assertThat(seq).isNotNegative();
    fill(cache, seq, cache.cachedTokens(seq), rnd);
    return seq;
  }

  @Test
  void readersOfSomeSequences_whileSchedulerMutatesOthers_seeStableResults() throws Exception {
    KvCacheLayout layout =
        KvCacheLayout.builder()
            .numLayers(1)
            .numKvHeads(KV_HEADS)
            .headDim(D)
            .blockSize(8)
            .dtype(KvDtype.F16)
            .build();
    ExecutorService readers = Executors.newFixedThreadPool(2);
    ExecutorService attentionPool = Executors.newFixedThreadPool(3);
    try (KvCache cache =
        KvCache.builder()
            .layout(layout)
            .numBlocks(400)
            .maxSequences(64)
            .maxTokensPerSequence(512)
            .build()) {
      SplittableRandom rnd = new SplittableRandom(42);
      PagedAttention attention = PagedAttention.of(cache);
      int[] stable = new int[4];
      for (int i = 0; i < stable.length; i++) {
        stable[i] = admit(cache, rnd, 100 + 37 * i);
      }
      float[] q = new float[stable.length * Q_HEADS * D];
      for (int i = 0; i < q.length; i++) {
        q[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] expected = new float[stable.length * Q_HEADS * D];
      attention.decode(0, stable, stable.length, Q_HEADS, q, expected, 0.25f, null, 1);

      List<Integer> moving = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        moving.add(admit(cache, rnd, 1 + rnd.nextInt(40)));
      }
      for (int step = 0; step < 300; step++) {
        float[] got = new float[expected.length];
        Future<Integer> reading =
            readers.submit(
                () ->
                    attention.decode(
                        0, stable, stable.length, Q_HEADS, q, got, 0.25f, attentionPool, 4));
        // scheduler work on the other sequences, concurrently with the readers
        for (int m = 0; m < moving.size(); m++) {
          int seq = moving.get(m);
          int op = rnd.nextInt(10);
          if (op == 0 || cache.numTokens(seq) > 400) {
            cache.free(seq);
            moving.set(m, admit(cache, rnd, 1 + rnd.nextInt(60)));
          } else if (op == 1 && moving.size() < 12) {
            int child = cache.fork(seq);
            if (child >= 0) {
              moving.add(child);
            }
          } else {
            int before = cache.numTokens(seq);
            if (cache.appendTokens(seq, new int[] {rnd.nextInt(64), 1, 2}, 0, 3) == KvStatus.OK) {
              fill(cache, seq, before, rnd);
            }
          }
        }
        assertThat(reading.get()).isEqualTo(KvStatus.OK);
        assertThat(got).as("step %d", step).containsExactly(expected);

        if (step % 25 == 0) {
          int[] ids = moving.stream().mapToInt(Integer::intValue).toArray();
          float[] qm = new float[ids.length * Q_HEADS * D];
          for (int i = 0; i < qm.length; i++) {
            qm[i] = (float) rnd.nextDouble(-1, 1);
          }
          float[] serial = new float[qm.length];
          float[] parallel = new float[qm.length];
          attention.decode(0, ids, ids.length, Q_HEADS, qm, serial, 0.25f, null, 1);
          attention.decode(0, ids, ids.length, Q_HEADS, qm, parallel, 0.25f, attentionPool, 7);
          assertThat(parallel).containsExactly(serial);
        }
      }
    } finally {
      readers.shutdownNow();
      attentionPool.shutdownNow();
    }
  }
}
