package io.github.gkeinference.kvcache.attention;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PagedAttentionTest {

  static final int LAYERS = 2;
  static final int KV_HEADS = 2;
  static final int Q_HEADS = 8; // GQA: 4 query heads per KV head
  static final int D = 32;

  /**
   * Largest absolute error against the unquantized inputs (values in [-1, 1], scale 1). Each is
   * several times the format's rounding unit u (F32 2^-24, F16 2^-11, BF16 2^-8, E4M3 2^-4, E5M2
   * 2^-3): the output is an average of V, off by about u, plus the effect of K's rounding on the
   * softmax weights.
   */
  static double tolerance(KvDtype dt) {
    return switch (dt) {
      case F32 -> 1e-5;
      case F16 -> 4e-3;
      case BF16 -> 3e-2;
      case FP8_E4M3 -> 0.25;
      case FP8_E5M2 -> 0.5;
    };
  }

  /** A cache filled with random K/V for a few sequences; keeps the unquantized values. */
  static final class Fixture implements AutoCloseable {
    final KvCache cache;
    final int[] seqs;
    final int[] lengths;
    final float[][][][] k; // [seq][layer][token][kvHead*D]
    final float[][][][] v;

    Fixture(KvDtype dt, float kScale, float vScale, float magnitude, long seed, int... lengths) {
      KvCacheLayout layout =
          KvCacheLayout.builder()
              .numLayers(LAYERS)
              .numKvHeads(KV_HEADS)
              .headDim(D)
              .blockSize(16)
              .dtype(dt)
              .kScales(kScale, kScale)
              .vScales(vScale, vScale)
              .build();
      cache = KvCache.builder().layout(layout).numBlocks(256).maxTokensPerSequence(1024).build();
      SplittableRandom rnd = new SplittableRandom(seed);
      this.lengths = lengths;
      seqs = new int[lengths.length];
      k = new float[lengths.length][LAYERS][][];
      v = new float[lengths.length][LAYERS][][];
      for (int s = 0; s < lengths.length; s++) {
        int[] tokens = rnd.ints(lengths[s], 0, 50_000).toArray();
        seqs[s] = cache.addSequence(tokens, 0, tokens.length, ExtraKeys.NONE);
        for (int l = 0; l < LAYERS; l++) {
          k[s][l] = new float[lengths[s]][KV_HEADS * D];
          v[s][l] = new float[lengths[s]][KV_HEADS * D];
          for (int t = 0; t < lengths[s]; t++) {
            for (int i = 0; i < KV_HEADS * D; i++) {
              k[s][l][t][i] = (float) (rnd.nextDouble(-1, 1) * magnitude);
              v[s][l][t][i] = (float) (rnd.nextDouble(-1, 1) * magnitude);
            }
            cache.writeKv(seqs[s], t, l, k[s][l][t], 0, v[s][l][t], 0);
          }
        }
      }
    }

    @Override
    public void close() {
      cache.close();
    }
  }

  static float[] queries(int numSeqs, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] q = new float[numSeqs * Q_HEADS * D];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) rnd.nextDouble(-1, 1);
    }
    return q;
  }

  /** Two-pass softmax in double over the given K/V (read back or original). */
  static double[] naive(
      float[][] keys, float[][] values, float[] q, int qOff, int kvHead, double scale) {
    int n = keys.length;
    double[] scores = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < n; t++) {
      double s = 0;
      for (int i = 0; i < D; i++) {
        s += (double) q[qOff + i] * keys[t][kvHead * D + i];
      }
      scores[t] = s * scale;
      max = Math.max(max, scores[t]);
    }
    double sum = 0;
    for (int t = 0; t < n; t++) {
      scores[t] = Math.exp(scores[t] - max);
      sum += scores[t];
    }
    double[] out = new double[D];
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < D; i++) {
        out[i] += scores[t] / sum * values[t][kvHead * D + i];
      }
    }
    return out;
  }

  static float[][] readBack(KvCache cache, int seq, int layer, int n, boolean isK) {
    float[][] rows = new float[n][KV_HEADS * D];
    for (int t = 0; t < n; t++) {
      int st =
          isK ? cache.readK(seq, t, layer, rows[t], 0) : cache.readV(seq, t, layer, rows[t], 0);
      assertThat(st).isEqualTo(KvStatus.OK);
    }
    return rows;
  }

  /** Largest |paged - naive| over every sequence and query head, for one layer. */
  static double maxError(Fixture f, float[] q, float[] out, int layer, boolean againstOriginal) {
    double scale = 1 / Math.sqrt(D);
    double worst = 0;
    for (int s = 0; s < f.seqs.length; s++) {
      float[][] keys =
          againstOriginal ? f.k[s][layer] : readBack(f.cache, f.seqs[s], layer, f.lengths[s], true);
      float[][] values =
          againstOriginal
              ? f.v[s][layer]
              : readBack(f.cache, f.seqs[s], layer, f.lengths[s], false);
      for (int h = 0; h < Q_HEADS; h++) {
        int kvHead = h / (Q_HEADS / KV_HEADS);
        double[] expected = naive(keys, values, q, (s * Q_HEADS + h) * D, kvHead, scale);
        for (int i = 0; i < D; i++) {
          worst = Math.max(worst, Math.abs(out[(s * Q_HEADS + h) * D + i] - expected[i]));
        }
      }
    }
    return worst;
  }

  @ParameterizedTest
  @EnumSource(KvDtype.class)
  void decode_everyDtype_matchesNaiveReference(KvDtype dt) {
    try (Fixture f = new Fixture(dt, 1f, 1f, 1f, 11, 1, 15, 16, 17, 100, 333)) {
      PagedAttention attention = PagedAttention.of(f.cache);
      float[] q = queries(f.seqs.length, 5);
      float[] out = new float[f.seqs.length * Q_HEADS * D];
      for (int layer = 0; layer < LAYERS; layer++) {
        assertThat(
                attention.decode(
                    layer,
                    f.seqs,
                    f.seqs.length,
                    Q_HEADS,
                    q,
                    out,
                    (float) (1 / Math.sqrt(D)),
                    null,
                    1))
            .isEqualTo(KvStatus.OK);
        // Same dequantized K/V: only f32 accumulation order differs.
        assertThat(maxError(f, q, out, layer, false)).as("vs read-back K/V").isLessThan(1e-5);
        // Unquantized K/V: the dtype's rounding shows.
        assertThat(maxError(f, q, out, layer, true))
            .as("vs original K/V")
            .isLessThan(tolerance(dt));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = KvDtype.class,
      names = {"FP8_E4M3", "FP8_E5M2"})
  void decode_fp8WithScales_coversValuesBeyondUnitRange(KvDtype dt) {
    // values up to 20: with scale 0.1 they are stored as up to 200 (< 448 for E4M3)
    try (Fixture f = new Fixture(dt, 0.1f, 0.1f, 20f, 3, 40, 70)) {
      PagedAttention attention = PagedAttention.of(f.cache);
      float[] q = queries(f.seqs.length, 9);
      for (int i = 0; i < q.length; i++) {
        q[i] *= 0.05f; // keep the softmax from collapsing onto one token
      }
      float[] out = new float[f.seqs.length * Q_HEADS * D];
      attention.decode(
          1, f.seqs, f.seqs.length, Q_HEADS, q, out, (float) (1 / Math.sqrt(D)), null, 1);
      assertThat(maxError(f, q, out, 1, false)).isLessThan(1e-4);
      assertThat(maxError(f, q, out, 1, true)).isLessThan(20 * tolerance(dt));
    }
  }

  @Test
  void decode_largeScores_staysFinite() {
    try (Fixture f = new Fixture(KvDtype.F32, 1f, 1f, 50f, 4, 64)) {
      float[] q = queries(1, 1);
      for (int i = 0; i < q.length; i++) {
        q[i] *= 100; // scores in the thousands: a naive exp would overflow
      }
      float[] out = new float[Q_HEADS * D];
      PagedAttention.of(f.cache).decode(0, f.seqs, 1, Q_HEADS, q, out, 1f, null, 1);
      for (float x : out) {
        assertThat(x).isFinite();
      }
      assertThat(maxError(f, q, out, 0, false)).isLessThan(1e-3);
    }
  }

  @Test
  void decode_onExecutor_equalsSerialBitForBit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Fixture f = new Fixture(KvDtype.BF16, 1f, 1f, 1f, 21, 5, 64, 200, 31)) {
      PagedAttention attention = PagedAttention.of(f.cache);
      float[] q = queries(f.seqs.length, 2);
      float[] serial = new float[f.seqs.length * Q_HEADS * D];
      float[] parallel = new float[serial.length];
      attention.decode(0, f.seqs, f.seqs.length, Q_HEADS, q, serial, 0.2f, null, 1);
      assertThat(attention.decode(0, f.seqs, f.seqs.length, Q_HEADS, q, parallel, 0.2f, pool, 5))
          .isEqualTo(KvStatus.OK);
      assertThat(parallel).containsExactly(serial);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void decode_badArguments_returnStatus() {
    try (Fixture f = new Fixture(KvDtype.F16, 1f, 1f, 1f, 1, 3)) {
      PagedAttention a = PagedAttention.of(f.cache);
      float[] q = queries(1, 1);
      float[] out = new float[Q_HEADS * D];
      assertThat(a.decode(0, f.seqs, 1, 10, q, out, 1f, null, 1)) // q too short for 10 heads
          .isEqualTo(KvStatus.INVALID_ARGUMENT);
      assertThat(a.decode(0, f.seqs, 1, 3, q, out, 1f, null, 1))
          .isEqualTo(KvStatus.INVALID_ARGUMENT);
      assertThat(a.decode(5, f.seqs, 1, Q_HEADS, q, out, 1f, null, 1))
          .isEqualTo(KvStatus.INVALID_ARGUMENT);
      assertThat(a.decode(0, new int[] {7}, 1, Q_HEADS, q, out, 1f, null, 1))
          .isEqualTo(KvStatus.UNKNOWN_SEQUENCE);
    }
  }
}
