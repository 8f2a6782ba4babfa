package io.github.gkeinference.benchmarks.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionRatiosTest {

  private static String result(String benchmark, String dtype, int threads, double score) {
    return """
        {"benchmark": "io.github.gkeinference.benchmarks.kvcache.%s",
         "params": {"dtype": "%s", "threads": "%d"},
         "primaryMetric": {"score": %s, "scoreUnit": "ms/op"}}"""
        .formatted(benchmark, dtype, threads, score);
  }

  @Test
  void rows_divideByTheFastestReadOfTheSameRun_whicheverBenchmarkMeasuredIt() {
    String json =
        "["
            + String.join(
                ",",
                result("PagedAttentionBenchmark.sequentialRead", "BF16", 1, 8.0),
                result("PagedAttentionBenchmark.decode", "BF16", 1, 40.0),
                result("PagedAttentionVectorBenchmark.sequentialRead", "BF16", 1, 7.0),
                result("PagedAttentionVectorBenchmark.sequentialReadVector", "BF16", 1, 4.0),
                result("PagedAttentionVectorBenchmark.decode", "BF16", 1, 10.0),
                result("PagedAttentionComputeBenchmark.decode", "BF16", 1, 30.0),
                result("PagedAttentionComputeVectorBenchmark.decode", "BF16", 1, 8.0),
                // a run where the scalar read was the faster one
                result("PagedAttentionBenchmark.sequentialRead", "F32", 2, 3.0),
                result("PagedAttentionVectorBenchmark.sequentialReadVector", "F32", 2, 5.0),
                result("PagedAttentionBenchmark.decode", "F32", 2, 12.0))
            + "]";

    List<AttentionRatios.Row> rows = AttentionRatios.rows(json);

    assertThat(rows).extracting(AttentionRatios.Row::dtype).containsExactly("F32", "BF16");
    AttentionRatios.Row f32 = rows.get(0);
    assertThat(f32.fastestReadName()).isEqualTo("PagedAttentionBenchmark.sequentialRead");
    assertThat(AttentionRatios.Row.ratio(f32.fastestRead(), f32.scalarKernel()).getAsDouble())
        .isCloseTo(0.25, within(1e-12));
    assertThat(f32.vectorKernel()).isEmpty();

    AttentionRatios.Row bf16 = rows.get(1);
    assertThat(bf16.fastestRead().getAsDouble()).isEqualTo(4.0);
    assertThat(bf16.fastestReadName())
        .isEqualTo("PagedAttentionVectorBenchmark.sequentialReadVector");
    assertThat(AttentionRatios.Row.ratio(bf16.fastestRead(), bf16.vectorKernel()).getAsDouble())
        .isCloseTo(0.4, within(1e-12));
    assertThat(AttentionRatios.Row.ratio(bf16.fastestRead(), bf16.scalarKernel()).getAsDouble())
        .isCloseTo(0.1, within(1e-12));
    assertThat(bf16.scalarCompute().getAsDouble()).isEqualTo(30.0);
    assertThat(bf16.vectorCompute().getAsDouble()).isEqualTo(8.0);

    String table = AttentionRatios.table(rows);
    assertThat(table.lines()).hasSize(4);
    assertThat(table)
        .contains(
            "| BF16 | 1 | 4.00 | `PagedAttentionVectorBenchmark.sequentialReadVector` | 40.00 |"
                + " 0.10 | 10.00 | 0.40 | 30.00 | 8.00 |")
        .contains(
            "| F32 | 2 | 3.00 | `PagedAttentionBenchmark.sequentialRead` | 12.00 | 0.25 | - |");
  }
}
