package io.github.gkeinference.benchmarks.kvcache;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The float multiply-add roof of one core with the Vector API of this JVM, to read the paged
 * attention compute-only times against ({@code PagedAttentionComputeVectorBenchmark}: 268 M lane
 * multiply-adds per call). Throughput in vector FMAs per nanosecond, one thread; times the lanes of
 * {@code FloatVector.SPECIES_PREFERRED} (16 with AVX-512) it is G lane FMAs per second.
 *
 * <ul>
 *   <li>{@code registers8}, {@code registers16}: 8 or 16 independent chains of vector FMAs on
 *       values in registers, no loads: the arithmetic roof (8 chains hide a latency of 4 cycles on
 *       two FMA pipes; 16 show whether more are needed).
 *   <li>{@code kernelShape}: the inner loop of the vector kernel's scores for a group of eight
 *       heads: per query dimension two vector loads from an L1-resident off-heap segment, eight
 *       broadcasts of a query element from {@code float[]}, sixteen FMAs (a copy of {@code
 *       VectorWorker.scores8}'s loop on purpose: the same shape alone, with nothing around it).
 *   <li>{@code loadPerFma}: one vector load and one broadcast load per FMA (8 chains): the roof
 *       when every FMA needs its own operands from L1.
 *   <li>{@code kernelShapeBf16}, {@code kernelShapeFp8}: {@code kernelShape} with K stored as BF16
 *       or FP8 E4M3 and widened as {@code VectorWorker.load} does (BF16: a short vector cast to
 *       ints, shifted left by 16; FP8: a byte vector cast to ints, shifted left by 20 and masked to
 *       sign and magnitude), so the difference to {@code kernelShape} is the widening's cost.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FmaRoofBenchmark {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> S =
      ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(F.length() * 16));
  private static final VectorSpecies<Byte> B =
      ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(F.length() * 8));
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  /** Loop trips per invocation (times 8 or 16 vector FMAs each). */
  static final int N = 1024;

  /** Dimensions of the kernel-shape loop (a head of 128), repeated to {@link #N} trips. */
  static final int D = 128;

  private float a = 1.0000001f;
  private float b = 0.9999999f;
  private float[][] q = new float[8][D];
  private MemorySegment k = MemorySegment.NULL;
  private MemorySegment kBf16 = MemorySegment.NULL;
  private MemorySegment kFp8 = MemorySegment.NULL;

  @Setup
  public void setUp() {
    for (int h = 0; h < 8; h++) {
      for (int i = 0; i < D; i++) {
        q[h][i] = 1e-3f * (h + i);
      }
    }
    // K of two blocks of 16 tokens, [dim][token], f32: 2 * 128 * 64 B = 16 KiB, stays in L1
    k = Arena.ofAuto().allocate(2L * D * 16 * Float.BYTES, 64);
    for (long i = 0; i < k.byteSize() / Float.BYTES; i++) {
      k.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1e-4f * (i % 97));
    }
    // the same shape in BF16 (values in [-0.75, 0.75], the float's upper half) and FP8 E4M3
    // (normal codes: sign, exponent 1..14, mantissa), as the kernel would find them
    long elements = 2L * D * 16;
    kBf16 = Arena.ofAuto().allocate(elements * Short.BYTES, 64);
    kFp8 = Arena.ofAuto().allocate(elements, 64);
    for (long i = 0; i < elements; i++) {
      float x = ((i % 97) - 48) / 64f;
      kBf16.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) (Float.floatToRawIntBits(x) >>> 16));
      int code = (i % 2 == 0 ? 0 : 0x80) | (int) (1 + i % 14) << 3 | (int) (i % 8);
      kFp8.set(ValueLayout.JAVA_BYTE, i, (byte) code);
    }
  }

  @Benchmark
  @OperationsPerInvocation(N * 8)
  public float registers8() {
    FloatVector x = FloatVector.broadcast(F, a);
    FloatVector w = FloatVector.broadcast(F, b);
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0.add(1f);
    FloatVector s2 = s0.add(2f);
    FloatVector s3 = s0.add(3f);
    FloatVector s4 = s0.add(4f);
    FloatVector s5 = s0.add(5f);
    FloatVector s6 = s0.add(6f);
    FloatVector s7 = s0.add(7f);
    for (int i = 0; i < N; i++) {
      s0 = x.fma(w, s0);
      s1 = x.fma(w, s1);
      s2 = x.fma(w, s2);
      s3 = x.fma(w, s3);
      s4 = x.fma(w, s4);
      s5 = x.fma(w, s5);
      s6 = x.fma(w, s6);
      s7 = x.fma(w, s7);
    }
    return s0.add(s1)
        .add(s2.add(s3))
        .add(s4.add(s5).add(s6.add(s7)))
        .reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(N * 16)
  public float registers16() {
    FloatVector x = FloatVector.broadcast(F, a);
    FloatVector w = FloatVector.broadcast(F, b);
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0.add(1f);
    FloatVector s2 = s0.add(2f);
    FloatVector s3 = s0.add(3f);
    FloatVector s4 = s0.add(4f);
    FloatVector s5 = s0.add(5f);
    FloatVector s6 = s0.add(6f);
    FloatVector s7 = s0.add(7f);
    FloatVector t0 = s0.add(8f);
    FloatVector t1 = s0.add(9f);
    FloatVector t2 = s0.add(10f);
    FloatVector t3 = s0.add(11f);
    FloatVector t4 = s0.add(12f);
    FloatVector t5 = s0.add(13f);
    FloatVector t6 = s0.add(14f);
    FloatVector t7 = s0.add(15f);
    for (int i = 0; i < N; i++) {
      s0 = x.fma(w, s0);
      s1 = x.fma(w, s1);
      s2 = x.fma(w, s2);
      s3 = x.fma(w, s3);
      s4 = x.fma(w, s4);
      s5 = x.fma(w, s5);
      s6 = x.fma(w, s6);
      s7 = x.fma(w, s7);
      t0 = x.fma(w, t0);
      t1 = x.fma(w, t1);
      t2 = x.fma(w, t2);
      t3 = x.fma(w, t3);
      t4 = x.fma(w, t4);
      t5 = x.fma(w, t5);
      t6 = x.fma(w, t6);
      t7 = x.fma(w, t7);
    }
    FloatVector s = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7)));
    FloatVector t = t0.add(t1).add(t2.add(t3)).add(t4.add(t5).add(t6.add(t7)));
    return s.add(t).reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(N * 16)
  public float kernelShape() {
    return shape(k, Float.BYTES);
  }

  @Benchmark
  @OperationsPerInvocation(N * 16)
  public float kernelShapeBf16() {
    return shape(kBf16, Short.BYTES);
  }

  @Benchmark
  @OperationsPerInvocation(N * 16)
  public float kernelShapeFp8() {
    return shape(kFp8, 1);
  }

  /**
   * The scores loop of eight heads over K at {@code seg}, {@code bytes} per element: 4 for F32, 2
   * for BF16, 1 for FP8 E4M3 ({@link #widen}; each benchmark runs in its own fork, so C2 sees one
   * of them).
   */
  private float shape(MemorySegment seg, int bytes) {
    long kRow = 16L * bytes;
    long half = (long) D * kRow;
    float[] q0 = q[0];
    float[] q1 = q[1];
    float[] q2 = q[2];
    float[] q3 = q[3];
    float[] q4 = q[4];
    float[] q5 = q[5];
    float[] q6 = q[6];
    float[] q7 = q[7];
    FloatVector total = FloatVector.zero(F);
    for (int rep = 0; rep < N / D; rep++) {
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
      long oa = 0;
      long ob = half;
      for (int i = 0; i < D; i++, oa += kRow, ob += kRow) {
        FloatVector x = widen(seg, oa, bytes);
        FloatVector y = widen(seg, ob, bytes);
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
      FloatVector s = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7)));
      FloatVector t = t0.add(t1).add(t2.add(t3)).add(t4.add(t5).add(t6.add(t7)));
      total = total.add(s.add(t));
    }
    return total.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code L} stored elements at {@code off} widened to float as {@code VectorWorker.load} does.
   */
  private static FloatVector widen(MemorySegment seg, long off, int bytes) {
    return switch (bytes) {
      case Float.BYTES -> FloatVector.fromMemorySegment(F, seg, off, NATIVE);
      case Short.BYTES -> bf16(seg, off);
      default -> fp8(seg, off);
    };
  }

  /** BF16 widened as {@code VectorWorker.load} does. */
  private static FloatVector bf16(MemorySegment seg, long off) {
    return ((IntVector) ShortVector.fromMemorySegment(S, seg, off, NATIVE).castShape(I, 0))
        .lanewise(VectorOperators.LSHL, 16)
        .reinterpretAsFloats();
  }

  /** FP8 E4M3 widened as {@code VectorWorker.load} does (no NaN check: none is stored here). */
  private static FloatVector fp8(MemorySegment seg, long off) {
    return ((IntVector) ByteVector.fromMemorySegment(B, seg, off, NATIVE).castShape(I, 0))
        .lanewise(VectorOperators.LSHL, 20)
        .lanewise(VectorOperators.AND, 0x87F00000)
        .reinterpretAsFloats();
  }

  @Benchmark
  @OperationsPerInvocation(N * 8)
  public float loadPerFma() {
    MemorySegment seg = k;
    long kRow = 16L * Float.BYTES;
    float[] q0 = q[0];
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    for (int rep = 0; rep < N / D * 8; rep++) {
      long o = 0;
      for (int i = 0; i < D; i += 8, o += 8 * kRow) {
        s0 =
            FloatVector.fromMemorySegment(F, seg, o, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i]), s0);
        s1 =
            FloatVector.fromMemorySegment(F, seg, o + kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 1]), s1);
        s2 =
            FloatVector.fromMemorySegment(F, seg, o + 2 * kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 2]), s2);
        s3 =
            FloatVector.fromMemorySegment(F, seg, o + 3 * kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 3]), s3);
        s4 =
            FloatVector.fromMemorySegment(F, seg, o + 4 * kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 4]), s4);
        s5 =
            FloatVector.fromMemorySegment(F, seg, o + 5 * kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 5]), s5);
        s6 =
            FloatVector.fromMemorySegment(F, seg, o + 6 * kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 6]), s6);
        s7 =
            FloatVector.fromMemorySegment(F, seg, o + 7 * kRow, NATIVE)
                .fma(FloatVector.broadcast(F, q0[i + 7]), s7);
      }
    }
    return s0.add(s1)
        .add(s2.add(s3))
        .add(s4.add(s5).add(s6.add(s7)))
        .reduceLanes(VectorOperators.ADD);
  }
}
