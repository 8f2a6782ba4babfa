package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.source.StartupEstimate;

/**
 * How long a model server may take before {@code /health} answers: the model source's estimate of
 * moving the weights, plus a fixed overhead for process start, compilation and CUDA graph capture,
 * times a safety factor. The startup probe's budget is {@link #budgetSeconds()}.
 *
 * <p>The overhead and the factor are the SDK's conservative planning assumptions, not measurements;
 * override the budget on the server spec when a measured start-up is known.
 *
 * @param load the source's estimate of loading the weights
 * @param overheadSeconds the fixed overhead
 */
public record StartupBudget(StartupEstimate load, int overheadSeconds) {
  /** Assumed fixed overhead: 300 s. */
  public static final int OVERHEAD_SECONDS = 300;

  /** The budget is this many times the estimate, so that a slow node does not restart the pod. */
  public static final int SAFETY_FACTOR = 2;

  /**
   * Returns the budget with the default overhead.
   *
   * @param load the source's load estimate
   * @return the budget
   */
  public static StartupBudget of(StartupEstimate load) {
    return new StartupBudget(load, OVERHEAD_SECONDS);
  }

  /** Returns the estimated seconds until the server is healthy. */
  public long seconds() {
    return load.duration().getSeconds() + overheadSeconds;
  }

  /** Returns the startup probe's budget: {@link #SAFETY_FACTOR} times {@link #seconds()}. */
  public long budgetSeconds() {
    return SAFETY_FACTOR * seconds();
  }
}
