package io.github.gkeinference.benchmarks.kvcache;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.attention.PagedAttention;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Paged decode attention over a long context against a plain sequential read of the same number of
 * off-heap bytes, in the same run. Shape: Llama-3.1-8B-like layer (8 KV heads, 32 query heads, head
 * 128), 4 sequences of 8,192 tokens, blocks of 16; K/V bytes read per call = 4 * 8192 * 8 * (128 +
 * 128) * dtypeBytes (256 MiB f32, 128 MiB bf16, 64 MiB fp8). The JVM has no flags, so {@link
 * PagedAttention#of} chooses the scalar kernel; {@link PagedAttentionVectorBenchmark} repeats this
 * with the Vector API module.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PagedAttentionBenchmark {

  static final int SEQS = 4;
  static final int CONTEXT = 8192;
  static final int KV_HEADS = 8;
  static final int Q_HEADS = 32;
  static final int D = 128;

  @Param({"F32", "BF16", "FP8_E4M3"})
  public KvDtype dtype;

  @Param({"1", "2"})
  public int threads;

  private KvCache cache;
  private PagedAttention attention;
  private @Nullable ExecutorService executor;
  private int[] seqs;
  private float[] q;
  private float[] out;
  private MemorySegment readRegion;
  private long kvBytes;

  /** Runs the second half of a two-thread sequential read, or null with one thread. */
  @Nullable ExecutorService executor() {
    return executor;
  }

  @Setup(Level.Trial)
  public void setUp() {
    KvCacheLayout layout =
        KvCacheLayout.builder().numLayers(1).numKvHeads(KV_HEADS).headDim(D).dtype(dtype).build();
    int blocks = SEQS * CONTEXT / layout.blockSize() + 1;
    cache =
        KvCache.builder()
            .layout(layout)
            .numBlocks(blocks)
            .prefixCaching(false)
            .maxSequences(SEQS)
            .maxTokensPerSequence(CONTEXT)
            .build();
    SplittableRandom rnd = new SplittableRandom(3);
    seqs = new int[SEQS];
    float[] kv = new float[KV_HEADS * D];
    for (int s = 0; s < SEQS; s++) {
      seqs[s] = cache.addSequence(new int[CONTEXT], 0, CONTEXT, ExtraKeys.NONE);
      for (int t = 0; t < CONTEXT; t++) {
        for (int i = 0; i < kv.length; i++) {
          kv[i] = (float) rnd.nextDouble(-1, 1);
        }
        cache.writeKv(seqs[s], t, 0, kv, 0, kv, 0);
      }
    }
    q = new float[SEQS * Q_HEADS * D];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) rnd.nextDouble(-1, 1);
    }
    out = new float[SEQS * Q_HEADS * D];
    attention = PagedAttention.of(cache);
    if (attention.kernel() != expectedKernel()) {
      throw new IllegalStateException(
          "expected kernel " + expectedKernel() + " but got " + attention.kernel());
    }
    kvBytes = (long) SEQS * CONTEXT * layout.bytesPerToken();
    readRegion = cache.slab().asSlice(layout.bytesPerBlock(), kvBytes);
    executor = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ExecutorService e = executor;
    if (e != null) {
      e.shutdownNow();
    }
    cache.close();
  }

  /** The kernel {@link PagedAttention#of} must choose in this benchmark's JVM (no flags). */
  PagedAttention.Kernel expectedKernel() {
    return PagedAttention.Kernel.SCALAR;
  }

  /** The slab range the sequential reads cover. */
  MemorySegment readRegion() {
    return readRegion;
  }

  /** Bytes of K/V read by one call (for GB/s = kvBytes / time). */
  public long kvBytes() {
    return kvBytes;
  }

  @Benchmark
  public float decode() {
    attention.decode(0, seqs, SEQS, Q_HEADS, q, out, 0.088f, executor, threads);
    return out[0];
  }

  /** The same number of bytes read as floats, 4 accumulators, split over the same threads. */
  @Benchmark
  public float sequentialRead() throws Exception {
    ExecutorService e = executor;
    if (e == null) {
      return sum(readRegion, 0, kvBytes / 4);
    }
    long half = kvBytes / 8;
    Future<Float> a = e.submit(() -> sum(readRegion, 0, half));
    float b = sum(readRegion, half, kvBytes / 4);
    return a.get() + b;
  }

  private static float sum(MemorySegment seg, long from, long to) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    long i = from;
    for (; i + 4 <= to; i += 4) {
      s0 += seg.getAtIndex(ValueLayout.JAVA_FLOAT, i);
      s1 += seg.getAtIndex(ValueLayout.JAVA_FLOAT, i + 1);
      s2 += seg.getAtIndex(ValueLayout.JAVA_FLOAT, i + 2);
      s3 += seg.getAtIndex(ValueLayout.JAVA_FLOAT, i + 3);
    }
    return (s0 + s1) + (s2 + s3);
  }
}
