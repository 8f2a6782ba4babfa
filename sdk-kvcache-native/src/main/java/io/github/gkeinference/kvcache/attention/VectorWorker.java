package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.internal.KvCodec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.jspecify.annotations.Nullable;

/**
 * The opt-in kernel on the incubating Vector API ({@code jdk.incubator.vector}, JEP 508). Only
 * loaded when that module is in the boot layer, so nothing here is touched without {@code
 * --add-modules jdk.incubator.vector}.
 *
 * <p>It reads K and V straight from the slab, once per call, widening them in registers: F32 as is;
 * BF16 by a shift; F16, FP8 E4M3 and FP8 E5M2 by moving their sign, exponent and mantissa bits into
 * a float's, which leaves the value a power of two too small (exact for zeros, subnormals and
 * normals; their infinities and NaNs become NaN); the scores and the output are multiplied by that
 * power once. With K stored {@code [dim][token]} in a block, the scores of {@code L} tokens ({@code
 * L} = lanes of the preferred float vector) are {@code headDim} multiply-adds of a K vector by a
 * broadcast query element, with no horizontal sums, and each broadcast feeds the K vectors of two
 * blocks; the V update is a multiply-add of a V vector by a broadcast probability. Up to four query
 * heads of a group are updated per K or V load. Per tile of two blocks it computes the scores of
 * every head, then the softmax step ({@code EXP} of the Vector API), then the V updates, so each
 * block's page is read front to back, the order a hardware prefetcher follows best.
 */
final class VectorWorker extends AttentionWorker {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  // Short and byte vectors with L lanes, or null where no such shape exists (the smallest vector is
  // 64 bits, so FP8 needs at least 8 float lanes; a very wide SVE vector may have no half shape).
  private static final @Nullable VectorSpecies<Short> S = species(short.class, L * 16);
  private static final @Nullable VectorSpecies<Byte> B = species(byte.class, L * 8);
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  /** Tokens per softmax tile, rounded down to whole blocks (at least one). */
  private static final int TILE = 32; // two blocks of 16: measured faster than 64 or 256

  private final KvDtype dtype;

  /**
   * What one stored unit is worth after {@link #load}: F16 and FP8 elements are widened with their
   * exponent bias left in ({@code 2^(127 - bias)} too small, exact as floats down to their
   * subnormals), and the scores and outputs are multiplied by this once instead of every element.
   */
  private final float unit;

  /** Whether a non-finite value was ever written to the cache (set per unit). */
  private boolean nanCheck;

  private final int tile;
  private final long[] tileBlocks;
  private final float[][] scores;

  private VectorWorker(KvCache cache, int group) {
    super(cache, group, cache.layout().numKvHeads() * group);
    this.dtype = layout.dtype();
    this.unit =
        switch (dtype) {
          case F32, BF16 -> 1f;
          case F16, FP8_E5M2 -> 0x1p112f; // 2^(127 - 15)
          case FP8_E4M3 -> 0x1p120f; // 2^(127 - 7)
        };
    this.tile = bs * Math.max(1, TILE / bs);
    this.tileBlocks = new long[tile / bs];
    this.scores = new float[layout.numKvHeads() * group][tile];
  }

  /**
   * Whether this kernel handles a layout: the block size must be a multiple of the vector's lanes,
   * and the dtype's elements must fit a vector of as many lanes (FP8 needs at least 8 lanes).
   */
  static boolean supports(KvCacheLayout layout) {
    int eb = layout.dtype().bytes();
    return layout.blockSize() % L == 0 && (eb != 2 || S != null) && (eb != 1 || B != null);
  }

