package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.internal.KvCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The default kernel: plain Java that C2 compiles to SIMD code without any JVM flag.
 *
 * <p>Per tile of up to 256 tokens (whole blocks), each block's K of the head ({@code headDim x
 * blockSize}, stored transposed) is copied out of the slab in bulk and widened to float once, then
 * its rows are appended to the tile {@code kT[dim][token]}; V rows are copied and widened into
 * {@code vT[token][dim]}. F32 is copied as is, BF16 widened by a shift, F16 and FP8 E5M2 by {@link
 * Float#float16ToFloat}, FP8 E4M3 by a 256-entry table. K's scale and the softmax scale are folded
 * into the queries and V's scale into the output.
 *
 * <p>Every hot loop reads and writes distinct {@code float[]} rows at the same index (rows of 2-D
 * arrays instead of offsets into one array): C2 then knows the accesses cannot overlap and turns
 * the loops into SIMD code; with offsets into shared arrays it has to stay scalar.
 */
final class ScalarWorker extends AttentionWorker {

  /** Tokens per tile of the score computation, rounded down to whole blocks (at least one). */
  private static final int TILE = 256;

  private final int tile;
  private final float[] kBlock;
  private final short[] shortRow;
  private final byte[] byteRow;
  private final float[][] kT;
  private final float[][] vT;
  private final float[][] scores;

  ScalarWorker(KvCache cache, int group) {
    super(cache, group, group);
    this.tile = bs * Math.max(1, TILE / bs);
    this.kBlock = new float[d * bs];
    int widest = Math.max(d * bs, dv);
    this.shortRow = new short[widest];
    this.byteRow = new byte[widest];
    this.kT = new float[d][tile];
    this.vT = new float[tile][dv];
    this.scores = new float[group][tile];
  }

  @Override
  void unit(int s, int fromHead, int toHead) {
    for (int h = fromHead; h < toHead; h++) {
      head(s, h);
    }
  }

  private void head(int s, int kvHead) {
    MemorySegment slab = cache.slab();
    int seq = seqs[s];
    int n = cache.numTokens(seq);
    long blockBytes = layout.bytesPerBlock();
    int eb = layout.dtype().bytes();
    long kOff = layout.kOffset(layer, kvHead, 0, 0);
    long vOff = layout.vOffset(layer, kvHead, 0);
    long vRow = (long) dv * eb;
    begin(s, kvHead * group, 0, group); // rows 0 .. group - 1: this KV head's query heads
    for (int start = 0; start < n; start += tile) {
      int m = Math.min(tile, n - start);
      // K of each block is [dim][token]: widen the block once, then append its rows to the tile.
      for (int tt = 0; tt < m; tt += bs) {
        long base = cache.blockId(seq, (start + tt) / bs) * blockBytes;
        widen(slab, base + kOff, kBlock, d * bs);
        int cnt = Math.min(bs, m - tt);
        for (int i = 0; i < d; i++) {
          System.arraycopy(kBlock, i * bs, kT[i], tt, cnt);
        }
      }
      for (int g = 0; g < group; g++) {
        float[] sg = scores[g];
        float[] qg = qs[g];
        Arrays.fill(sg, 0, m, 0f);
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
        int pos = start + tt;
        long base = cache.blockId(seq, pos / bs) * blockBytes;
        widen(slab, base + vOff + (pos % bs) * vRow, vT[tt], dv);
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
    finish(s, kvHead * group, 0, group, 1f);
  }

  /**
   * Widens {@code len} stored elements at {@code off} into {@code dst} (not scaled): one bulk copy
   * out of the slab, then a conversion loop between arrays of different types.
   */
  private void widen(MemorySegment slab, long off, float[] dst, int len) {
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
