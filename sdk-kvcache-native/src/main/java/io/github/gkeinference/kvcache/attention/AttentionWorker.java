package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import java.util.Arrays;

/**
 * One task's scratch space and kernel for {@link PagedAttention}. An instance is used by one thread
 * at a time; a unit of work is a sequence and a range of its KV heads; each KV head's K and V are
 * read once for all {@code group} query heads sharing it.
 */
abstract class AttentionWorker {

  static final int[] EMPTY_INTS = new int[0];
  static final float[] EMPTY_FLOATS = new float[0];

  final KvCache cache;
  final KvCacheLayout layout;
  final int group;
  final int d;
  final int dv;
  final int bs;

  /** Per query row: the scaled query, the output accumulator, the running max and sum. */
  final float[][] qs;

  final float[][] acc;
  final float[] max;
  final float[] sum;

  int layer;
  int[] seqs = EMPTY_INTS;
  int hq;
  float[] q = EMPTY_FLOATS;
  float[] out = EMPTY_FLOATS;
  float softmaxScale;

  AttentionWorker(KvCache cache, int group, int rows) {
    this.cache = cache;
    this.layout = cache.layout();
    this.group = group;
    this.d = layout.headDim();
    this.dv = layout.vHeadDim();
    this.bs = layout.blockSize();
    this.qs = new float[rows][d];
    this.acc = new float[rows][dv];
    this.max = new float[rows];
    this.sum = new float[rows];
  }

  /**
   * Starts {@code count} query heads of the {@code s}-th sequence, from query head {@code
   * firstHead}, in rows {@code firstRow ..}: the queries with K's scale and the softmax scale
   * folded in (so stored K is only widened on the hot path), empty accumulators.
   */
  final void begin(int s, int firstHead, int firstRow, int count) {
    float qScale = layout.kScale(layer) * softmaxScale;
    for (int j = 0; j < count; j++) {
      float[] qr = qs[firstRow + j];
      scale(q, (s * hq + firstHead + j) * d, qr, 0, d, qScale);
      Arrays.fill(acc[firstRow + j], 0f);
      max[firstRow + j] = Float.NEGATIVE_INFINITY;
      sum[firstRow + j] = 0f;
    }
  }

  /**
   * Writes the outputs of the rows {@link #begin} started: accumulator times V's scale times {@code
   * unit} (what one accumulated unit is worth) over the softmax sum.
   */
  final void finish(int s, int firstHead, int firstRow, int count, float unit) {
    float vScale = layout.vScale(layer) * unit;
    for (int j = 0; j < count; j++) {
      float f = vScale / sum[firstRow + j];
      float[] ar = acc[firstRow + j];
      scale(ar, 0, out, (s * hq + firstHead + j) * dv, dv, f);
    }
  }

  /**
   * {@code dst[dstOff + i] = src[srcOff + i] * f} for {@code i < n}: the queries into {@link #qs}
   * and the accumulators into the output. A plain loop here: C2 leaves it scalar because it cannot
   * tell that the two arrays differ; the vector kernel overrides it with vector loads and stores.
   */
  void scale(float[] src, int srcOff, float[] dst, int dstOff, int n, float f) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = src[srcOff + i] * f;
    }
  }

  /** Sets the arguments of one call. */
  final AttentionWorker call(
      int layer, int[] seqs, int hq, float[] q, float[] out, float softmaxScale) {
    this.layer = layer;
    this.seqs = seqs;
    this.hq = hq;
    this.q = q;
    this.out = out;
    this.softmaxScale = softmaxScale;
    return this;
  }

  /** Drops the references to the caller's arrays before the worker is kept for reuse. */
  final void release() {
    call(0, EMPTY_INTS, 0, EMPTY_FLOATS, EMPTY_FLOATS, 0f);
  }

  /**
   * Computes units {@code [from, to)}: unit {@code u} is part {@code u % parts} of the KV heads of
   * the {@code u / parts}-th sequence of the call.
   */
  final void run(int from, int to, int parts) {
    int hkv = layout.numKvHeads();
    for (int u = from; u < to; u++) {
      int p = u % parts;
      unit(u / parts, hkv * p / parts, hkv * (p + 1) / parts);
    }
  }

  /**
   * Computes the output of the query heads of KV heads {@code [fromHead, toHead)} of the {@code
   * s}-th sequence of the call.
   */
  abstract void unit(int s, int fromHead, int toHead);
}
