package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.internal.KvCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The default kernel: plain Java that C2 compiles to SIMD code without any JVM flag.
 *
 * <p>Per tile of up to 256 tokens (whole blocks), this layer's K and V of the unit's KV heads are
 * first copied out of each block into scratch pages ({@link #pages}), two sequential copies per
 * block: read head by head from the slab, the same bytes came as pieces of a few KiB 128 KiB apart,
 * which streamed about half as fast. Then, head by head, each block's K of the head ({@code headDim
 * x blockSize}, stored transposed) is widened to float once and its rows appended to the tile
 * {@code kT[dim][token]}; V rows are widened into {@code vT[token][dim]}. F32 is copied as is, F16
 * and FP8 E5M2 widened by {@link Float#float16ToFloat}, FP8 E4M3 by a 256-entry table. BF16 is
 * widened two elements per int in loops C2 turns into SIMD code, which reorders the tile's tokens
 * and V's dimensions ({@link #pairTile}). K's scale and the softmax scale are folded into the
 * queries and V's scale into the output.
 *
 * <p>The work per cached token is shared by the query heads of the group: the K tile and the V rows
 * are widened once per KV head for all of them, and the score and V loops update two query heads
 * per pass, so each K or V element loaded feeds two heads' multiply-adds. The softmax step is per
 * tile (one max and one rescale per head per tile), and its exponentials are a polynomial in
 * counted loops C2 vectorizes ({@link #exp}), not a {@link Math#exp} call per score.
 *
 * <p>Every hot loop reads and writes distinct {@code float[]} rows at the same index (rows of 2-D
 * arrays instead of offsets into one array): C2 then knows the accesses cannot overlap and turns
 * the loops into SIMD code; with offsets into shared arrays it has to stay scalar.
 */
final class ScalarWorker extends AttentionWorker {

  /*
   * The softmax's exponential (exp below), as Cephes' single-precision expf (Cephes Math Library
   * 2.2, file expf.c, https://www.netlib.org/cephes/ single.tgz): x = n ln 2 + r with
   * |r| <= ln 2 / 2 (ln 2 split in two parts so that n * LN2_HI is exact), e^r by the polynomial
   * 1 + r + r^2 (P5 + r (P4 + r (P3 + r (P2 + r (P1 + r P0))))) (Cephes states a relative error
   * of about 1 ulp), times 2^n built from its exponent bits. The kernel only takes e^x of x <= 0
   * (a score minus the running max): arguments below EXP_MIN are raised to it (e^-87 = 1.6e-38,
   * just above the smallest normal float, so 2^n stays normal), which is as good as zero next to
   * the max's weight of 1; NaN stays NaN.
   */

  /** Smallest argument of the exponential; smaller ones are raised to it. */
  private static final float EXP_MIN = -87f;

  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float EXP_P0 = 1.9875691500e-4f;
  private static final float EXP_P1 = 1.3981999507e-3f;
  private static final float EXP_P2 = 8.3334519073e-3f;
  private static final float EXP_P3 = 4.1665795894e-2f;
  private static final float EXP_P4 = 1.6666665459e-1f;
  private static final float EXP_P5 = 5.0000001201e-1f;

  /** Tokens per tile of the score computation, rounded down to whole blocks (at least one). */
  private static final int TILE = 256;

  private final int tile;

  /**
   * The tile's pages of the current layer, copied out of the slab (only the unit's heads): {@code
   * tile / blockSize} pages off heap per worker (2 MiB for 8 KV heads of 128 F32 dimensions), freed
   * with the worker.
   */
  private final MemorySegment pages;

  /**
   * Where block {@code j} of the tile would start if {@link #pages} were the slab: {@code j *
   * pageBytes} minus the layer's offset, so the layout's offsets apply unchanged.
   */
  private final long[] tileBlocks;

  private final float[] kBlock;
  private final short[] shortRow;
  private final byte[] byteRow;
  private final float[][] kT;
  private final float[][] vT;
  private final float[][] scores;

  /** Scratch of {@link #exp}: the bits of {@code 2^n} per token, and the same bytes as floats. */
  private final int[] expBits;

  private final float[] expPow;
  private final MemorySegment expBitsSegment;
  private final MemorySegment expPowSegment;

  /**
   * Whether BF16 is widened in pairs ({@link #pairTile}, {@link #pairRow}): BF16 with an even block
   * size and V head size on a little-endian machine, where an int read from the slab holds element
   * {@code 2j} in its low half and {@code 2j + 1} in its high half.
   */
  private final boolean pairs;

  /** Per dimension: a tile's K row as stored pairs of BF16 ({@link #pairs} only). */
  private final int[][] kPairs;

  /** One block's K or V as stored pairs ({@link #pairs} only). */
  private final int[] blockPairs;

  /**
   * Float bits of the low and the high elements of pairs ({@link #split}), and the same arrays as
   * segments: a bulk copy from them into a float array is the bit cast.
   */
  private final int[] lowBits;

  private final int[] highBits;
  private final MemorySegment lowSegment;
  private final MemorySegment highSegment;
  private final MemorySegment[] kTSegments;
  private final MemorySegment[] vTSegments;

  ScalarWorker(KvCache cache, int group) {
    super(cache, group, cache.layout().numKvHeads() * group);
    this.tile = bs * Math.max(1, TILE / bs);
    this.tileBlocks = new long[tile / bs];
    this.pages = Arena.ofAuto().allocate(tile / bs * layout.pageBytes(), 64);
    int widest = Math.max(d * bs, dv);
    this.kBlock = new float[widest];
    this.shortRow = new short[widest];
    this.byteRow = new byte[widest];
    this.kT = new float[d][tile];
    this.vT = new float[tile][dv];
    this.scores = new float[group][tile];
    this.expBits = new int[tile];
    this.expPow = new float[tile];
    this.expBitsSegment = MemorySegment.ofArray(expBits);
    this.expPowSegment = MemorySegment.ofArray(expPow);
    this.pairs =
        layout.dtype() == KvDtype.BF16
            && bs % 2 == 0
            && dv % 2 == 0
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    this.kPairs = pairs ? new int[d][tile / 2] : new int[0][];
    this.blockPairs = pairs ? new int[Math.max(d, dv) * bs / 2] : EMPTY_INTS;
    int pairsPerSplit = Math.max(tile, bs * dv) / 2;
    this.lowBits = pairs ? new int[pairsPerSplit] : EMPTY_INTS;
    this.highBits = pairs ? new int[pairsPerSplit] : EMPTY_INTS;
    this.lowSegment = MemorySegment.ofArray(lowBits);
    this.highSegment = MemorySegment.ofArray(highBits);
    this.kTSegments = new MemorySegment[pairs ? d : 0];
    for (int i = 0; i < kTSegments.length; i++) {
      kTSegments[i] = MemorySegment.ofArray(kT[i]);
    }
    this.vTSegments = new MemorySegment[pairs ? tile : 0];
    for (int t = 0; t < vTSegments.length; t++) {
      vTSegments[t] = MemorySegment.ofArray(vT[t]);
    }
  }

  @Override
  void unit(int s, int fromHead, int toHead) {
    int seq = seqs[s];
    int n = cache.numTokens(seq);
    long page = layout.pageBytes();
    long layerBase = layout.kOffset(layer, 0, 0, 0);
    long k0 = layout.kOffset(layer, fromHead, 0, 0);
    long k1 = layout.kOffset(layer, toHead, 0, 0);
    long v0 = layout.vOffset(layer, fromHead, 0);
    long v1 = layout.vOffset(layer, toHead, 0);
    long blockBytes = layout.bytesPerBlock();
    MemorySegment slab = cache.slab();
    int eb = layout.dtype().bytes();
    long vRow = (long) dv * eb;
    begin(s, fromHead * group, fromHead * group, (toHead - fromHead) * group);
    for (int start = 0; start < n; start += tile) {
      int m = Math.min(tile, n - start);
      // This layer's K and V of the unit's heads in the tile's blocks, copied in bulk into the
      // scratch pages (block j of the tile at j * page, offsets inside a page as in the slab): two
      // sequential copies per block instead of each head's 8 KiB pieces 128 KiB apart.
      for (int tt = 0, j = 0; tt < m; tt += bs, j++) {
        long from = cache.blockId(seq, (start + tt) / bs) * blockBytes;
        long to = j * page;
        MemorySegment.copy(slab, from + k0, pages, to + k0 - layerBase, k1 - k0);
        MemorySegment.copy(slab, from + v0, pages, to + v0 - layerBase, v1 - v0);
        tileBlocks[j] = to - layerBase;
      }
      for (int h = fromHead; h < toHead; h++) {
        long kOff = layout.kOffset(layer, h, 0, 0);
        long vOff = layout.vOffset(layer, h, 0);
        if (pairs) {
          pairTile(m, kOff, vOff);
        } else {
          widenTile(m, kOff, vOff, vRow);
        }
        int r0 = h * group;
        // Scores: two query heads per pass share each K row load (four dimensions per pass).
        int g = 0;
        for (; g + 2 <= group; g += 2) {
          scores2(r0, g, m);
        }
        if (g < group) {
          scores1(r0, g, m);
        }
        for (g = 0; g < group; g++) {
          softmax(r0, g, m);
        }
        // V: two query heads per pass share each V row load (four tokens per pass).
        for (g = 0; g + 2 <= group; g += 2) {
          values2(r0, g, m);
        }
        if (g < group) {
          values1(r0, g, m);
        }
      }
    }
    if (pairs) {
      for (int r = fromHead * group; r < toHead * group; r++) {
        unpair(acc[r]);
      }
    }
    finish(s, fromHead * group, fromHead * group, (toHead - fromHead) * group, 1f);
  }

  /**
   * The tile's K into {@link #kT} ({@code [dim][token]}) and V rows into {@link #vT}, widened to
   * float: K of each block is {@code [dim][token]}, so the block is widened once and its rows
   * appended to the tile.
   */
  private void widenTile(int m, long kOff, long vOff, long vRow) {
    MemorySegment slab = pages;
    for (int tt = 0; tt < m; tt += bs) {
      long base = tileBlocks[tt / bs];
      widen(slab, base + kOff, kBlock, d * bs);
      int cnt = Math.min(bs, m - tt);
      for (int i = 0; i < d; i++) {
        System.arraycopy(kBlock, i * bs, kT[i], tt, cnt);
      }
    }
    for (int tt = 0; tt < m; tt++) {
      widen(slab, tileBlocks[tt / bs] + vOff + (tt % bs) * vRow, vT[tt], dv);
    }
  }

  /**
   * {@link #widenTile} for BF16 in pairs, in loops C2 turns into SIMD code (a loop of {@code
   * Float.intBitsToFloat(s << 16)} over a {@code short[]} stays scalar on JDK 25; one over ints
   * does not). An int read from the slab holds two stored elements; {@code x << 16} is the float
   * bits of the first, {@code x & 0xFFFF0000} those of the second, and one bulk copy of the int
   * array into the float array is the bit cast. The two halves go to separate runs, so the tile is
   * reordered: its even tokens first, then its odd ones (for {@code m} tokens, {@code h = ceil(m /
   * 2)} pairs, tile position {@code p < h} holds token {@code 2p} and {@code p >= h} token {@code
   * 2(p - h) + 1}; with {@code m} odd the one past the end lands last, so the valid positions are
   * still {@code [0, m)}). K and V rows are reordered alike, so the scores, softmax and V update
   * are unchanged. V rows (dimensions) are split the same way, so the accumulators hold even
   * dimensions, then odd ones, until {@link #unpair} restores the order.
   */
  private void pairTile(int m, long kOff, long vOff) {
    MemorySegment slab = pages;
    int half = bs / 2;
    for (int tt = 0; tt < m; tt += bs) {
      long base = tileBlocks[tt / bs];
      MemorySegment.copy(
          slab, ValueLayout.JAVA_INT_UNALIGNED, base + kOff, blockPairs, 0, d * half);
      for (int i = 0; i < d; i++) {
        System.arraycopy(blockPairs, i * half, kPairs[i], tt / 2, half);
      }
    }
    int h = (m + 1) / 2;
    for (int i = 0; i < d; i++) {
      split(kPairs[i], h);
      MemorySegment.copy(lowSegment, 0, kTSegments[i], 0, 4L * h);
      MemorySegment.copy(highSegment, 0, kTSegments[i], 4L * h, 4L * h);
    }
    // V rows ([token][dim]) of a block are contiguous: one copy and one split per block, then
    // each token's even and odd dimensions into its tile position.
    int dh = dv / 2;
    long rowHalf = 4L * dh;
    for (int tt = 0; tt < m; tt += bs) {
      long base = tileBlocks[tt / bs];
      int cnt = Math.min(bs, m - tt);
      MemorySegment.copy(
          slab, ValueLayout.JAVA_INT_UNALIGNED, base + vOff, blockPairs, 0, cnt * dh);
      split(blockPairs, cnt * dh);
      for (int t = 0; t < cnt; t++) {
        int tok = tt + t;
        MemorySegment row = vTSegments[(tok & 1) == 0 ? tok / 2 : h + tok / 2];
        MemorySegment.copy(lowSegment, t * rowHalf, row, 0, rowHalf);
        MemorySegment.copy(highSegment, t * rowHalf, row, rowHalf, rowHalf);
      }
    }
  }

  /**
   * {@code lowBits[j]} and {@code highBits[j]}: the float bits of the low and the high BF16 of
   * {@code src[j]}, for {@code j < n} (two arrays: stores into one array at two offsets kept C2's
   * loop scalar).
   */
  private void split(int[] src, int n) {
    int[] lo = lowBits;
    int[] hi = highBits;
    for (int j = 0; j < n; j++) {
      int x = src[j];
      lo[j] = x << 16;
      hi[j] = x & 0xFFFF0000;
    }
  }

  /** Puts an accumulator of even dimensions then odd ones ({@link #pairTile}) back in order. */
  private void unpair(float[] a) {
    int dh = dv / 2;
    float[] tmp = kBlock; // free here, and at least dv long
    System.arraycopy(a, 0, tmp, 0, dv);
    for (int j = 0; j < dh; j++) {
      a[2 * j] = tmp[j];
      a[2 * j + 1] = tmp[dh + j];
    }
  }

  /**
   * {@code scores[g] = qs[r0 + g] . kT} and the same for {@code g + 1}, over tokens {@code [0, m)}.
   */
  private void scores2(int r0, int g, int m) {
    float[] sa = scores[g];
    float[] sb = scores[g + 1];
    float[] qa = qs[r0 + g];
    float[] qb = qs[r0 + g + 1];
    Arrays.fill(sa, 0, m, 0f);
    Arrays.fill(sb, 0, m, 0f);
    int i = 0;
    for (; i + 4 <= d; i += 4) { // four dimensions per pass: a quarter of the score loads/stores
      float a0 = qa[i];
      float a1 = qa[i + 1];
      float a2 = qa[i + 2];
      float a3 = qa[i + 3];
      float b0 = qb[i];
      float b1 = qb[i + 1];
      float b2 = qb[i + 2];
      float b3 = qb[i + 3];
      float[] k0 = kT[i];
      float[] k1 = kT[i + 1];
      float[] k2 = kT[i + 2];
      float[] k3 = kT[i + 3];
      for (int tt = 0; tt < m; tt++) {
        float x0 = k0[tt];
        float x1 = k1[tt];
        float x2 = k2[tt];
        float x3 = k3[tt];
        sa[tt] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        sb[tt] += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
      }
    }
    for (; i < d; i++) {
      float a = qa[i];
      float b = qb[i];
      float[] kr = kT[i];
      for (int tt = 0; tt < m; tt++) {
        float x = kr[tt];
        sa[tt] += a * x;
        sb[tt] += b * x;
      }
    }
  }

  /** {@code scores[g] = qs[r0 + g] . kT} over tokens {@code [0, m)}. */
  private void scores1(int r0, int g, int m) {
    float[] sg = scores[g];
    float[] qg = qs[r0 + g];
    Arrays.fill(sg, 0, m, 0f);
    int i = 0;
    for (; i + 4 <= d; i += 4) {
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
  }

  /**
   * Online softmax step of row {@code r0 + g} (scores {@code g}): rescales its accumulator when the
   * tile raises the running max, then turns the tile's scores into weights {@code exp(score - max)}
   * with {@link #exp}.
   */
  private void softmax(int r0, int g, int m) {
    int r = r0 + g;
    float[] sg = scores[g];
    float mx = max[r];
    for (int tt = 0; tt < m; tt++) {
      mx = Math.max(mx, sg[tt]);
    }
    if (mx > max[r]) {
      float corr = (float) Math.exp(max[r] - mx);
      sum[r] *= corr;
      float[] ag = acc[r];
      for (int j = 0; j < dv; j++) {
        ag[j] *= corr;
      }
      max[r] = mx;
    }
    exp(sg, m, mx);
    float l0 = 0f; // four partial sums: a quarter of the add latency chain
    float l1 = 0f;
    float l2 = 0f;
    float l3 = 0f;
    int tt = 0;
    for (; tt + 4 <= m; tt += 4) {
      l0 += sg[tt];
      l1 += sg[tt + 1];
      l2 += sg[tt + 2];
      l3 += sg[tt + 3];
    }
    for (; tt < m; tt++) {
      l0 += sg[tt];
    }
    sum[r] += (l0 + l1) + (l2 + l3);
  }

  /**
   * {@code x[t] = exp(x[t] - mx)} for {@code t < m}, where {@code mx} is at least every {@code
   * x[t]} (the running max), in simple counted loops C2 turns into SIMD code ({@link Math#exp} is a
   * call per element): Cephes' {@code expf} as described at the constants above; {@code 2^n} is
   * built as bits in an {@code int[]} and copied bytewise into a {@code float[]}, because a loop of
   * {@link Float#intBitsToFloat} did not run faster with C2's SuperWord than without it in a probe
   * on JDK 25 (so it is likely left scalar).
   */
  private void exp(float[] x, int m, float mx) {
    int[] n2 = expBits;
    for (int t = 0; t < m; t++) {
      float y = Math.max(x[t] - mx, EXP_MIN);
      int n = (int) (y * LOG2E - 0.5f); // round to nearest for y <= 0 (truncation toward zero)
      float fn = n;
      float r = y - fn * LN2_HI - fn * LN2_LO;
      float p = EXP_P0 * r + EXP_P1;
      p = p * r + EXP_P2;
      p = p * r + EXP_P3;
      p = p * r + EXP_P4;
      p = p * r + EXP_P5;
      p = p * r * r + r + 1f;
      x[t] = p;
      n2[t] = (n + 127) << 23; // 2^n for n in [-126, 0]; NaN gives n = 0
    }
    MemorySegment.copy(expBitsSegment, 0, expPowSegment, 0, 4L * m);
    float[] pw = expPow;
    for (int t = 0; t < m; t++) {
      x[t] *= pw[t];
    }
  }

  /** {@code acc[r0 + g] += sum over t of scores[g][t] * vT[t]}, and the same for {@code g + 1}. */
  private void values2(int r0, int g, int m) {
    float[] sa = scores[g];
    float[] sb = scores[g + 1];
    float[] aa = acc[r0 + g];
    float[] ab = acc[r0 + g + 1];
    int tt = 0;
    for (; tt + 4 <= m; tt += 4) { // four tokens per pass over the accumulators
      float a0 = sa[tt];
      float a1 = sa[tt + 1];
      float a2 = sa[tt + 2];
      float a3 = sa[tt + 3];
      float b0 = sb[tt];
      float b1 = sb[tt + 1];
      float b2 = sb[tt + 2];
      float b3 = sb[tt + 3];
      float[] v0 = vT[tt];
      float[] v1 = vT[tt + 1];
      float[] v2 = vT[tt + 2];
      float[] v3 = vT[tt + 3];
      for (int i = 0; i < dv; i++) {
        float x0 = v0[i];
        float x1 = v1[i];
        float x2 = v2[i];
        float x3 = v3[i];
        aa[i] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        ab[i] += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
      }
    }
    for (; tt < m; tt++) {
      float a = sa[tt];
      float b = sb[tt];
      float[] vr = vT[tt];
      for (int i = 0; i < dv; i++) {
        float x = vr[i];
        aa[i] += a * x;
        ab[i] += b * x;
      }
    }
  }

  /** {@code acc[r0 + g] += sum over t of scores[g][t] * vT[t]}. */
  private void values1(int r0, int g, int m) {
    float[] sg = scores[g];
    float[] ag = acc[r0 + g];
    int tt = 0;
    for (; tt + 4 <= m; tt += 4) {
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
