package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvStatus;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Paged decode attention: one query token per sequence, grouped-query heads, reading K and V block
 * by block through each sequence's block table, with an online (numerically stable) softmax and f32
 * output.
 *
 * <p>For query head {@code h} of a sequence with {@code n} tokens: {@code out[h] = sum_t softmax_t(
 * scale * q[h] . K[t][h / G]) * V[t][h / G]} with {@code G = numQueryHeads / numKvHeads}. The K/V
 * of each KV head of a sequence are read once for all {@code G} query heads. A unit of work is a
 * whole sequence, or a part of its KV heads when there are fewer sequences than tasks; units are
 * spread over the caller's executor. The result of a head does not depend on the executor, so
 * parallel and serial runs agree bit for bit.
 *
 * <p>Two kernels compute the same function. {@link Kernel#SCALAR} is plain Java and needs no JVM
 * flag. {@link Kernel#VECTOR} uses the incubating Vector API and is opt-in: {@link #of(KvCache)}
 * chooses it only when the JVM runs with {@code --add-modules jdk.incubator.vector}, the layout's
 * block size is a multiple of the vector lanes, and the system property {@value #VECTOR_PROPERTY}
 * is not {@code false}. Without the module nothing of the Vector API is loaded, and the first
 * decode call of an operator {@link #of(KvCache)} made with the scalar kernel for that reason logs
 * once per JVM, at level INFO through {@link System.Logger}, how to enable the vector kernel (not
 * when the caller chose the scalar kernel or disabled the vector one). The kernels agree within
 * floating-point rounding (the vector kernel fuses multiply-adds and sums in another order); where
 * a stored F16 or FP8 element is infinite or NaN (only stored for such inputs) the vector kernel
 * reads NaN. See {@code docs/benchmarks.md} for their speeds.
 *
 * <p>Threading: follows {@link KvCache}'s contract; a decode call is a reader of the sequences it
 * is given, which must not be appended to, freed or swapped until it returns. Instances may be used
 * from several threads at once. Each task's scratch space is kept and reused by later calls, so a
 * steady stream of calls on the calling thread allocates nothing; on an executor each call
 * allocates its tasks and a latch.
 */
public final class PagedAttention {

  /** System property that disables the vector kernel in {@link #of(KvCache)} when {@code false}. */
  public static final String VECTOR_PROPERTY = "gkeinference.kvcache.vector";

  /** The one-time hint logged when the vector kernel is not used because its module is absent. */
  static final String HINT =
      "PagedAttention runs the scalar kernel because the JVM lacks the jdk.incubator.vector module;"
          + " start the JVM with --add-modules jdk.incubator.vector to use the Vector API kernel,"
          + " several times faster (docs/benchmarks.md). This is logged once.";

  private static final System.Logger LOG = System.getLogger(PagedAttention.class.getName());

  /** Whether {@link #HINT} was logged in this JVM. */
  private static final AtomicBoolean HINTED = new AtomicBoolean();

  /** The code that computes attention. */
  public enum Kernel {
    /** Plain Java, compiled to SIMD code by C2 where it can; no JVM flag needed. */
    SCALAR,
    /**
     * The incubating Vector API ({@code jdk.incubator.vector}); needs {@code --add-modules
     * jdk.incubator.vector} and a block size that is a multiple of the preferred float vector's
     * lanes (16 with AVX-512, 8 with AVX2).
     */
    VECTOR
  }

  private final KvCache cache;
  private final KvCacheLayout layout;
  private final Kernel kernel;

  /**
   * Whether {@link #of(KvCache)} chose the scalar kernel because the Vector API module is absent.
   */
  private final boolean hint;

  /** Scratch spaces of finished calls, reused so that steady-state calls do not allocate them. */
  private final ArrayDeque<AttentionWorker> spare = new ArrayDeque<>();

  private PagedAttention(KvCache cache, Kernel kernel, boolean hint) {
    this.cache = cache;
    this.layout = cache.layout();
    this.kernel = kernel;
    this.hint = hint;
  }

  /**
   * Creates the attention operator over a cache with the fastest kernel this JVM allows: {@link
   * Kernel#VECTOR} when it is available for the cache's layout and not disabled by {@value
   * #VECTOR_PROPERTY}{@code =false}, else {@link Kernel#SCALAR}.
   *
   * @param cache the KV cache
   * @return the operator
   */
  public static PagedAttention of(KvCache cache) {
    Objects.requireNonNull(cache, "cache");
    boolean enabled = !"false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY));
    boolean vector = enabled && available(Kernel.VECTOR, cache.layout());
    return new PagedAttention(
        cache, vector ? Kernel.VECTOR : Kernel.SCALAR, enabled && !vectorModule());
  }

  /**
   * Creates the attention operator over a cache with a given kernel.
   *
   * @param cache the KV cache
   * @param kernel the kernel
   * @return the operator
   * @throws IllegalArgumentException if the kernel is not available for this JVM and layout (see
   *     {@link #available})
   */
  public static PagedAttention of(KvCache cache, Kernel kernel) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(kernel, "kernel");
    if (!available(kernel, cache.layout())) {
      throw new IllegalArgumentException(
          "kernel VECTOR needs the JVM option --add-modules jdk.incubator.vector and a block size"
              + " that is a multiple of the float vector lanes (FP8: at least 8 lanes); layout: "
              + cache.layout());
    }
    return new PagedAttention(cache, kernel, false);
  }

  /**
   * Whether a kernel can run on this JVM for a layout. {@link Kernel#SCALAR} always can.
   *
   * @param kernel the kernel
   * @param layout the cache layout
   * @return true if {@link #of(KvCache, Kernel)} accepts it
   */
  public static boolean available(Kernel kernel, KvCacheLayout layout) {
    return kernel == Kernel.SCALAR || (vectorModule() && VectorWorker.supports(layout));
  }

  private static boolean vectorModule() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** Lets a test see the one-time hint again. */
  static void resetHint() {
    HINTED.set(false);
  }

  /**
   * The kernel this operator uses.
   *
   * @return the kernel
   */
  public Kernel kernel() {
    return kernel;
  }

  private AttentionWorker take(int group) {
    synchronized (spare) {
      AttentionWorker w = spare.pollFirst();
      if (w != null && w.group == group) {
        return w;
      }
    }
    return kernel == Kernel.VECTOR
        ? VectorWorker.create(cache, group)
        : new ScalarWorker(cache, group);
  }

  private void give(AttentionWorker w) {
    w.release();
    synchronized (spare) {
      if (spare.size() < 64) {
        spare.addFirst(w);
      }
    }
  }

  /**
   * Computes decode attention for a batch of sequences at one layer.
   *
   * @param layer layer index
   * @param seqs live sequence ids
   * @param numSeqs number of sequences used from {@code seqs}
   * @param numQueryHeads query heads per sequence, a multiple of the layout's KV heads
   * @param q queries, {@code numSeqs * numQueryHeads * headDim} floats, sequence-major then head
   * @param out receives {@code numSeqs * numQueryHeads * vHeadDim} floats, same order
   * @param softmaxScale scale of the scores, usually {@code 1 / sqrt(headDim)}
   * @param executor runs the work units, or null to run them on the calling thread
   * @param tasks number of tasks to run on the executor (clamped to 1 .. units; ignored without
   *     one)
   * @return {@link KvStatus#OK}, {@link KvStatus#UNKNOWN_SEQUENCE} (a sequence is not live, nothing
   *     computed) or {@link KvStatus#INVALID_ARGUMENT}
   */
  public int decode(
      int layer,
      int[] seqs,
      int numSeqs,
      int numQueryHeads,
      float[] q,
      float[] out,
      float softmaxScale,
      @Nullable Executor executor,
      int tasks) {
    int hkv = layout.numKvHeads();
    int d = layout.headDim();
    int dv = layout.vHeadDim();
    if (layer < 0
        || layer >= layout.numLayers()
        || numSeqs < 0
        || numSeqs > seqs.length
        || numQueryHeads < hkv
        || numQueryHeads % hkv != 0
        || q.length < (long) numSeqs * numQueryHeads * d
        || out.length < (long) numSeqs * numQueryHeads * dv) {
      return KvStatus.INVALID_ARGUMENT;
    }
    for (int i = 0; i < numSeqs; i++) {
      if (!cache.isLive(seqs[i]) || cache.numTokens(seqs[i]) == 0) {
        return KvStatus.UNKNOWN_SEQUENCE;
      }
    }
    if (hint && HINTED.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.INFO, HINT);
    }
    // A unit is a sequence, or a part of its KV heads when there are fewer sequences than tasks:
    // a whole sequence reads each of its blocks' pages front to back, which streams best.
    int parts = executor == null ? 1 : Math.min(hkv, Math.max(1, (tasks + numSeqs - 1) / numSeqs));
    int units = numSeqs * parts;
    int n = executor == null ? 1 : Math.max(1, Math.min(tasks, units));
    if (n == 1) {
      AttentionWorker w = take(numQueryHeads / hkv);
      w.call(layer, seqs, numQueryHeads, q, out, softmaxScale).run(0, units, parts);
      give(w);
      return KvStatus.OK;
    }
    CountDownLatch done = new CountDownLatch(n);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    for (int t = 0; t < n; t++) {
      int from = (int) ((long) units * t / n);
      int to = (int) ((long) units * (t + 1) / n);
      executor.execute(
          () -> {
            try {
              AttentionWorker w = take(numQueryHeads / hkv);
              w.call(layer, seqs, numQueryHeads, q, out, softmaxScale).run(from, to, parts);
              give(w);
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            } finally {
              done.countDown();
            }
          });
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for attention tasks", e);
    }
    Throwable f = failure.get();
    if (f != null) {
      throw new IllegalStateException("attention task failed", f);
    }
    return KvStatus.OK;
  }
}
