package io.github.gkeinference.kvcache.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import java.lang.reflect.Constructor;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorWorker}'s class structure. Runs only in the module's Surefire run with {@code
 * --add-modules jdk.incubator.vector} (the class cannot load without it); its results against the
 * naive reference are in {@link PagedAttentionShapesTest} and {@link PagedAttentionTest}.
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
}
