package io.github.gkeinference.benchmarks.kvcache;

import io.github.gkeinference.kvcache.attention.PagedAttention;
import org.openjdk.jmh.annotations.Fork;

/**
 * {@link PagedAttentionComputeBenchmark} in a JVM started with {@code --add-modules
 * jdk.incubator.vector}: the vector kernel's compute floor.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class PagedAttentionComputeVectorBenchmark extends PagedAttentionComputeBenchmark {

  @Override
  PagedAttention.Kernel expectedKernel() {
    return PagedAttention.Kernel.VECTOR;
  }
}
