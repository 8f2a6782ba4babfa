package io.github.gkeinference.benchmarks.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitReport;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelCatalog;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Plans every catalog model on every catalog accelerator (issue 5 acceptance check 4: the whole
 * sweep should take under 50 ms).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FitPlannerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FitPlannerBenchmark {
  private List<FitRequest> everyModel = List.of();
  private FitRequest llama8b =
      FitRequest.builder()
          .architecture(ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture())
          .maxModelLen(8192)
          .build();

  /** Builds one request per catalog model, planning on every accelerator. */
  @Setup
  public void setUp() {
    everyModel =
        ModelCatalog.all().stream()
            .map(CatalogEntry::architecture)
            .map(a -> FitRequest.builder().architecture(a).build())
            .toList();
    if (AcceleratorCatalog.standard().all().isEmpty()) {
      throw new IllegalStateException("empty accelerator catalog");
    }
  }

  /** Every catalog model x every accelerator: one {@link FitPlanner#plan} per model. */
  @Benchmark
  public void sweepEveryModelOnEveryAccelerator(Blackhole bh) {
    for (FitRequest r : everyModel) {
      bh.consume(FitPlanner.plan(r));
    }
  }

  /** One model on every accelerator. */
  @Benchmark
  public FitReport llama8bOnEveryAccelerator() {
    return FitPlanner.plan(llama8b);
  }
}
