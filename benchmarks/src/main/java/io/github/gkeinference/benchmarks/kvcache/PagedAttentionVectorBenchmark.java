package io.github.gkeinference.benchmarks.kvcache;

import io.github.gkeinference.kvcache.attention.PagedAttention;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * {@link PagedAttentionBenchmark} in a JVM started with {@code --add-modules jdk.incubator.vector},
 * where {@link PagedAttention#of} chooses the vector kernel. Adds a second baseline: the same bytes
 * summed with Vector API loads and four vector accumulators, which reads faster than the scalar
 * loop, so both ratios are reported.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class PagedAttentionVectorBenchmark extends PagedAttentionBenchmark {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @Override
  PagedAttention.Kernel expectedKernel() {
    return PagedAttention.Kernel.VECTOR;
  }

  /** The same bytes as {@link #sequentialRead()}, summed with vector loads, 4 accumulators. */
  @Benchmark
  public float sequentialReadVector() throws Exception {
    MemorySegment region = readRegion();
    long bytes = kvBytes();
    ExecutorService e = executor();
    if (e == null) {
      return vectorSum(region, 0, bytes);
    }
    long half = bytes / 2 / F.vectorByteSize() * F.vectorByteSize();
    Future<Float> a = e.submit(() -> vectorSum(region, 0, half));
    float b = vectorSum(region, half, bytes);
    return a.get() + b;
  }

  private static float vectorSum(MemorySegment seg, long from, long to) {
    ByteOrder order = ByteOrder.nativeOrder();
    long step = F.vectorByteSize();
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    long i = from;
    for (; i + 4 * step <= to; i += 4 * step) {
      s0 = s0.add(FloatVector.fromMemorySegment(F, seg, i, order));
      s1 = s1.add(FloatVector.fromMemorySegment(F, seg, i + step, order));
      s2 = s2.add(FloatVector.fromMemorySegment(F, seg, i + 2 * step, order));
      s3 = s3.add(FloatVector.fromMemorySegment(F, seg, i + 3 * step, order));
    }
    return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
  }
}
