package io.github.gkeinference.kvcache.attention;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.attention.PagedAttention.Kernel;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel this JVM offers against the naive two-pass softmax for every dtype, the GQA group
 * sizes 1, 4 and 8 and the head sizes 64, 128 and 256 (issue 22's shapes; groups 2 and 3 too, for
 * the vector kernel's two-heads-per-pass V path and a head left over), over sequences that end
 * inside a block, on a block boundary and past both kernels' tiles (32 tokens for the vector
 * kernel, 256 for the scalar one).
 */
class PagedAttentionShapesTest {

  static final int KV_HEADS = 2;
  static final int[] LENGTHS = {1, 16, 37, 300};

  static Stream<Arguments> shapes() {
    List<Arguments> all = new ArrayList<>();
    for (Kernel kernel : PagedAttentionTest.kernels()) {
      for (KvDtype dt : KvDtype.values()) {
        for (int group : new int[] {1, 2, 3, 4, 8}) {
          for (int d : new int[] {64, 128, 256}) {
            all.add(Arguments.of(kernel, dt, group, d));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} group {2} head {3}")
  @MethodSource("shapes")
  void decode_matchesNaiveReference(Kernel kernel, KvDtype dt, int group, int d) {
    KvCacheLayout layout = layout(dt, d);
    try (KvCache cache =
        KvCache.builder().layout(layout).numBlocks(64).maxTokensPerSequence(512).build()) {
      SplittableRandom rnd = new SplittableRandom(31L * group + d);
      int[] seqs = new int[LENGTHS.length];
      float[][][] k = new float[LENGTHS.length][][];
      float[][][] v = new float[LENGTHS.length][][];
      for (int s = 0; s < LENGTHS.length; s++) {
        int n = LENGTHS[s];
        seqs[s] = cache.addSequence(rnd.ints(n, 0, 50_000).toArray(), 0, n, ExtraKeys.NONE);
        k[s] = new float[n][KV_HEADS * d];
        v[s] = new float[n][KV_HEADS * d];
        for (int t = 0; t < n; t++) {
          for (int i = 0; i < KV_HEADS * d; i++) {
            k[s][t][i] = (float) rnd.nextDouble(-1, 1);
            v[s][t][i] = (float) rnd.nextDouble(-1, 1);
          }
          assertThat(cache.writeKv(seqs[s], t, 0, k[s][t], 0, v[s][t], 0)).isEqualTo(KvStatus.OK);
        }
      }
      int hq = KV_HEADS * group;
      float[] q = new float[seqs.length * hq * d];
      for (int i = 0; i < q.length; i++) {
        q[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] out = new float[seqs.length * hq * d];
      double scale = 1 / Math.sqrt(d);
      PagedAttention attention = PagedAttention.of(cache, kernel);
      assertThat(attention.decode(0, seqs, seqs.length, hq, q, out, (float) scale, null, 1))
          .isEqualTo(KvStatus.OK);

      double vsStored = 0;
      double vsOriginal = 0;
      for (int s = 0; s < seqs.length; s++) {
        float[][] storedK = readBack(cache, seqs[s], LENGTHS[s], KV_HEADS * d, true);
        float[][] storedV = readBack(cache, seqs[s], LENGTHS[s], KV_HEADS * d, false);
        for (int h = 0; h < hq; h++) {
          int o = (s * hq + h) * d;
          double[] exact = PagedAttentionTest.naive(storedK, storedV, q, o, h / group, scale, d, d);
          double[] original = PagedAttentionTest.naive(k[s], v[s], q, o, h / group, scale, d, d);
          for (int i = 0; i < d; i++) {
            vsStored = Math.max(vsStored, Math.abs(out[o + i] - exact[i]));
            vsOriginal = Math.max(vsOriginal, Math.abs(out[o + i] - original[i]));
          }
        }
      }
      // The same dequantized K/V: only f32 rounding and summation order differ.
      assertThat(vsStored).as("vs read-back K/V").isLessThan(1e-5);
      // The unquantized K/V: the dtype's rounding shows.
      assertThat(vsOriginal).as("vs original K/V").isLessThan(PagedAttentionTest.tolerance(dt));
    }
  }

  static Stream<Arguments> kernelsAndDtypes() {
    return PagedAttentionTest.kernelsAndDtypes();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kernelsAndDtypes")
  void decode_nanStoredInV_comesOutInItsDimensionsOnly(Kernel kernel, KvDtype dt) {
    // head 128: the vector kernel takes a BF16/FP8 V row in two passes of four vectors (an F32 row
    // whole); dimensions 5, 70 and 127 lie in both passes and in the first and last vectors
    int d = 128;
    int group = 4;
    boolean[] nanDim = new boolean[d];
    nanDim[5] = true;
    nanDim[70] = true;
    nanDim[127] = true;
    KvCacheLayout layout = layout(dt, d);
    try (KvCache cache = KvCache.builder().layout(layout).numBlocks(16).build()) {
      SplittableRandom rnd = new SplittableRandom(12);
      int n = 40;
      int seq = cache.addSequence(new int[n], 0, n, ExtraKeys.NONE);
      for (int t = 0; t < n; t++) {
        float[] k = new float[KV_HEADS * d];
        float[] v = new float[KV_HEADS * d];
        for (int i = 0; i < k.length; i++) {
          k[i] = (float) rnd.nextDouble(-1, 1);
          v[i] = (float) rnd.nextDouble(-1, 1);
        }
        if (t == 20) {
          for (int i = 0; i < d; i++) {
            v[d + i] = nanDim[i] ? Float.NaN : v[d + i]; // KV head 1
          }
        }
        assertThat(cache.writeKv(seq, t, 0, k, 0, v, 0)).isEqualTo(KvStatus.OK);
      }
      int hq = KV_HEADS * group;
      float[] q = new float[hq * d];
      for (int i = 0; i < q.length; i++) {
        q[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] out = new float[hq * d];
      assertThat(
              PagedAttention.of(cache, kernel)
                  .decode(0, new int[] {seq}, 1, hq, q, out, 0.1f, null, 1))
          .isEqualTo(KvStatus.OK);
      for (int h = 0; h < hq; h++) {
        for (int i = 0; i < d; i++) {
          boolean nan = h / group == 1 && nanDim[i];
          if (nan) {
            assertThat(out[h * d + i]).as("head %d dim %d", h, i).isNaN();
          } else {
            assertThat(out[h * d + i]).as("head %d dim %d", h, i).isFinite();
          }
        }
      }
    }
  }

  /** One layer of {@link #KV_HEADS} heads of {@code d} dimensions, blocks of 16. */
  private static KvCacheLayout layout(KvDtype dt, int d) {
    return KvCacheLayout.builder()
        .numLayers(1)
        .numKvHeads(KV_HEADS)
        .headDim(d)
        .blockSize(16)
        .dtype(dt)
        .build();
  }

  private static float[][] readBack(KvCache cache, int seq, int n, int width, boolean isK) {
    float[][] rows = new float[n][width];
    for (int t = 0; t < n; t++) {
      int st = isK ? cache.readK(seq, t, 0, rows[t], 0) : cache.readV(seq, t, 0, rows[t], 0);
      assertThat(st).isEqualTo(KvStatus.OK);
    }
    return rows;
  }
}
