package io.github.gkeinference.benchmarks.autoscaling;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScaleTarget;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.autoscaling.simulation.HpaSimulation;
import io.github.gkeinference.autoscaling.simulation.ReplicaCapacity;
import io.github.gkeinference.autoscaling.simulation.ServiceObjective;
import io.github.gkeinference.autoscaling.simulation.SimulationResult;
import io.github.gkeinference.autoscaling.simulation.TokenDistribution;
import io.github.gkeinference.autoscaling.simulation.TrafficProfile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulates 24 hours of traffic at one-second resolution (86,400 steps, about 2.8 million requests,
 * an HPA sync every 15 s). The target is under one second per run.
 *
 * <pre>
 * ./mvnw -q -o -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip
 * java -jar benchmarks/target/benchmarks.jar HpaSimulationBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HpaSimulationBenchmark {
  /** The metric the HPA scales on: a queue target (flaps) or a batch target (steady). */
  @Param({"queue", "batch"})
  public String metric;

  private HpaSimulation simulation;

  /** Builds the 24-hour simulation. */
  @Setup
  public void setUp() {
    ScalingMetric scalingMetric =
        "queue".equals(metric) ? ScalingMetric.vllmQueue(3) : ScalingMetric.vllmBatch(48);
    InferenceAutoscaler autoscaler =
        InferenceAutoscaler.builder()
            .target(ScaleTarget.of("apps/v1", "Deployment", "llama", "inference"))
            .maxReplicas(40)
            .addMetrics(scalingMetric)
            .build();
    simulation =
        HpaSimulation.builder()
            .autoscaler(autoscaler)
            .traffic(
                TrafficProfile.diurnal(5, 60, 86_400)
                    .withPromptTokens(TokenDistribution.uniform(200, 1800))
                    .withOutputTokens(TokenDistribution.uniform(50, 450)))
            .capacity(
                ReplicaCapacity.builder()
                    .maxConcurrentSequences(64)
                    .prefillTokensPerSecond(8000)
                    .timePerOutputTokenSeconds(0.02)
                    .timePerOutputTokenAtFullBatchSeconds(0.05)
                    .build())
            .objective(ServiceObjective.ttft(2, 0.9))
            .podStartupSeconds(180)
            .build();
  }

  /** Runs the 24-hour simulation once. */
  @Benchmark
  public SimulationResult simulateDay() {
    return simulation.run();
  }
}
