package io.github.gkeinference.kvcache.attention;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.internal.KvCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * blocks; the V update is a multiply-add of a V vector by a broadcast probability. Each K or V
 * vector is loaded and widened once for up to eight query heads of its group (with AVX-512's 32
 * registers; four with fewer lanes), so a group of 8 widens half as often as two passes of four;
 * for F32, V rows are instead read whole, once, for two heads at a time ({@link #values2w}), which
 * streams better than a row visited four times at a stride. Per tile of two blocks it computes the
 * scores of every head, then the softmax step, then the V updates, so each block's page is read
 * front to back, the order a hardware prefetcher follows best. The softmax step reduces the running
 * max across lanes only when the tile exceeds it and keeps the denominator as per-lane partial
 * sums. The score loops also load a byte of the V rows of their tokens per K row ({@link
 * #touching}), so V streams in with K. Each dtype runs in a hidden copy of this class whose dtype
 * is a constant ({@link #DTYPE}, {@link #create}).
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

  /**
   * The dtype this copy of the class computes: every dtype runs in a hidden class of its own,
   * defined from this class's bytes with the dtype as class data ({@link #create}). Being a static
   * final, it is a constant to C2, so {@link #load} compiles to one dtype's widening with no
   * branch, and each copy's methods gather their own profile. With one class for all dtypes, a JVM
   * that decoded a second dtype recompiled the hot loops for both and ran 4 to over 100 times
   * slower (module README, "Kernel design"). Null only in the class as loaded, which is never
   * instantiated.
   */
  private static final @Nullable KvDtype DTYPE = classData();

  /** Bytes per stored element of {@link #DTYPE}. */
  private static final int EB = DTYPE == null ? 0 : DTYPE.bytes();

  /**
   * What one stored unit is worth after {@link #load}: F16 and FP8 elements are widened with their
   * exponent bias left in ({@code 2^(127 - bias)} too small, exact as floats down to their
   * subnormals), and the scores and outputs are multiplied by this once instead of every element.
   */
  private static final float UNIT =
      DTYPE == KvDtype.F16 || DTYPE == KvDtype.FP8_E5M2
          ? 0x1p112f // 2^(127 - 15)
          : DTYPE == KvDtype.FP8_E4M3 ? 0x1p120f : 1f; // 2^(127 - 7)

  /**
   * The constructor of each dtype's hidden copy of this class, by ordinal, defined on first use.
   */
  private static final @Nullable MethodHandle[] CONSTRUCTORS =
      new MethodHandle[KvDtype.values().length];

  /** Whether a non-finite value was ever written to the cache (set per unit). */
  private boolean nanCheck;

  private final int tile;
  private final long[] tileBlocks;

  /**
   * Whether V is read in whole rows ({@link #values2w}): F32 (whose loads are plain vector loads;
   * with the widening of the other dtypes, eight loads in one loop exceed what C2 inlines, and a
   * widened scratch copy measured slower), {@code dv} a multiple of {@code 8 L}, and no group of
   * eight (those use {@link #values8}).
   */
  private final boolean rows;

  private final float[][] scores;

  /**
   * Whether the score loops also read V. A per-head V update reads one block's rows (16 rows of
   * {@code dv} elements) in a short loop, and neither that nor any order of it tried overlapped
   * with the arithmetic: a probe of the kernel's access pattern took about read + compute. The K
   * loop streams one row per step and did overlap, so it also loads one byte of the V rows of the
   * same tokens per K row, at the same offset from V's start as from K's: V then comes from memory
   * at the pace of K, and the V update finds it in the cache (12-27% shorter calls end to end, 4-9%
   * longer when K/V are already cached). The touches stay inside those V rows when they are at
   * least as long as the K rows read ({@code L * dv >= headDim * blockSize}: with blocks of {@code
   * L} tokens and {@code dv == headDim}); otherwise the loops touch K itself.
   */
  private final boolean touching;

  /** Sum of the touched bytes, written so that C2 keeps the loads. */
  @SuppressWarnings("unused")
  private int touchSink;

  /** Per query row: the softmax denominator as {@code L} partial sums, reduced once per unit. */
  private final float[][] sums;

  /**
   * Whether eight query heads share each K or V load ({@link #scores8}, {@link #values8}): with 16
   * or more float lanes (AVX-512), whose 32 registers hold the 16 accumulators; with fewer, a group
   * of eight is two passes of four.
   */
  private static final boolean EIGHT = L >= 16;

  private VectorWorker(KvCache cache, int group) {
    super(cache, group, cache.layout().numKvHeads() * group);
    if (layout.dtype() != DTYPE) { // only the copy defined for the layout's dtype (create)
      throw new IllegalStateException("worker for " + DTYPE + ", layout " + layout.dtype());
    }
    this.tile = bs * Math.max(1, TILE / bs);
    this.tileBlocks = new long[tile / bs];
    this.rows = DTYPE == KvDtype.F32 && dv % (8 * L) == 0 && !(EIGHT && group % 8 == 0);
    this.scores = new float[layout.numKvHeads() * group][tile];
    this.touching = (long) L * dv >= (long) d * bs;
    this.sums = new float[layout.numKvHeads() * group][L];
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

  /**
   * A worker of the copy of this class for the cache's dtype: a hidden class defined from this
   * class's bytes once per dtype, with the dtype as its class data ({@link #DTYPE}).
   */
  static AttentionWorker create(KvCache cache, int group) {
    try {
      return (AttentionWorker) constructor(cache.layout().dtype()).invokeExact(cache, group);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e); // the constructor declares no checked exception
    }
  }

  private static synchronized MethodHandle constructor(KvDtype dtype) {
    MethodHandle c = CONSTRUCTORS[dtype.ordinal()];
    if (c == null) {
      try {
        byte[] bytes = classBytes;
        if (bytes == null) {
          bytes = readClassBytes();
          classBytes = bytes;
        }
        MethodHandles.Lookup copy =
            MethodHandles.lookup().defineHiddenClassWithClassData(bytes, dtype, true);
        c =
            copy.findConstructor(
                    copy.lookupClass(), MethodType.methodType(void.class, KvCache.class, int.class))
                .asType(MethodType.methodType(AttentionWorker.class, KvCache.class, int.class));
      } catch (IOException | ReflectiveOperationException e) {
        throw new IllegalStateException("cannot define the " + dtype + " vector kernel", e);
      }
      CONSTRUCTORS[dtype.ordinal()] = c;
    }
    return c;
  }

  /** This class's bytes, read once for all dtypes' copies (guarded by the class lock). */
  private static byte @Nullable [] classBytes;

  private static byte[] readClassBytes() throws IOException {
    try (InputStream in = VectorWorker.class.getResourceAsStream("VectorWorker.class")) {
      if (in == null) {
        throw new IllegalStateException("VectorWorker.class is not readable as a resource");
      }
      return in.readAllBytes();
    }
  }

  private static @Nullable KvDtype classData() {
    try {
      return MethodHandles.classData(
          MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, KvDtype.class);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e); // a class's own lookup has full access
    }
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
    int eb = EB;
    long kRow = (long) bs * eb;
    long vRow = (long) dv * eb;
    begin(s, fromHead * group, fromHead * group, (toHead - fromHead) * group);
    for (int r = fromHead * group; r < toHead * group; r++) {
      Arrays.fill(sums[r], 0f);
    }
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
        long vOff = layout.vOffset(layer, h, 0);
        for (int c = 0; c < width; c += L) {
          // tokens [c, c + L) and, when the tile has them, [c + L, c + 2L): two K vectors per query
          // element broadcast
          long ka = tileBlocks[c / bs] + kOff + (long) (c % bs) * eb;
          boolean two = c + L < width;
          long kb = two ? tileBlocks[(c + L) / bs] + kOff + (long) ((c + L) % bs) * eb : ka;
          // From K to the V rows of the same tokens, touched by the first call (touching); later
          // calls for the same tokens touch K itself, which is in the cache.
          long da = touching ? tileBlocks[c / bs] + vOff + (c % bs) * vRow - ka : 0;
          long db =
              touching && two ? tileBlocks[(c + L) / bs] + vOff + ((c + L) % bs) * vRow - kb : 0;
          int g = 0;
          if (EIGHT) {
            for (; g + 8 <= group; g += 8, da = 0, db = 0) {
              scores8(slab, ka, kb, kRow, r0 + g, c, da, db);
            }
          }
          for (; g + 4 <= group; g += 4, da = 0, db = 0) {
            scores4(slab, ka, kb, kRow, r0 + g, c, da, db);
          }
          for (; g < group; g++, da = 0, db = 0) {
            scores1(slab, ka, kRow, r0 + g, c, da);
            if (two) {
              scores1(slab, kb, kRow, r0 + g, c + L, db);
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
          if (EIGHT) {
            for (; g + 8 <= group; g += 8) {
              values8(slab, vb, vRow, cnt, r0 + g, col);
            }
          }
          if (rows) { // F32 rows front to back, two query heads per pass over the block's rows
            for (; g + 2 <= group; g += 2) {
              values2w(slab, vb, vRow, cnt, r0 + g, col);
            }
          }
          for (; g + 4 <= group; g += 4) {
            values4(slab, vb, vRow, cnt, r0 + g, col, 0);
          }
          for (; g < group; g++) {
            values1(slab, vb, vRow, cnt, r0 + g, col);
          }
        }
      }
    }
    for (int r = fromHead * group; r < toHead * group; r++) {
      sum[r] = FloatVector.fromArray(F, sums[r], 0).reduceLanes(VectorOperators.ADD);
    }
    finish(s, fromHead * group, fromHead * group, (toHead - fromHead) * group, UNIT);
  }

  /**
   * The queries into the scratch rows and the accumulators into the output with vector loads and
   * stores: the inherited loop stays scalar, and with many short sequences per call (512 of 64
   * tokens in {@code PagedAttentionComputeVectorBenchmark}) it took about a third of the call.
   */
  @Override
  void scale(float[] src, int srcOff, float[] dst, int dstOff, int n, float f) {
    int i = 0;
    for (; i + L <= n; i += L) {
      FloatVector.fromArray(F, src, srcOff + i).mul(f).intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = src[srcOff + i] * f;
    }
  }

  /**
   * Scores of {@code L} tokens at {@code ka} (into columns {@code col ..}) and, if {@code kb}
   * differs from it, of {@code L} more at {@code kb} (columns {@code col + L ..}) for query rows
   * {@code r .. r + 3}: each broadcast query element feeds two K vectors, eight independent
   * multiply-add chains. Per K row it also loads a byte at {@code da} and {@code db} from the K
   * row's offset ({@link #touching}; 0 reads K again).
   */
  private void scores4(
      MemorySegment slab, long ka, long kb, long kRow, int r, int col, long da, long db) {
    boolean two = kb != ka; // the second tokens are there
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
    int touched = 0;
    for (int i = 0; i < d; i++, oa += kRow, ob += kRow) {
      touched +=
          slab.get(ValueLayout.JAVA_BYTE, oa + da) + slab.get(ValueLayout.JAVA_BYTE, ob + db);
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
    touchSink += touched;
    s0.mul(UNIT).intoArray(scores[r], col);
    s1.mul(UNIT).intoArray(scores[r + 1], col);
    s2.mul(UNIT).intoArray(scores[r + 2], col);
    s3.mul(UNIT).intoArray(scores[r + 3], col);
    if (two) {
      t0.mul(UNIT).intoArray(scores[r], col + L);
      t1.mul(UNIT).intoArray(scores[r + 1], col + L);
      t2.mul(UNIT).intoArray(scores[r + 2], col + L);
      t3.mul(UNIT).intoArray(scores[r + 3], col + L);
    }
  }

  /**
   * {@link #scores4} for query rows {@code r .. r + 7}: each K vector is loaded and widened once
   * for eight heads, sixteen independent multiply-add chains.
   */
  private void scores8(
      MemorySegment slab, long ka, long kb, long kRow, int r, int col, long da, long db) {
    boolean two = kb != ka; // the second tokens are there
    float[] q0 = qs[r];
    float[] q1 = qs[r + 1];
    float[] q2 = qs[r + 2];
    float[] q3 = qs[r + 3];
    float[] q4 = qs[r + 4];
    float[] q5 = qs[r + 5];
    float[] q6 = qs[r + 6];
    float[] q7 = qs[r + 7];
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    FloatVector t0 = s0;
    FloatVector t1 = s0;
    FloatVector t2 = s0;
    FloatVector t3 = s0;
    FloatVector t4 = s0;
    FloatVector t5 = s0;
    FloatVector t6 = s0;
    FloatVector t7 = s0;
    long oa = ka;
    long ob = kb;
    int touched = 0;
    for (int i = 0; i < d; i++, oa += kRow, ob += kRow) {
      touched +=
          slab.get(ValueLayout.JAVA_BYTE, oa + da) + slab.get(ValueLayout.JAVA_BYTE, ob + db);
      FloatVector x = load(slab, oa);
      FloatVector y = load(slab, ob);
      FloatVector w = FloatVector.broadcast(F, q0[i]);
      s0 = x.fma(w, s0);
      t0 = y.fma(w, t0);
      w = FloatVector.broadcast(F, q1[i]);
      s1 = x.fma(w, s1);
      t1 = y.fma(w, t1);
      w = FloatVector.broadcast(F, q2[i]);
      s2 = x.fma(w, s2);
      t2 = y.fma(w, t2);
      w = FloatVector.broadcast(F, q3[i]);
      s3 = x.fma(w, s3);
      t3 = y.fma(w, t3);
      w = FloatVector.broadcast(F, q4[i]);
      s4 = x.fma(w, s4);
      t4 = y.fma(w, t4);
      w = FloatVector.broadcast(F, q5[i]);
      s5 = x.fma(w, s5);
      t5 = y.fma(w, t5);
      w = FloatVector.broadcast(F, q6[i]);
      s6 = x.fma(w, s6);
      t6 = y.fma(w, t6);
      w = FloatVector.broadcast(F, q7[i]);
      s7 = x.fma(w, s7);
      t7 = y.fma(w, t7);
    }
    touchSink += touched;
    s0.mul(UNIT).intoArray(scores[r], col);
    s1.mul(UNIT).intoArray(scores[r + 1], col);
    s2.mul(UNIT).intoArray(scores[r + 2], col);
    s3.mul(UNIT).intoArray(scores[r + 3], col);
    s4.mul(UNIT).intoArray(scores[r + 4], col);
    s5.mul(UNIT).intoArray(scores[r + 5], col);
    s6.mul(UNIT).intoArray(scores[r + 6], col);
    s7.mul(UNIT).intoArray(scores[r + 7], col);
    if (two) {
      t0.mul(UNIT).intoArray(scores[r], col + L);
      t1.mul(UNIT).intoArray(scores[r + 1], col + L);
      t2.mul(UNIT).intoArray(scores[r + 2], col + L);
      t3.mul(UNIT).intoArray(scores[r + 3], col + L);
      t4.mul(UNIT).intoArray(scores[r + 4], col + L);
      t5.mul(UNIT).intoArray(scores[r + 5], col + L);
      t6.mul(UNIT).intoArray(scores[r + 6], col + L);
      t7.mul(UNIT).intoArray(scores[r + 7], col + L);
    }
  }

  /**
   * Scores of {@code L} tokens for query row {@code r} into {@code scores[r]}, touching a byte at
   * {@code toV} from each K row ({@link #touching}).
   */
  private void scores1(MemorySegment slab, long off, long kRow, int r, int col, long toV) {
    float[] q0 = qs[r];
    FloatVector s0 = FloatVector.zero(F);
    FloatVector t0 = s0;
    long o = off;
    int touched = 0;
    int i = 0;
    for (; i + 2 <= d; i += 2, o += 2 * kRow) {
      touched += slab.get(ValueLayout.JAVA_BYTE, o + toV);
      touched += slab.get(ValueLayout.JAVA_BYTE, o + kRow + toV);
      s0 = load(slab, o).fma(FloatVector.broadcast(F, q0[i]), s0);
      t0 = load(slab, o + kRow).fma(FloatVector.broadcast(F, q0[i + 1]), t0);
    }
    if (i < d) {
      s0 = load(slab, o).fma(FloatVector.broadcast(F, q0[i]), s0);
    }
    touchSink += touched;
    s0.add(t0).mul(UNIT).intoArray(scores[r], col);
  }

  /**
   * Online softmax step: turns the tile's scores of query row {@code r} into weights. The running
   * max is reduced across lanes only when a lane of the tile exceeds it (after the first tiles,
   * rarely), and the denominator is kept as {@code L} partial sums ({@code EXP} of the Vector API
   * for the exponentials: an inline polynomial as in {@link ScalarWorker} was not measurably faster
   * here).
   */
  private void softmax(int r, int width) {
    float[] sg = scores[r];
    FloatVector mv = FloatVector.fromArray(F, sg, 0);
    for (int t = L; t < width; t += L) {
      mv = mv.max(FloatVector.fromArray(F, sg, t));
    }
    float m = max[r];
    FloatVector total = FloatVector.fromArray(F, sums[r], 0);
    if (mv.compare(VectorOperators.GT, m).anyTrue()) {
      float mx = mv.reduceLanes(VectorOperators.MAX); // > m; a NaN lane never gets here
      float corr = (float) Math.exp(m - mx);
      total = total.mul(corr);
      float[] ar = acc[r];
      int i = 0;
      for (; i + L <= dv; i += L) {
        FloatVector.fromArray(F, ar, i).mul(corr).intoArray(ar, i);
      }
      for (; i < dv; i++) {
        ar[i] *= corr;
      }
      max[r] = mx;
      m = mx;
    }
    for (int t = 0; t < width; t += L) {
      FloatVector p = FloatVector.fromArray(F, sg, t).sub(m).lanewise(VectorOperators.EXP);
      p.intoArray(sg, t);
      total = total.add(p);
    }
    total.intoArray(sums[r], 0);
  }

  /**
   * {@code acc[r .. r + 3] += sum over cnt tokens of weight * V} for one block, dimensions {@code
   * [from, dv)}: four vectors of dimensions at a time (sixteen independent chains; a 128-dimension
   * row in two passes, which streamed 3-12% faster end to end than four passes of two vectors),
   * then two, then the last whole vector, then the dimensions past it one by one.
   */
  private void values4(MemorySegment slab, long off, long vRow, int cnt, int r, int col, int from) {
    float[] p0 = scores[r];
    float[] p1 = scores[r + 1];
    float[] p2 = scores[r + 2];
    float[] p3 = scores[r + 3];
    float[] a0 = acc[r];
    float[] a1 = acc[r + 1];
    float[] a2 = acc[r + 2];
    float[] a3 = acc[r + 3];
    int eb = EB;
    int c = from;
    for (; c + 4 * L <= dv; c += 4 * L) {
      FloatVector x0 = FloatVector.fromArray(F, a0, c);
      FloatVector x1 = FloatVector.fromArray(F, a1, c);
      FloatVector x2 = FloatVector.fromArray(F, a2, c);
      FloatVector x3 = FloatVector.fromArray(F, a3, c);
      FloatVector y0 = FloatVector.fromArray(F, a0, c + L);
      FloatVector y1 = FloatVector.fromArray(F, a1, c + L);
      FloatVector y2 = FloatVector.fromArray(F, a2, c + L);
      FloatVector y3 = FloatVector.fromArray(F, a3, c + L);
      FloatVector z0 = FloatVector.fromArray(F, a0, c + 2 * L);
      FloatVector z1 = FloatVector.fromArray(F, a1, c + 2 * L);
      FloatVector z2 = FloatVector.fromArray(F, a2, c + 2 * L);
      FloatVector z3 = FloatVector.fromArray(F, a3, c + 2 * L);
      FloatVector u0 = FloatVector.fromArray(F, a0, c + 3 * L);
      FloatVector u1 = FloatVector.fromArray(F, a1, c + 3 * L);
      FloatVector u2 = FloatVector.fromArray(F, a2, c + 3 * L);
      FloatVector u3 = FloatVector.fromArray(F, a3, c + 3 * L);
      long o = off + (long) c * eb;
      long step = (long) L * eb;
      for (int t = col; t < col + cnt; t++, o += vRow) {
        FloatVector v = load(slab, o);
        FloatVector v2 = load(slab, o + step);
        FloatVector v3 = load(slab, o + 2 * step);
        FloatVector v4 = load(slab, o + 3 * step);
        FloatVector w = FloatVector.broadcast(F, p0[t]);
        x0 = v.fma(w, x0);
        y0 = v2.fma(w, y0);
        z0 = v3.fma(w, z0);
        u0 = v4.fma(w, u0);
        w = FloatVector.broadcast(F, p1[t]);
        x1 = v.fma(w, x1);
        y1 = v2.fma(w, y1);
        z1 = v3.fma(w, z1);
        u1 = v4.fma(w, u1);
        w = FloatVector.broadcast(F, p2[t]);
        x2 = v.fma(w, x2);
        y2 = v2.fma(w, y2);
        z2 = v3.fma(w, z2);
        u2 = v4.fma(w, u2);
        w = FloatVector.broadcast(F, p3[t]);
        x3 = v.fma(w, x3);
        y3 = v2.fma(w, y3);
        z3 = v3.fma(w, z3);
        u3 = v4.fma(w, u3);
      }
      x0.intoArray(a0, c);
      x1.intoArray(a1, c);
      x2.intoArray(a2, c);
      x3.intoArray(a3, c);
      y0.intoArray(a0, c + L);
      y1.intoArray(a1, c + L);
      y2.intoArray(a2, c + L);
      y3.intoArray(a3, c + L);
      z0.intoArray(a0, c + 2 * L);
      z1.intoArray(a1, c + 2 * L);
      z2.intoArray(a2, c + 2 * L);
      z3.intoArray(a3, c + 2 * L);
      u0.intoArray(a0, c + 3 * L);
      u1.intoArray(a1, c + 3 * L);
      u2.intoArray(a2, c + 3 * L);
      u3.intoArray(a3, c + 3 * L);
    }
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

  /**
   * {@code acc[r .. r + 7] += sum over cnt tokens of weight * V} for one block: each V vector is
   * loaded and widened once for eight heads; two vectors of dimensions at a time (sixteen
   * independent chains), then the last whole vector, then the dimensions past it one by one.
   */
  private void values8(MemorySegment slab, long off, long vRow, int cnt, int r, int col) {
    float[] p0 = scores[r];
    float[] p1 = scores[r + 1];
    float[] p2 = scores[r + 2];
    float[] p3 = scores[r + 3];
    float[] p4 = scores[r + 4];
    float[] p5 = scores[r + 5];
    float[] p6 = scores[r + 6];
    float[] p7 = scores[r + 7];
    int eb = EB;
    int c = 0;
    for (; c + 2 * L <= dv; c += 2 * L) {
      FloatVector x0 = FloatVector.fromArray(F, acc[r], c);
      FloatVector x1 = FloatVector.fromArray(F, acc[r + 1], c);
      FloatVector x2 = FloatVector.fromArray(F, acc[r + 2], c);
      FloatVector x3 = FloatVector.fromArray(F, acc[r + 3], c);
      FloatVector x4 = FloatVector.fromArray(F, acc[r + 4], c);
      FloatVector x5 = FloatVector.fromArray(F, acc[r + 5], c);
      FloatVector x6 = FloatVector.fromArray(F, acc[r + 6], c);
      FloatVector x7 = FloatVector.fromArray(F, acc[r + 7], c);
      FloatVector y0 = FloatVector.fromArray(F, acc[r], c + L);
      FloatVector y1 = FloatVector.fromArray(F, acc[r + 1], c + L);
      FloatVector y2 = FloatVector.fromArray(F, acc[r + 2], c + L);
      FloatVector y3 = FloatVector.fromArray(F, acc[r + 3], c + L);
      FloatVector y4 = FloatVector.fromArray(F, acc[r + 4], c + L);
      FloatVector y5 = FloatVector.fromArray(F, acc[r + 5], c + L);
      FloatVector y6 = FloatVector.fromArray(F, acc[r + 6], c + L);
      FloatVector y7 = FloatVector.fromArray(F, acc[r + 7], c + L);
      long o = off + (long) c * eb;
      long o2 = o + (long) L * eb;
      for (int t = col; t < col + cnt; t++, o += vRow, o2 += vRow) {
        FloatVector v = load(slab, o);
        FloatVector v2 = load(slab, o2);
        FloatVector w = FloatVector.broadcast(F, p0[t]);
        x0 = v.fma(w, x0);
        y0 = v2.fma(w, y0);
        w = FloatVector.broadcast(F, p1[t]);
        x1 = v.fma(w, x1);
        y1 = v2.fma(w, y1);
        w = FloatVector.broadcast(F, p2[t]);
        x2 = v.fma(w, x2);
        y2 = v2.fma(w, y2);
        w = FloatVector.broadcast(F, p3[t]);
        x3 = v.fma(w, x3);
        y3 = v2.fma(w, y3);
        w = FloatVector.broadcast(F, p4[t]);
        x4 = v.fma(w, x4);
        y4 = v2.fma(w, y4);
        w = FloatVector.broadcast(F, p5[t]);
        x5 = v.fma(w, x5);
        y5 = v2.fma(w, y5);
        w = FloatVector.broadcast(F, p6[t]);
        x6 = v.fma(w, x6);
        y6 = v2.fma(w, y6);
        w = FloatVector.broadcast(F, p7[t]);
        x7 = v.fma(w, x7);
        y7 = v2.fma(w, y7);
      }
      x0.intoArray(acc[r], c);
      x1.intoArray(acc[r + 1], c);
      x2.intoArray(acc[r + 2], c);
      x3.intoArray(acc[r + 3], c);
      x4.intoArray(acc[r + 4], c);
      x5.intoArray(acc[r + 5], c);
      x6.intoArray(acc[r + 6], c);
      x7.intoArray(acc[r + 7], c);
      y0.intoArray(acc[r], c + L);
      y1.intoArray(acc[r + 1], c + L);
      y2.intoArray(acc[r + 2], c + L);
      y3.intoArray(acc[r + 3], c + L);
      y4.intoArray(acc[r + 4], c + L);
      y5.intoArray(acc[r + 5], c + L);
      y6.intoArray(acc[r + 6], c + L);
      y7.intoArray(acc[r + 7], c + L);
    }
    if (c < dv) { // the dimensions past the last pair of vectors, four heads at a time
      values4(slab, off, vRow, cnt, r, col, c);
      values4(slab, off, vRow, cnt, r + 4, col, c);
    }
  }

  /**
   * {@code acc[r], acc[r + 1] += sum over cnt tokens of weight * V} for one block of F32 rows of
   * {@code rowBytes} at {@code off} in {@code src}, {@code 8 L} dimensions at a time (sixteen
   * independent chains). With {@code dv == 8 L} (128 with AVX-512) each token's row is read front
   * to back in one pass, so the block's V streams like a sequential read; walking it two vectors of
   * dimensions at a time for four heads ({@link #values4}) visits every row four times at a stride
   * and measured 12-16% slower end to end.
   */
  private void values2w(MemorySegment src, long off, long rowBytes, int cnt, int r, int col) {
    float[] p0 = scores[r];
    float[] p1 = scores[r + 1];
    float[] a0 = acc[r];
    float[] a1 = acc[r + 1];
    long step = (long) L * Float.BYTES;
    int c = 0;
    for (; c + 8 * L <= dv; c += 8 * L) {
      FloatVector x0 = FloatVector.fromArray(F, a0, c);
      FloatVector x1 = FloatVector.fromArray(F, a0, c + L);
      FloatVector x2 = FloatVector.fromArray(F, a0, c + 2 * L);
      FloatVector x3 = FloatVector.fromArray(F, a0, c + 3 * L);
      FloatVector x4 = FloatVector.fromArray(F, a0, c + 4 * L);
      FloatVector x5 = FloatVector.fromArray(F, a0, c + 5 * L);
      FloatVector x6 = FloatVector.fromArray(F, a0, c + 6 * L);
      FloatVector x7 = FloatVector.fromArray(F, a0, c + 7 * L);
      FloatVector y0 = FloatVector.fromArray(F, a1, c);
      FloatVector y1 = FloatVector.fromArray(F, a1, c + L);
      FloatVector y2 = FloatVector.fromArray(F, a1, c + 2 * L);
      FloatVector y3 = FloatVector.fromArray(F, a1, c + 3 * L);
      FloatVector y4 = FloatVector.fromArray(F, a1, c + 4 * L);
      FloatVector y5 = FloatVector.fromArray(F, a1, c + 5 * L);
      FloatVector y6 = FloatVector.fromArray(F, a1, c + 6 * L);
      FloatVector y7 = FloatVector.fromArray(F, a1, c + 7 * L);
      long o = off + (long) c * Float.BYTES;
      for (int t = col; t < col + cnt; t++, o += rowBytes) {
        FloatVector w = FloatVector.broadcast(F, p0[t]);
        FloatVector u = FloatVector.broadcast(F, p1[t]);
        FloatVector v = FloatVector.fromMemorySegment(F, src, o, NATIVE);
        x0 = v.fma(w, x0);
        y0 = v.fma(u, y0);
        v = FloatVector.fromMemorySegment(F, src, o + step, NATIVE);
        x1 = v.fma(w, x1);
        y1 = v.fma(u, y1);
        v = FloatVector.fromMemorySegment(F, src, o + 2 * step, NATIVE);
        x2 = v.fma(w, x2);
        y2 = v.fma(u, y2);
        v = FloatVector.fromMemorySegment(F, src, o + 3 * step, NATIVE);
        x3 = v.fma(w, x3);
        y3 = v.fma(u, y3);
        v = FloatVector.fromMemorySegment(F, src, o + 4 * step, NATIVE);
        x4 = v.fma(w, x4);
        y4 = v.fma(u, y4);
        v = FloatVector.fromMemorySegment(F, src, o + 5 * step, NATIVE);
        x5 = v.fma(w, x5);
        y5 = v.fma(u, y5);
        v = FloatVector.fromMemorySegment(F, src, o + 6 * step, NATIVE);
        x6 = v.fma(w, x6);
        y6 = v.fma(u, y6);
        v = FloatVector.fromMemorySegment(F, src, o + 7 * step, NATIVE);
        x7 = v.fma(w, x7);
        y7 = v.fma(u, y7);
      }
      x0.intoArray(a0, c);
      x1.intoArray(a0, c + L);
      x2.intoArray(a0, c + 2 * L);
      x3.intoArray(a0, c + 3 * L);
      x4.intoArray(a0, c + 4 * L);
      x5.intoArray(a0, c + 5 * L);
      x6.intoArray(a0, c + 6 * L);
      x7.intoArray(a0, c + 7 * L);
      y0.intoArray(a1, c);
      y1.intoArray(a1, c + L);
      y2.intoArray(a1, c + 2 * L);
      y3.intoArray(a1, c + 3 * L);
      y4.intoArray(a1, c + 4 * L);
      y5.intoArray(a1, c + 5 * L);
      y6.intoArray(a1, c + 6 * L);
      y7.intoArray(a1, c + 7 * L);
    }
  }

  /** {@code acc[r] += sum over cnt tokens of weight * V} for one block. */
  private void values1(MemorySegment slab, long off, long vRow, int cnt, int r, int col) {
    float[] p0 = scores[r];
    float[] a0 = acc[r];
    int eb = EB;
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
    int eb = EB;
    for (int c = from; c < dv; c++) {
      for (int t = 0; t < cnt; t++) {
        float x = KvCodec.load(slab, off + t * vRow + (long) c * eb, DTYPE) / UNIT;
        for (int j = 0; j < heads; j++) {
          acc[r + j][c] += scores[r + j][col + t] * x;
        }
      }
    }
  }

  /**
   * {@code L} stored elements at {@code off}, widened to float (not scaled). The tests are on a
   * constant ({@link #DTYPE}), so each copy of the class compiles one branch of them.
   */
  private FloatVector load(MemorySegment slab, long off) {
    if (DTYPE == KvDtype.F32) {
      return FloatVector.fromMemorySegment(F, slab, off, NATIVE);
    } else if (DTYPE == KvDtype.BF16) {
      return shorts(slab, off).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    } else if (DTYPE == KvDtype.F16) {
      // fp16 s.eeeee.mmmmmmmmmm: magnitude bits to float bits 13..27, sign to 31, then * 2^(127-15)
      return special(shorts(slab, off), 13, 0x8FFFE000, 0x7C00);
    } else if (DTYPE == KvDtype.FP8_E4M3) {
      // e4m3 s.eeee.mmm: magnitude to bits 20..26, sign to 31, * 2^(127-7); NaN is s.1111.111
      return special(bytes(slab, off), 20, 0x87F00000, 0x7F);
    } else {
      // e5m2 s.eeeee.mm (the high byte of an fp16): magnitude to bits 21..27, * 2^(127-15)
      return special(bytes(slab, off), 21, 0x8FE00000, 0x7C);
    }
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