  private static <E> @Nullable VectorSpecies<E> species(Class<E> type, int bits) {
    try {
      return VectorSpecies.of(type, VectorShape.forBitSize(bits));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static AttentionWorker create(KvCache cache, int group) {
    return new VectorWorker(cache, group);
  }

  /**
   * Tile by tile (up to 32 tokens of whole blocks): the scores of every query head of every KV head
   * of the unit, then the online softmax step of each, then the V update of each, so that each
   * block's page of this layer is read front to back (all K, then all V), which streams like a
   * sequential read. Rows {@code kvHead * group + g} of {@code qs}, {@code scores}, {@code acc},
   * {@code max} and {@code sum} belong to query head {@code g} of a KV head.
   */
  @Override
  void unit(int s, int fromHead, int toHead) {
    MemorySegment slab = cache.slab();
    nanCheck = cache.nonFiniteWritten();
    int seq = seqs[s];
    int n = cache.numTokens(seq);
    long blockBytes = layout.bytesPerBlock();
    int eb = dtype.bytes();
    long kRow = (long) bs * eb;
    long vRow = (long) dv * eb;
    begin(s, fromHead * group, fromHead * group, (toHead - fromHead) * group);
    int blocks = (n + bs - 1) / bs;
    int perTile = tile / bs;
    for (int b0 = 0; b0 < blocks; b0 += perTile) {
      int b1 = Math.min(blocks, b0 + perTile);
      int width = (b1 - b0) * bs;
      int m = Math.min(n, b1 * bs) - b0 * bs;
      for (int b = b0; b < b1; b++) {
        tileBlocks[b - b0] = cache.blockId(seq, b) * blockBytes;
      }
      // K of every head of the tile's blocks, then the softmax step, then V of every head: each
      // block's page of this layer is read front to back (all K, then all V).
      for (int h = fromHead; h < toHead; h++) {
        int r0 = h * group;
        long kOff = layout.kOffset(layer, h, 0, 0);
        for (int c = 0; c < width; c += L) {
          // tokens [c, c + L) and, when the tile has them, [c + L, c + 2L): two K vectors per query
          // element broadcast
          long ka = tileBlocks[c / bs] + kOff + (long) (c % bs) * eb;
          boolean two = c + L < width;
          long kb = two ? tileBlocks[(c + L) / bs] + kOff + (long) ((c + L) % bs) * eb : ka;
          int g = 0;
          for (; g + 4 <= group; g += 4) {
            scores4(slab, ka, kb, two, kRow, r0 + g, c);
          }
          for (; g < group; g++) {
            scores1(slab, ka, kRow, r0 + g, c);
            if (two) {
              scores1(slab, kb, kRow, r0 + g, c + L);
            }
          }
          if (two) {
            c += L;
          }
        }
      }
      for (int r = fromHead * group; r < toHead * group; r++) {
        Arrays.fill(scores[r], m, width, Float.NEGATIVE_INFINITY); // past the last token
        softmax(r, width);
      }
      for (int b = b0; b < b1; b++) {
        int col = (b - b0) * bs;
        int cnt = Math.min(bs, n - b * bs);
        for (int h = fromHead; h < toHead; h++) {
          int r0 = h * group;
          long vb = tileBlocks[b - b0] + layout.vOffset(layer, h, 0);
          int g = 0;
          for (; g + 4 <= group; g += 4) {
            values4(slab, vb, vRow, cnt, r0 + g, col);
          }
          for (; g < group; g++) {
            values1(slab, vb, vRow, cnt, r0 + g, col);
          }
        }
      }
    }
    finish(s, fromHead * group, fromHead * group, (toHead - fromHead) * group, unit);
  }

  /**
   * Scores of {@code L} tokens at {@code ka} (into columns {@code col ..}) and, if {@code two}, of
   * {@code L} more at {@code kb} (columns {@code col + L ..}) for query rows {@code r .. r + 3}:
   * each broadcast query element feeds two K vectors, eight independent multiply-add chains.
   */
  private void scores4(
      MemorySegment slab, long ka, long kb, boolean two, long kRow, int r, int col) {
    float[] q0 = qs[r];
    float[] q1 = qs[r + 1];
    float[] q2 = qs[r + 2];
    float[] q3 = qs[r + 3];
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector t0 = s0;
    FloatVector t1 = s0;
    FloatVector t2 = s0;
    FloatVector t3 = s0;
    long oa = ka;
    long ob = kb;
    for (int i = 0; i < d; i++, oa += kRow, ob += kRow) {
      FloatVector x = load(slab, oa);
      FloatVector y = load(slab, ob);
      FloatVector w0 = FloatVector.broadcast(F, q0[i]);
      FloatVector w1 = FloatVector.broadcast(F, q1[i]);
      FloatVector w2 = FloatVector.broadcast(F, q2[i]);
      FloatVector w3 = FloatVector.broadcast(F, q3[i]);
      s0 = x.fma(w0, s0);
      s1 = x.fma(w1, s1);
      s2 = x.fma(w2, s2);
      s3 = x.fma(w3, s3);
      t0 = y.fma(w0, t0);
      t1 = y.fma(w1, t1);
      t2 = y.fma(w2, t2);
      t3 = y.fma(w3, t3);
    }
    s0.mul(unit).intoArray(scores[r], col);
    s1.mul(unit).intoArray(scores[r + 1], col);
    s2.mul(unit).intoArray(scores[r + 2], col);
    s3.mul(unit).intoArray(scores[r + 3], col);
    if (two) {
      t0.mul(unit).intoArray(scores[r], col + L);
      t1.mul(unit).intoArray(scores[r + 1], col + L);
      t2.mul(unit).intoArray(scores[r + 2], col + L);
      t3.mul(unit).intoArray(scores[r + 3], col + L);
    }
  }

  /** Scores of {@code L} tokens for query row {@code r} into {@code scores[r]}. */
  private void scores1(MemorySegment slab, long off, long kRow, int r, int col) {
    float[] q0 = qs[r];
    FloatVector s0 = FloatVector.zero(F);
    FloatVector t0 = s0;
    long o = off;
    int i = 0;
    for (; i + 2 <= d; i += 2, o += 2 * kRow) {
      s0 = load(slab, o).fma(FloatVector.broadcast(F, q0[i]), s0);
      t0 = load(slab, o + kRow).fma(FloatVector.broadcast(F, q0[i + 1]), t0);
    }
    if (i < d) {
      s0 = load(slab, o).fma(FloatVector.broadcast(F, q0[i]), s0);
    }
    s0.add(t0).mul(unit).intoArray(scores[r], col);
  }

  /** Online softmax step: turns the tile's scores of query row {@code r} into weights. */
  private void softmax(int r, int width) {
    float[] sg = scores[r];
    FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int t = 0; t < width; t += L) {
      mv = mv.max(FloatVector.fromArray(F, sg, t));
    }
    float mx = mv.reduceLanes(VectorOperators.MAX);
    if (mx > max[r]) {
      float corr = (float) Math.exp(max[r] - mx);
      sum[r] *= corr;
      float[] ar = acc[r];
      int i = 0;
      for (; i + L <= dv; i += L) {
        FloatVector.fromArray(F, ar, i).mul(corr).intoArray(ar, i);
      }
      for (; i < dv; i++) {
        ar[i] *= corr;
      }
      max[r] = mx;
    }
    float m = max[r];
    FloatVector total = FloatVector.zero(F);
    for (int t = 0; t < width; t += L) {
      FloatVector p = FloatVector.fromArray(F, sg, t).sub(m).lanewise(VectorOperators.EXP);
      p.intoArray(sg, t);
      total = total.add(p);
    }
    sum[r] += total.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code acc[r .. r + 3] += sum over cnt tokens of weight * V} for one block: two vectors of
   * dimensions at a time (eight independent chains), then the last whole vector, then the
   * dimensions past it one by one.
   */
  private void values4(MemorySegment slab, long off, long vRow, int cnt, int r, int col) {
    float[] p0 = scores[r];
    float[] p1 = scores[r + 1];
    float[] p2 = scores[r + 2];
    float[] p3 = scores[r + 3];
    float[] a0 = acc[r];
    float[] a1 = acc[r + 1];
    float[] a2 = acc[r + 2];
    float[] a3 = acc[r + 3];
    int eb = dtype.bytes();
    int c = 0;
    for (; c + 2 * L <= dv; c += 2 * L) {
      FloatVector x0 = FloatVector.fromArray(F, a0, c);
      FloatVector x1 = FloatVector.fromArray(F, a1, c);
      FloatVector x2 = FloatVector.fromArray(F, a2, c);
      FloatVector x3 = FloatVector.fromArray(F, a3, c);
      FloatVector y0 = FloatVector.fromArray(F, a0, c + L);
      FloatVector y1 = FloatVector.fromArray(F, a1, c + L);
      FloatVector y2 = FloatVector.fromArray(F, a2, c + L);
      FloatVector y3 = FloatVector.fromArray(F, a3, c + L);
      long o = off + (long) c * eb;
      long o2 = o + (long) L * eb;
      for (int t = col; t < col + cnt; t++, o += vRow, o2 += vRow) {
        FloatVector v = load(slab, o);
        FloatVector v2 = load(slab, o2);
        FloatVector w0 = FloatVector.broadcast(F, p0[t]);
        FloatVector w1 = FloatVector.broadcast(F, p1[t]);
        FloatVector w2 = FloatVector.broadcast(F, p2[t]);
        FloatVector w3 = FloatVector.broadcast(F, p3[t]);
        x0 = v.fma(w0, x0);
        x1 = v.fma(w1, x1);
        x2 = v.fma(w2, x2);
        x3 = v.fma(w3, x3);
        y0 = v2.fma(w0, y0);
        y1 = v2.fma(w1, y1);
        y2 = v2.fma(w2, y2);
        y3 = v2.fma(w3, y3);
      }
      x0.intoArray(a0, c);
      x1.intoArray(a1, c);
      x2.intoArray(a2, c);
      x3.intoArray(a3, c);
      y0.intoArray(a0, c + L);
      y1.intoArray(a1, c + L);
      y2.intoArray(a2, c + L);
      y3.intoArray(a3, c + L);
    }
    if (c + L <= dv) {
      FloatVector x0 = FloatVector.fromArray(F, a0, c);
      FloatVector x1 = FloatVector.fromArray(F, a1, c);
      FloatVector x2 = FloatVector.fromArray(F, a2, c);
      FloatVector x3 = FloatVector.fromArray(F, a3, c);
      long o = off + (long) c * eb;
      for (int t = col; t < col + cnt; t++, o += vRow) {
        FloatVector v = load(slab, o);
        x0 = v.fma(FloatVector.broadcast(F, p0[t]), x0);
        x1 = v.fma(FloatVector.broadcast(F, p1[t]), x1);
        x2 = v.fma(FloatVector.broadcast(F, p2[t]), x2);
        x3 = v.fma(FloatVector.broadcast(F, p3[t]), x3);
      }
      x0.intoArray(a0, c);
      x1.intoArray(a1, c);
      x2.intoArray(a2, c);
      x3.intoArray(a3, c);
      c += L;
    }
    tail(slab, off, vRow, cnt, r, col, c, 4);
  }

  /** {@code acc[r] += sum over cnt tokens of weight * V} for one block. */
  private void values1(MemorySegment slab, long off, long vRow, int cnt, int r, int col) {
    float[] p0 = scores[r];
    float[] a0 = acc[r];
    int eb = dtype.bytes();
    int c = 0;
    for (; c + 2 * L <= dv; c += 2 * L) {
      FloatVector x0 = FloatVector.fromArray(F, a0, c);
      FloatVector y0 = FloatVector.fromArray(F, a0, c + L);
      long o = off + (long) c * eb;
      long o2 = o + (long) L * eb;
      for (int t = col; t < col + cnt; t++, o += vRow, o2 += vRow) {
        FloatVector w0 = FloatVector.broadcast(F, p0[t]);
        x0 = load(slab, o).fma(w0, x0);
        y0 = load(slab, o2).fma(w0, y0);
      }
      x0.intoArray(a0, c);
      y0.intoArray(a0, c + L);
    }
    if (c + L <= dv) {
      FloatVector x0 = FloatVector.fromArray(F, a0, c);
      long o = off + (long) c * eb;
      for (int t = col; t < col + cnt; t++, o += vRow) {
        x0 = load(slab, o).fma(FloatVector.broadcast(F, p0[t]), x0);
      }
      x0.intoArray(a0, c);
      c += L;
    }
    tail(slab, off, vRow, cnt, r, col, c, 1);
  }

  /** Dimensions {@code [from, dv)} (past the last whole vector) of {@code heads} rows, scalar. */
  private void tail(
      MemorySegment slab, long off, long vRow, int cnt, int r, int col, int from, int heads) {
    int eb = dtype.bytes();
    for (int c = from; c < dv; c++) {
      for (int t = 0; t < cnt; t++) {
        float x = KvCodec.load(slab, off + t * vRow + (long) c * eb, dtype) / unit;
        for (int j = 0; j < heads; j++) {
          acc[r + j][c] += scores[r + j][col + t] * x;
        }
      }
    }
  }

  /** {@code L} stored elements at {@code off}, widened to float (not scaled). */
  private FloatVector load(MemorySegment slab, long off) {
    return switch (dtype) {
      case F32 -> FloatVector.fromMemorySegment(F, slab, off, NATIVE);
      case BF16 -> shorts(slab, off).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
      // fp16 s.eeeee.mmmmmmmmmm: magnitude bits to float bits 13..27, sign to 31, then * 2^(127-15)
      case F16 -> special(shorts(slab, off), 13, 0x8FFFE000, 0x7C00);
      // e4m3 s.eeee.mmm: magnitude to bits 20..26, sign to 31, * 2^(127-7); NaN is s.1111.111
      case FP8_E4M3 -> special(bytes(slab, off), 20, 0x87F00000, 0x7F);
      // e5m2 s.eeeee.mm (the high byte of an fp16): magnitude to bits 21..27, * 2^(127-15)
      case FP8_E5M2 -> special(bytes(slab, off), 21, 0x8FE00000, 0x7C);
    };
  }

  private static IntVector shorts(MemorySegment slab, long off) {
    VectorSpecies<Short> s = S;
    if (s == null) {
      throw new IllegalStateException("no short vector of " + L + " lanes"); // excluded by supports
    }
    return (IntVector) ShortVector.fromMemorySegment(s, slab, off, NATIVE).castShape(I, 0);
  }

  private static IntVector bytes(MemorySegment slab, long off) {
    VectorSpecies<Byte> b = B;
    if (b == null) {
      throw new IllegalStateException("FP8 needs at least 8 float lanes"); // excluded by supports
    }
    return (IntVector) ByteVector.fromMemorySegment(b, slab, off, NATIVE).castShape(I, 0);
  }

  /**
   * Widens sign-extended small floats: shifts the bits into place, masks sign and magnitude,
   * reinterprets (the result is {@link #unit} times too small); lanes whose bits under {@code
   * nanMask} are all set become NaN. Those bit patterns are only stored for non-finite inputs, so
   * the check is skipped while {@link KvCache#nonFiniteWritten()} is false.
   */
  private FloatVector special(IntVector x, int shift, int mask, int nanMask) {
    FloatVector f =
        x.lanewise(VectorOperators.LSHL, shift)
            .lanewise(VectorOperators.AND, mask)
            .reinterpretAsFloats();
    if (!nanCheck) {
      return f; // no infinity or NaN was ever stored
    }
    VectorMask<Integer> nan = x.lanewise(VectorOperators.AND, nanMask).eq(nanMask);
    return f.blend(Float.NaN, nan.cast(F));
  }
}
