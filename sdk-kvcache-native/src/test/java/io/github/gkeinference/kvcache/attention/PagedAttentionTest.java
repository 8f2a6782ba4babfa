package io.github.gkeinference.kvcache.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.attention.PagedAttention.Kernel;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case with each kernel this JVM offers: the scalar kernel always, the vector kernel
 * when the JVM has {@code --add-modules jdk.incubator.vector} (the module's second Surefire run).
 */
class PagedAttentionTest {

  static final boolean VECTOR_MODULE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

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
    final KvCacheLayout layout;

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
      this.layout = layout;
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
    return naive(keys, values, q, qOff, kvHead, scale, D, D);
  }

  /** The same for K head dimension {@code d} and V head dimension {@code dv}. */
  static double[] naive(
      float[][] keys,
      float[][] values,
      float[] q,
      int qOff,
      int kvHead,
      double scale,
      int d,
      int dv) {
    int n = keys.length;
    double[] scores = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < n; t++) {
      double s = 0;
      for (int i = 0; i < d; i++) {
        s += (double) q[qOff + i] * keys[t][kvHead * d + i];
      }
      scores[t] = s * scale;
      max = Math.max(max, scores[t]);
    }
    double sum = 0;
    for (int t = 0; t < n; t++) {
      scores[t] = Math.exp(scores[t] - max);
      sum += scores[t];
    }
    double[] out = new double[dv];
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < dv; i++) {
        out[i] += scores[t] / sum * values[t][kvHead * dv + i];
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

  static List<Kernel> kernels() {
    return VECTOR_MODULE ? List.of(Kernel.SCALAR, Kernel.VECTOR) : List.of(Kernel.SCALAR);
  }

  static Stream<Arguments> kernelsAndDtypes() {
    List<Arguments> all = new ArrayList<>();
    for (Kernel kernel : kernels()) {
      for (KvDtype dt : KvDtype.values()) {
        all.add(Arguments.of(kernel, dt));
      }
    }
    return all.stream();
  }

  static Stream<Arguments> kernelsAndFp8() {
    return kernelsAndDtypes().filter(a -> ((KvDtype) a.get()[1]).bytes() == 1).toList().stream();
  }

  @ParameterizedTest
  @MethodSource("kernelsAndDtypes")
  void decode_everyDtype_matchesNaiveReference(Kernel kernel, KvDtype dt) {
    try (Fixture f = new Fixture(dt, 1f, 1f, 1f, 11, 1, 15, 16, 17, 100, 333)) {
      PagedAttention attention = PagedAttention.of(f.cache, kernel);
      assertThat(attention.kernel()).isEqualTo(kernel);
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
  @MethodSource("kernelsAndFp8")
  void decode_fp8WithScales_coversValuesBeyondUnitRange(Kernel kernel, KvDtype dt) {
    // values up to 20: with scale 0.1 they are stored as up to 200 (< 448 for E4M3)
    try (Fixture f = new Fixture(dt, 0.1f, 0.1f, 20f, 3, 40, 70)) {
      PagedAttention attention = PagedAttention.of(f.cache, kernel);
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

  @ParameterizedTest
  @MethodSource("kernels")
  void decode_largeScores_staysFinite(Kernel kernel) {
    try (Fixture f = new Fixture(KvDtype.F32, 1f, 1f, 50f, 4, 64)) {
      float[] q = queries(1, 1);
      for (int i = 0; i < q.length; i++) {
        q[i] *= 100; // scores in the thousands: a naive exp would overflow
      }
      float[] out = new float[Q_HEADS * D];
      PagedAttention.of(f.cache, kernel).decode(0, f.seqs, 1, Q_HEADS, q, out, 1f, null, 1);
      for (float x : out) {
        assertThat(x).isFinite();
      }
      assertThat(maxError(f, q, out, 0, false)).isLessThan(1e-3);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void decode_onExecutor_equalsSerialBitForBit(Kernel kernel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Fixture f = new Fixture(KvDtype.BF16, 1f, 1f, 1f, 21, 5, 64, 200, 31)) {
      PagedAttention attention = PagedAttention.of(f.cache, kernel);
      float[] q = queries(f.seqs.length, 2);
      float[] serial = new float[f.seqs.length * Q_HEADS * D];
      float[] parallel = new float[serial.length];
      // layer 1 (not at the start of a block's pages); 5 tasks over 3 sequences split each
      // sequence's KV heads in two parts
      float scale = (float) (1 / Math.sqrt(D));
      attention.decode(1, f.seqs, f.seqs.length, Q_HEADS, q, serial, scale, null, 1);
      assertThat(attention.decode(1, f.seqs, f.seqs.length, Q_HEADS, q, parallel, scale, pool, 5))
          .isEqualTo(KvStatus.OK);
      assertThat(parallel).containsExactly(serial);
      assertThat(maxError(f, q, serial, 1, false)).isLessThan(1e-5);
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

  @ParameterizedTest
  @MethodSource("kernelsAndDtypes")
  void decode_nanStoredInK_makesThatHeadGroupNaN(Kernel kernel, KvDtype dt) {
    try (Fixture f = new Fixture(dt, 1f, 1f, 1f, 8, 40)) {
      float[] k = f.k[0][0][17].clone();
      k[D + 3] = Float.NaN; // KV head 1, one dimension of token 17
      assertThat(f.cache.writeKv(f.seqs[0], 17, 0, k, 0, f.v[0][0][17], 0)).isEqualTo(KvStatus.OK);
      float[] q = queries(1, 4);
      float[] out = new float[Q_HEADS * D];
      PagedAttention.of(f.cache, kernel).decode(0, f.seqs, 1, Q_HEADS, q, out, 0.2f, null, 1);
      int group = Q_HEADS / KV_HEADS;
      for (int h = 0; h < Q_HEADS; h++) {
        float[] head = Arrays.copyOfRange(out, h * D, (h + 1) * D);
        if (h / group == 1) {
          for (float x : head) {
            assertThat(x).as("head %d", h).isNaN();
          }
        } else {
          for (float x : head) {
            assertThat(x).as("head %d", h).isFinite();
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernelsAndDtypes")
  void decode_nanStoredInV_makesThatDimensionOfTheGroupNaN(Kernel kernel, KvDtype dt) {
    // The scalar kernel's BF16 path keeps the accumulators as even then odd dimensions until the
    // end: a NaN in V must still come out in the dimension it was stored in, and only there.
    for (int dim : new int[] {4, 7}) {
      try (Fixture f = new Fixture(dt, 1f, 1f, 1f, 9, 40)) {
        float[] v = f.v[0][0][23].clone();
        v[D + dim] = Float.NaN; // KV head 1, one dimension of token 23
        assertThat(f.cache.writeKv(f.seqs[0], 23, 0, f.k[0][0][23], 0, v, 0))
            .isEqualTo(KvStatus.OK);
        float[] q = queries(1, 4);
        float[] out = new float[Q_HEADS * D];
        PagedAttention.of(f.cache, kernel).decode(0, f.seqs, 1, Q_HEADS, q, out, 0.2f, null, 1);
        int group = Q_HEADS / KV_HEADS;
        for (int h = 0; h < Q_HEADS; h++) {
          for (int i = 0; i < D; i++) {
            if (h / group == 1 && i == dim) {
              assertThat(out[h * D + i]).as("head %d dim %d", h, i).isNaN();
            } else {
              assertThat(out[h * D + i]).as("head %d dim %d", h, i).isFinite();
            }
          }
        }
      }
    }
  }

  static Stream<Arguments> scalarLayouts() {
    List<Arguments> all = new ArrayList<>();
    for (KvDtype dt : KvDtype.values()) {
      // block size and V head size: even both (BF16 widened in pairs), odd block, odd V head, and
      // blocks of 2 (one pair per K row of a block)
      for (int[] shape : new int[][] {{16, 20}, {15, 20}, {16, 21}, {2, 20}}) {
        all.add(Arguments.of(dt, shape[0], shape[1]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} block {1} vHead {2}")
  @MethodSource("scalarLayouts")
  void decode_scalarKernelOddAndEvenShapes_matchesNaiveOverReadBack(KvDtype dt, int bs, int dv) {
    KvCacheLayout layout =
        KvCacheLayout.builder()
            .numLayers(1)
            .numKvHeads(2)
            .headDim(24)
            .vHeadDim(dv)
            .blockSize(bs)
            .dtype(dt)
            .build();
    try (KvCache cache =
        KvCache.builder().layout(layout).numBlocks(600).maxTokensPerSequence(1024).build()) {
      SplittableRandom rnd = new SplittableRandom(bs * 31L + dv);
      // odd and even lengths, one and several tiles of 256 tokens, a partial last block
      int[] lengths = {1, 2, 37, 256, 301};
      int[] seqs = new int[lengths.length];
      float[][][] keys = new float[lengths.length][][];
      float[][][] values = new float[lengths.length][][];
      for (int s = 0; s < lengths.length; s++) {
        int n = lengths[s];
        seqs[s] = cache.addSequence(rnd.ints(n, 0, 50_000).toArray(), 0, n, ExtraKeys.NONE);
        keys[s] = new float[n][2 * 24];
        values[s] = new float[n][2 * dv];
        for (int t = 0; t < n; t++) {
          for (int i = 0; i < keys[s][t].length; i++) {
            keys[s][t][i] = (float) rnd.nextDouble(-1, 1);
          }
          for (int i = 0; i < values[s][t].length; i++) {
            values[s][t][i] = (float) rnd.nextDouble(-1, 1);
          }
          cache.writeKv(seqs[s], t, 0, keys[s][t], 0, values[s][t], 0);
          cache.readK(seqs[s], t, 0, keys[s][t], 0);
          cache.readV(seqs[s], t, 0, values[s][t], 0);
        }
      }
      int hq = 6; // groups of 3: two heads per pass and one alone
      float[] q = new float[lengths.length * hq * 24];
      for (int i = 0; i < q.length; i++) {
        q[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] out = new float[lengths.length * hq * dv];
      assertThat(
              PagedAttention.of(cache, Kernel.SCALAR)
                  .decode(0, seqs, seqs.length, hq, q, out, 0.3f, null, 1))
          .isEqualTo(KvStatus.OK);
      for (int s = 0; s < lengths.length; s++) {
        for (int h = 0; h < hq; h++) {
          double[] expected = naive(keys[s], values[s], q, (s * hq + h) * 24, h / 3, 0.3f, 24, dv);
          for (int i = 0; i < dv; i++) {
            assertThat((double) out[(s * hq + h) * dv + i])
                .as("sequence %d head %d dim %d", s, h, i)
                .isCloseTo(expected[i], within(1e-5));
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernelsAndDtypes")
  void decode_dimensionsNotMultipleOfLanes_matchesNaiveOverReadBack(Kernel kernel, KvDtype dt) {
    // head dims 24 (K) and 20 (V): the vector kernel's V loop has a scalar tail
    KvCacheLayout layout =
        KvCacheLayout.builder()
            .numLayers(1)
            .numKvHeads(1)
            .headDim(24)
            .vHeadDim(20)
            .blockSize(16)
            .dtype(dt)
            .build();
    try (KvCache cache = KvCache.builder().layout(layout).numBlocks(16).build()) {
      SplittableRandom rnd = new SplittableRandom(6);
      int n = 37;
      int seq = cache.addSequence(new int[n], 0, n, ExtraKeys.NONE);
      float[][] keys = new float[n][24];
      float[][] values = new float[n][20];
      for (int t = 0; t < n; t++) {
        for (int i = 0; i < 24; i++) {
          keys[t][i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < 20; i++) {
          values[t][i] = (float) rnd.nextDouble(-1, 1);
        }
        cache.writeKv(seq, t, 0, keys[t], 0, values[t], 0);
        cache.readK(seq, t, 0, keys[t], 0);
        cache.readV(seq, t, 0, values[t], 0);
      }
      for (int hq : new int[] {2, 8}) { // groups of 2 and of 8 (the vector kernel's 8-head path)
        float[] q = new float[hq * 24];
        for (int i = 0; i < q.length; i++) {
          q[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] out = new float[hq * 20];
        assertThat(
                PagedAttention.of(cache, kernel)
                    .decode(0, new int[] {seq}, 1, hq, q, out, 0.3f, null, 1))
            .isEqualTo(KvStatus.OK);
        for (int h = 0; h < hq; h++) {
          double[] expected = naive(keys, values, q, h * 24, 0, 0.3f, 24, 20);
          for (int i = 0; i < 20; i++) {
            assertThat((double) out[h * 20 + i])
                .as("group %d head %d", hq, h)
                .isCloseTo(expected[i], within(1e-5));
          }
        }
      }
    }
  }

  @Test
  void of_choosesVectorKernelOnlyWithTheModule() {
    try (Fixture f = new Fixture(KvDtype.BF16, 1f, 1f, 1f, 1, 3)) {
      Kernel expected = VECTOR_MODULE ? Kernel.VECTOR : Kernel.SCALAR;
      assertThat(PagedAttention.of(f.cache).kernel()).isEqualTo(expected);
      assertThat(PagedAttention.available(Kernel.VECTOR, f.layout)).isEqualTo(VECTOR_MODULE);
      assertThat(PagedAttention.available(Kernel.SCALAR, f.layout)).isTrue();
      if (!VECTOR_MODULE) {
        assertThatThrownBy(() -> PagedAttention.of(f.cache, Kernel.VECTOR))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--add-modules jdk.incubator.vector");
      }
      String before = System.getProperty(PagedAttention.VECTOR_PROPERTY);
      System.setProperty(PagedAttention.VECTOR_PROPERTY, "false");
      try {
        assertThat(PagedAttention.of(f.cache).kernel()).isEqualTo(Kernel.SCALAR);
      } finally {
        if (before == null) {
          System.clearProperty(PagedAttention.VECTOR_PROPERTY);
        } else {
          System.setProperty(PagedAttention.VECTOR_PROPERTY, before);
        }
      }
    }
  }
}
