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
import java.lang.reflect.Constructor;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link VectorWorker}'s class per dtype and its reads of V ahead of the V update. Runs only in the
 * module's Surefire run with {@code --add-modules jdk.incubator.vector} (the class cannot load
 * without it); its results against the naive reference are in {@link PagedAttentionShapesTest} and
 * {@link PagedAttentionTest}.
 */
class VectorWorkerTest {

  private static KvCacheLayout layout(KvDtype dt) {
    return KvCacheLayout.builder().numLayers(1).numKvHeads(1).headDim(16).dtype(dt).build();
  }

  /**
   * The vector kernel runs each dtype in a class of its own (a hidden copy of {@code VectorWorker}
   * whose dtype is a constant), so that decoding a second dtype in the same JVM does not make C2
   * recompile the hot loops for both: that made them 4 to over 100 times slower (module README,
   * "Kernel design"). Speed is measured in {@code benchmarks}; this checks the structure that gives
   * it, and that each copy refuses a layout of another dtype.
   */
  @Test
  void vectorWorkers_ofDifferentDtypes_areSeparateClassesPinnedToTheirDtype() throws Exception {
    Map<KvDtype, Class<?>> classes = new EnumMap<>(KvDtype.class);
    for (KvDtype dt : KvDtype.values()) {
      try (KvCache c = KvCache.builder().layout(layout(dt)).numBlocks(2).build()) {
        AttentionWorker first = VectorWorker.create(c, 1);
        assertThat(VectorWorker.create(c, 2).getClass()).isSameAs(first.getClass());
        classes.put(dt, first.getClass());
      }
    }
    assertThat(classes.values()).doesNotHaveDuplicates().allMatch(Class::isHidden);
    Constructor<?> f32 = classes.get(KvDtype.F32).getDeclaredConstructor(KvCache.class, int.class);
    f32.setAccessible(true);
    try (KvCache c = KvCache.builder().layout(layout(KvDtype.F32)).numBlocks(2).build();
        KvCache b = KvCache.builder().layout(layout(KvDtype.BF16)).numBlocks(2).build()) {
      assertThat(f32.newInstance(c, 1)).isInstanceOf(AttentionWorker.class);
      assertThatThrownBy(() -> f32.newInstance(b, 1))
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  /**
   * The score loops also read V ahead ({@code VectorWorker.touching}): at the slab's last block and
   * with V heads longer or shorter than K heads those reads stay in bounds, and the result is the
   * scalar kernel's (itself checked against the naive reference in the other tests).
   */
  @ParameterizedTest(name = "{0} head {1} v head {2}")
  @CsvSource({"F32, 128, 128", "BF16, 64, 128", "FP8_E4M3, 128, 64", "F16, 256, 256"})
  void decode_lastBlockOfTheSlab_matchesTheScalarKernel(KvDtype dt, int d, int dv) {
    int kvHeads = 2;
    int group = 4;
    int blocks = 5;
    KvCacheLayout layout =
        KvCacheLayout.builder()
            .numLayers(2)
            .numKvHeads(kvHeads)
            .headDim(d)
            .vHeadDim(dv)
            .dtype(dt)
            .build();
    int n = blocks * layout.blockSize(); // every block of the slab but the reserved one
    try (KvCache c =
        KvCache.builder()
            .layout(layout)
            .numBlocks(blocks + 1)
            .prefixCaching(false)
            .maxTokensPerSequence(n)
            .build()) {
      SplittableRandom rnd = new SplittableRandom(d + dv);
      int seq = c.addSequence(new int[n], 0, n, ExtraKeys.NONE);
      assertThat(c.blockId(seq, blocks - 1)).isEqualTo(blocks);
      float[] k = new float[kvHeads * d];
      float[] v = new float[kvHeads * dv];
      for (int t = 0; t < n; t++) {
        for (int layer = 0; layer < 2; layer++) {
          for (int i = 0; i < k.length; i++) {
            k[i] = (float) rnd.nextDouble(-1, 1);
          }
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble(-1, 1);
          }
          assertThat(c.writeKv(seq, t, layer, k, 0, v, 0)).isEqualTo(KvStatus.OK);
        }
      }
      int hq = kvHeads * group;
      float[] q = new float[hq * d];
      for (int i = 0; i < q.length; i++) {
        q[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] vector = new float[hq * dv];
      float[] scalar = new float[hq * dv];
      float scale = (float) (1 / Math.sqrt(d));
      int[] seqs = {seq};
      assertThat(
              PagedAttention.of(c, Kernel.VECTOR).decode(1, seqs, 1, hq, q, vector, scale, null, 1))
          .isEqualTo(KvStatus.OK);
      assertThat(
              PagedAttention.of(c, Kernel.SCALAR).decode(1, seqs, 1, hq, q, scalar, scale, null, 1))
          .isEqualTo(KvStatus.OK);
      for (int i = 0; i < scalar.length; i++) {
        assertThat(vector[i]).as("output %d", i).isCloseTo(scalar[i], within(1e-5f));
      }
    }
  }
}
