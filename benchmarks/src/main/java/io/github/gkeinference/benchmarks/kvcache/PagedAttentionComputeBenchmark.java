package io.github.gkeinference.benchmarks.kvcache;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.attention.PagedAttention;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * The compute floor of paged decode attention: the same work per call as {@link
 * PagedAttentionBenchmark} (32 query heads over 8 KV heads of 128 dimensions, 32,768 cached tokens
 * in all, blocks of 16) with K/V resident in the CPU caches instead of streamed from memory. The
 * call decodes {@value #SEQS} sequences that are forks of one {@value #CONTEXT}-token sequence, so
 * their block tables all point at the same {@value #CONTEXT} / 16 blocks (512 KiB of K/V in f32,
 * 256 KiB in bf16, 128 KiB in fp8, which stay in a core's L2 cache). The time of {@code decode}
 * here is what the kernel needs when reading costs nearly nothing; the streaming benchmark's time
 * divided by this one shows how much of the kernel's time memory adds. JVM without flags: the
 * scalar kernel ({@link PagedAttentionComputeVectorBenchmark} repeats it with the vector kernel).
 *
 * <p>Not all of the time is arithmetic: the 512 sequences' queries (8 MiB) are read and their
 * outputs (8 MiB) written once per call, where the streaming benchmark's 4 sequences have 64 KiB of
 * each. With the vector kernel, F32, one thread, skipping the query and output loops altogether (a
 * throw-away experiment, wrong results) took about 1.8 ms off a 6.1 ms call, so read this time as
 * an upper bound of the kernel's compute; {@link FmaRoofBenchmark} gives the multiply-add roof.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PagedAttentionComputeBenchmark {

  static final int CONTEXT = 64;
  static final int SEQS =
      PagedAttentionBenchmark.SEQS * PagedAttentionBenchmark.CONTEXT / CONTEXT; // 512

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

  @Setup(Level.Trial)
  public void setUp() {
    int kvHeads = PagedAttentionBenchmark.KV_HEADS;
    int d = PagedAttentionBenchmark.D;
    KvCacheLayout layout =
        KvCacheLayout.builder().numLayers(1).numKvHeads(kvHeads).headDim(d).dtype(dtype).build();
    cache =
        KvCache.builder()
            .layout(layout)
            .numBlocks(CONTEXT / layout.blockSize() + 2)
            .prefixCaching(false)
            .maxSequences(SEQS)
            .maxTokensPerSequence(CONTEXT)
            .build();
    SplittableRandom rnd = new SplittableRandom(3);
    seqs = new int[SEQS];
    seqs[0] = cache.addSequence(new int[CONTEXT], 0, CONTEXT, ExtraKeys.NONE);
    float[] kv = new float[kvHeads * d];
    for (int t = 0; t < CONTEXT; t++) {
      for (int i = 0; i < kv.length; i++) {
        kv[i] = (float) rnd.nextDouble(-1, 1);
      }
      cache.writeKv(seqs[0], t, 0, kv, 0, kv, 0);
    }
    for (int s = 1; s < SEQS; s++) {
      seqs[s] = cache.fork(seqs[0]);
      if (seqs[s] < 0 || cache.blockId(seqs[s], 0) != cache.blockId(seqs[0], 0)) {
        throw new IllegalStateException("fork " + s + " does not share the parent's blocks");
      }
    }
    int hq = PagedAttentionBenchmark.Q_HEADS;
    q = new float[SEQS * hq * d];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) rnd.nextDouble(-1, 1);
    }
    out = new float[SEQS * hq * d];
    attention = PagedAttention.of(cache);
    if (attention.kernel() != expectedKernel()) {
      throw new IllegalStateException(
          "expected kernel " + expectedKernel() + " but got " + attention.kernel());
    }
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

  @Benchmark
  public float decode() {
    attention.decode(
        0, seqs, SEQS, PagedAttentionBenchmark.Q_HEADS, q, out, 0.088f, executor, threads);
    return out[0];
  }
}
