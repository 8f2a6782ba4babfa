package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.core.validate.Violations;

/**
 * How one replica splits a model over devices: tensor parallelism inside a host, pipeline stages
 * across hosts. Shared by the performance model's {@link ServingScenario} and the fit planner's
 * {@code FitPlan}, so that the device count and its rule are written once.
 */
public interface Parallelism {
  /** Devices that split every layer (vLLM's tensor parallel size). */
  int tensorParallelism();

  /** Stages that split the layers, one host each for multi-host GPUs (pipeline parallel size). */
  int pipelineParallelism();

  /** Returns the devices of one replica: {@code tensorParallelism * pipelineParallelism}. */
  default int devices() {
    return tensorParallelism() * pipelineParallelism();
  }

  /**
   * Checks that both degrees are at least 1.
   *
   * @param p the parallelism
   * @param v the collector; violations are at {@code tensorParallelism} and {@code
   *     pipelineParallelism}
   */
  static void check(Parallelism p, Violations v) {
    v.require(
        p.tensorParallelism() >= 1, "tensorParallelism", p.tensorParallelism(), "must be >= 1");
    v.require(
        p.pipelineParallelism() >= 1,
        "pipelineParallelism",
        p.pipelineParallelism(),
        "must be >= 1");
  }
}
