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
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel {@link PagedAttention#of(KvCache)} picks and its one-time hint, in both of the
 * module's Surefire runs: without JVM flags (no Vector API module: the scalar kernel and the hint)
 * and with {@code --add-modules jdk.incubator.vector} (the vector kernel, no hint). {@link
 * System.Logger} goes to java.util.logging here (the module has no logging dependency).
 */
class KernelChoiceTest {

  private final Logger jul = Logger.getLogger(PagedAttention.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private KvCache cache;
  private int seq;

  @BeforeEach
  void setUp() {
    KvCacheLayout layout =
        KvCacheLayout.builder().numLayers(1).numKvHeads(1).headDim(16).dtype(KvDtype.BF16).build();
    cache = KvCache.builder().layout(layout).numBlocks(4).maxTokensPerSequence(32).build();
    seq = cache.addSequence(new int[] {1, 2, 3}, 0, 3, ExtraKeys.NONE);
    float[] kv = new float[16];
    for (int t = 0; t < 3; t++) {
      kv[t] = 1f;
      cache.writeKv(seq, t, 0, kv, 0, kv, 0);
    }
    PagedAttention.resetHint();
    jul.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    jul.removeHandler(capture);
    cache.close();
  }

  private void decodeTwice(PagedAttention attention) {
    float[] q = new float[16];
    float[] out = new float[16];
    for (int i = 0; i < 2; i++) {
      assertThat(attention.decode(0, new int[] {seq}, 1, 1, q, out, 0.25f, null, 1))
          .isEqualTo(KvStatus.OK);
    }
  }

  @Test
  void of_usesTheVectorKernelExactlyWhenTheModuleIsPresent_andHintsOnceOtherwise() {
    PagedAttention attention = PagedAttention.of(cache);
    decodeTwice(attention);
    decodeTwice(PagedAttention.of(cache));
    if (PagedAttentionTest.VECTOR_MODULE) {
      assertThat(attention.kernel()).isEqualTo(Kernel.VECTOR);
      assertThat(records).isEmpty();
    } else {
      assertThat(attention.kernel()).isEqualTo(Kernel.SCALAR);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.INFO);
      assertThat(records.get(0).getMessage())
          .isEqualTo(PagedAttention.HINT)
          .contains("--add-modules jdk.incubator.vector");
    }
  }

  @Test
  void of_withTheScalarKernelChosen_doesNotHint() {
    decodeTwice(PagedAttention.of(cache, Kernel.SCALAR));
    assertThat(records).isEmpty();
  }

  @Test
  void of_withTheVectorKernelDisabled_doesNotHint() {
    String before = System.getProperty(PagedAttention.VECTOR_PROPERTY);
    System.setProperty(PagedAttention.VECTOR_PROPERTY, "false");
    try {
      PagedAttention attention = PagedAttention.of(cache);
      assertThat(attention.kernel()).isEqualTo(Kernel.SCALAR);
      decodeTwice(attention);
      assertThat(records).isEmpty();
    } finally {
      if (before == null) {
        System.clearProperty(PagedAttention.VECTOR_PROPERTY);
      } else {
        System.setProperty(PagedAttention.VECTOR_PROPERTY, before);
      }
    }
  }
}
