package io.github.gkeinference.benchmarks.plan;

import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
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
 * Plans every catalog model on every catalog accelerator and layout with the full objective (issue
 * 15: the whole sweep should stay under 50 ms in-process).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ServingPlannerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServingPlannerBenchmark {
  private List<ServingGoal> everyModel = List.of();

  /** Builds one goal per catalog model (a target rate and an SLO), every accelerator. */
  @Setup
  public void setUp() {
    everyModel =
        ModelCatalog.all().stream()
            .map(CatalogEntry::architecture)
            .map(
                a ->
                    ServingGoal.builder()
                        .architecture(a)
                        .targetQps(20.0)
                        .ttftMillis(500)
                        .ntpotMillis(50)
                        .build())
            .toList();
  }

  /** Every catalog model x every accelerator and layout: one {@link ServingPlanner#plan} each. */
  @Benchmark
  public void sweepEveryModelWithTheFullObjective(Blackhole bh) {
    for (ServingGoal g : everyModel) {
      bh.consume(ServingPlanner.plan(g));
    }
  }
}
