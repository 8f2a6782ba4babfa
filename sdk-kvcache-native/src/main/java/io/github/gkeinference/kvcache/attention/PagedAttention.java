package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.internal.KvCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Paged decode attention: one query token per sequence, grouped-query heads, reading K and V block
 * by block through each sequence's block table, with an online (numerically stable) softmax and f32
 * output.
 *
 * <p>For query head {@code h} of a sequence with {@code n} tokens: {@code out[h] = sum_t softmax_t(
 * scale * q[h] . K[t][h / G]) * V[t][h / G]} with {@code G = numQueryHeads / numKvHeads}. Each
 * (sequence, KV head) pair is one unit of work that reads its K/V once for all {@code G} query
 * heads; units are spread over the caller's executor. The result of a unit does not depend on the
 * executor, so parallel and serial runs agree bit for bit.
 *
 * <p>Threading: follows {@link KvCache}'s contract; a decode call is a reader of the sequences it
 * is given, which must not be appended to, freed or swapped until it returns. Instances may be used
 * from several threads at once. Each task's scratch space (a transposed K tile of {@code headDim *
 * 256} floats, a V tile of {@code 256 * vHeadDim} floats and a few rows) is kept and reused by
 * later calls, so a steady stream of calls on the calling thread allocates nothing; on an executor
 * each call allocates its tasks and a latch.
 *
 * <p>Kernel: per tile of 256 tokens, each K and V row is copied out of the slab in bulk and widened
 * to float once (F32 copied as is, BF16 by a shift, F16 and FP8 E5M2 by {@link
 * Float#float16ToFloat}, FP8 E4M3 by a 256-entry table); K's scale and the softmax scale are folded
 * into the queries and V's scale into the output. The score and V loops are plain counted loops
 * over distinct {@code float[]} rows at the same index, which C2 compiles to SIMD code without any
 * JVM flag. The scalar transposition of K into the tile is the largest remaining cost (see {@code
 * docs/benchmarks.md}).
 */
public final class PagedAttention {

  /** Tokens per tile of the score computation. */
  private static final int TILE = 256;

  private final KvCache cache;
  private final KvCacheLayout layout;

  /** Scratch spaces of finished calls, reused so that steady-state calls do not allocate them. */
  private final ArrayDeque<Worker> spare = new ArrayDeque<>();

  private Worker take(int group) {
    synchronized (spare) {
      Worker w = spare.pollFirst();
      if (w != null && w.group == group) {
        return w;
      }
    }
    return new Worker(group);
  }

  private void give(Worker w) {
    w.call(0, EMPTY_INTS, 0, EMPTY_FLOATS, EMPTY_FLOATS, 0f); // drop references to caller arrays
    synchronized (spare) {
      if (spare.size() < 64) {
        spare.addFirst(w);
      }
    }
  }

  private static final int[] EMPTY_INTS = new int[0];
  private static final float[] EMPTY_FLOATS = new float[0];

  private PagedAttention(KvCache cache) {
    this.cache = cache;
    this.layout = cache.layout();
  }

  /**
   * Creates the attention operator over a cache.
   *
   * @param cache the KV cache
   * @return the operator
   */
  public static PagedAttention of(KvCache cache) {
    return new PagedAttention(Objects.requireNonNull(cache, "cache"));
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
   * @param tasks number of tasks to split the units into (clamped to 1 .. units)
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
    int units = numSeqs * hkv;
    int n = Math.max(1, Math.min(tasks, units));
    if (executor == null || n == 1) {
      Worker w = take(numQueryHeads / hkv);
      w.call(layer, seqs, numQueryHeads, q, out, softmaxScale).run(0, units);
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
              Worker w = take(numQueryHeads / hkv);
              w.call(layer, seqs, numQueryHeads, q, out, softmaxScale).run(from, to);
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

  /** One task's scratch space; units {@code [from, to)} are (sequence, KV head) pairs. */
  private final class Worker {
    private int layer;
    private int[] seqs;
    private int hq;
    private float[] q;
    private float[] out;
    private float softmaxScale;
    private final int group;
    private final int d;
    private final int dv;
    private final int bs;
    private final float[] kRow;
    private final short[] shortRow;
    private final byte[] byteRow;
    // Every hot loop below reads and writes distinct arrays at the same index (rows of 2-D arrays
    // instead of offsets into one array): C2 then knows the accesses cannot overlap and turns the
    // loops into SIMD code; with offsets into shared float[] arrays it has to stay scalar.
    private final float[][] kT;
    private final float[][] vT;
    private final float[][] scores;
    private final float[][] qs;
    private final float[][] acc;
    private final float[] max;
    private final float[] sum;

    Worker(int group) {
      this.group = group;
      this.seqs = EMPTY_INTS;
      this.q = EMPTY_FLOATS;
      this.out = EMPTY_FLOATS;
      this.d = layout.headDim();
      this.dv = layout.vHeadDim();
      this.bs = layout.blockSize();
      this.kRow = new float[d];
      this.shortRow = new short[Math.max(d, dv)];
      this.byteRow = new byte[Math.max(d, dv)];
      this.kT = new float[d][TILE];
      this.vT = new float[TILE][dv];
      this.scores = new float[group][TILE];
      this.qs = new float[group][d];
      this.acc = new float[group][dv];
      this.max = new float[group];
      this.sum = new float[group];
    }

    Worker call(int layer, int[] seqs, int hq, float[] q, float[] out, float softmaxScale) {
      this.layer = layer;
      this.seqs = seqs;
      this.hq = hq;
      this.q = q;
      this.out = out;
      this.softmaxScale = softmaxScale;
      return this;
    }

    void run(int from, int to) {
      int hkv = layout.numKvHeads();
      for (int u = from; u < to; u++) {
        unit(u / hkv, u % hkv);
      }
    }

    private void unit(int s, int kvHead) {
      MemorySegment slab = cache.slab();
      int seq = seqs[s];
      int n = cache.numTokens(seq);
      long blockBytes = layout.bytesPerBlock();
      long kOff = layout.kOffset(layer, 0, kvHead);
      long kStride = layout.kOffset(layer, 1, kvHead) - kOff;
      long vOff = layout.vOffset(layer, 0, kvHead);
      long vStride = layout.vOffset(layer, 1, kvHead) - vOff;
      // K's scale and the softmax scale are folded into the queries, V's scale into the output, so
      // the stored values are only widened to float on the hot path.
      float qScale = layout.kScale(layer) * softmaxScale;
      int qBase = (s * hq + kvHead * group) * d;
      for (int g = 0; g < group; g++) {
        float[] qg = qs[g];
        int qo = qBase + g * d;
        for (int i = 0; i < d; i++) {
          qg[i] = q[qo + i] * qScale;
        }
        java.util.Arrays.fill(acc[g], 0f);
        max[g] = Float.NEGATIVE_INFINITY;
        sum[g] = 0f;
      }
      // Tiles of TILE tokens: K is transposed into kT[dim][token] so that the scores of a whole
      // tile are multiply-adds over rows (SIMD), and each K/V byte is read from the slab once.
      for (int tile = 0; tile < n; tile += TILE) {
        int m = Math.min(TILE, n - tile);
        for (int tt = 0; tt < m; tt++) {
          int pos = tile + tt;
          long base = cache.blockId(seq, pos / bs) * blockBytes;
          row(slab, base + kOff + (pos % bs) * kStride, kRow, d);
          for (int i = 0; i < d; i++) {
            kT[i][tt] = kRow[i];
          }
        }
        for (int g = 0; g < group; g++) {
          float[] sg = scores[g];
          float[] qg = qs[g];
          java.util.Arrays.fill(sg, 0, m, 0f);
          int i = 0;
          for (; i + 4 <= d; i += 4) { // four dimensions per pass: a quarter of the loads/stores
            float q0 = qg[i];
            float q1 = qg[i + 1];
            float q2 = qg[i + 2];
            float q3 = qg[i + 3];
            float[] k0 = kT[i];
            float[] k1 = kT[i + 1];
            float[] k2 = kT[i + 2];
            float[] k3 = kT[i + 3];
            for (int tt = 0; tt < m; tt++) {
              sg[tt] += q0 * k0[tt] + q1 * k1[tt] + q2 * k2[tt] + q3 * k3[tt];
            }
          }
          for (; i < d; i++) {
            float qv = qg[i];
            float[] kr = kT[i];
            for (int tt = 0; tt < m; tt++) {
              sg[tt] += qv * kr[tt];
            }
          }
          float mx = max[g];
          for (int tt = 0; tt < m; tt++) {
            mx = Math.max(mx, sg[tt]);
          }
          if (mx > max[g]) {
            float corr = (float) Math.exp(max[g] - mx);
            sum[g] *= corr;
            float[] ag = acc[g];
            for (int j = 0; j < dv; j++) {
              ag[j] *= corr;
            }
            max[g] = mx;
          }
          float l = 0f;
          for (int tt = 0; tt < m; tt++) {
            float p = (float) Math.exp(sg[tt] - mx);
            sg[tt] = p;
            l += p;
          }
          sum[g] += l;
        }
        for (int tt = 0; tt < m; tt++) {
          int pos = tile + tt;
          long base = cache.blockId(seq, pos / bs) * blockBytes;
          row(slab, base + vOff + (pos % bs) * vStride, vT[tt], dv);
        }
        for (int g = 0; g < group; g++) {
          float[] sg = scores[g];
          float[] ag = acc[g];
          int tt = 0;
          for (; tt + 4 <= m; tt += 4) { // four tokens per pass over the accumulator
            float p0 = sg[tt];
            float p1 = sg[tt + 1];
            float p2 = sg[tt + 2];
            float p3 = sg[tt + 3];
            float[] v0 = vT[tt];
            float[] v1 = vT[tt + 1];
            float[] v2 = vT[tt + 2];
            float[] v3 = vT[tt + 3];
            for (int i = 0; i < dv; i++) {
              ag[i] += p0 * v0[i] + p1 * v1[i] + p2 * v2[i] + p3 * v3[i];
            }
          }
          for (; tt < m; tt++) {
            float p = sg[tt];
            float[] vr = vT[tt];
            for (int i = 0; i < dv; i++) {
              ag[i] += p * vr[i];
            }
          }
        }
      }
      float vScale = layout.vScale(layer);
      int oBase = (s * hq + kvHead * group) * dv;
      for (int g = 0; g < group; g++) {
        float f = vScale / sum[g];
        float[] ag = acc[g];
        int o = oBase + g * dv;
        for (int i = 0; i < dv; i++) {
          out[o + i] = ag[i] * f;
        }
      }
    }

    /**
     * Widens {@code len} stored elements at {@code off} into {@code dst} (not scaled): one bulk
     * copy out of the slab, then a conversion loop between arrays of different types.
     */
    private void row(MemorySegment slab, long off, float[] dst, int len) {
      switch (layout.dtype()) {
        case F32 -> MemorySegment.copy(slab, ValueLayout.JAVA_FLOAT, off, dst, 0, len);
        case F16 -> {
          short[] src = shortRow;
          MemorySegment.copy(slab, ValueLayout.JAVA_SHORT, off, src, 0, len);
          for (int i = 0; i < len; i++) {
            dst[i] = Float.float16ToFloat(src[i]);
          }
        }
        case BF16 -> {
          short[] src = shortRow;
          MemorySegment.copy(slab, ValueLayout.JAVA_SHORT, off, src, 0, len);
          for (int i = 0; i < len; i++) {
            dst[i] = Float.intBitsToFloat(src[i] << 16);
          }
        }
        case FP8_E4M3 -> {
          byte[] src = byteRow;
          MemorySegment.copy(slab, ValueLayout.JAVA_BYTE, off, src, 0, len);
          for (int i = 0; i < len; i++) {
            dst[i] = KvCodec.e4m3ToFloat(src[i]);
          }
        }
        case FP8_E5M2 -> {
          byte[] src = byteRow;
          MemorySegment.copy(slab, ValueLayout.JAVA_BYTE, off, src, 0, len);
          for (int i = 0; i < len; i++) {
            dst[i] = Float.float16ToFloat((short) (src[i] << 8));
          }
        }
      }
    }
  }
}
