package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.accelerators.perf.PerformanceModel;
import io.github.gkeinference.accelerators.perf.ServingScenario;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.util.Objects;
import java.util.Optional;
import org.immutables.value.Value;
import org.jspecify.annotations.Nullable;

/**
 * What one replica serves: how many sequences run at once (at most vLLM's {@code --max-num-seqs};
 * from a fit plan, the sequences whose KV cache fits), how fast it prefills prompts, and its time
 * per output token, which grows with the batch from {@link #timePerOutputTokenSeconds()} at one
 * sequence to {@link #timePerOutputTokenAtFullBatchSeconds()} at a full batch. No default is
 * invented: take the concurrency from a fit plan and the speeds from the performance model ({@link
 * #estimated}, estimates), or give measured speeds ({@link #fromPlan}, {@link #of}).
 */
@Value.Immutable
@SdkStyle
public interface ReplicaCapacity {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this capacity. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Returns a capacity with a time per output token that does not depend on the batch.
   *
   * @param maxConcurrentSequences sequences running at once
   * @param prefillTokensPerSecond prompt tokens prefilled per second
   * @param timePerOutputTokenSeconds seconds per output token
   * @return the capacity
   */
  static ReplicaCapacity of(
      int maxConcurrentSequences, double prefillTokensPerSecond, double timePerOutputTokenSeconds) {
    return builder()
        .maxConcurrentSequences(maxConcurrentSequences)
        .prefillTokensPerSecond(prefillTokensPerSecond)
        .timePerOutputTokenSeconds(timePerOutputTokenSeconds)
        .build();
  }

  /**
   * Returns a capacity whose concurrency comes from a fit plan ({@link PlannedConcurrency}: the
   * plan's KV blocks divided by the blocks one request of the traffic holds, capped by {@code
   * --max-num-seqs}) and whose speed is given: the plan sizes memory, not speed, so prefill
   * throughput and time per output token stay the caller's (measured, or labelled assumptions).
   *
   * <pre>{@code
   * ReplicaCapacity capacity = ReplicaCapacity.fromPlan(request, plan, traffic, 8000, 0.03);
   * }</pre>
   *
   * @param request the fit request the plan was made for
   * @param plan a feasible plan for that request
   * @param traffic the traffic whose token counts size one request
   * @param prefillTokensPerSecond prompt tokens prefilled per second
   * @param timePerOutputTokenSeconds seconds per output token
   * @return the capacity
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation, of
   *     the plan and of the numbers, at once
   */
  static ReplicaCapacity fromPlan(
      FitRequest request,
      FitPlan plan,
      TrafficProfile traffic,
      double prefillTokensPerSecond,
      double timePerOutputTokenSeconds) {
    Violations v = Violations.root();
    PlannedConcurrency c = planned(request, plan, traffic, v);
    @Nullable ReplicaCapacity capacity = null;
    try {
      capacity =
          of(
              Math.max(1, c.concurrentSequences()),
              prefillTokensPerSecond,
              timePerOutputTokenSeconds);
    } catch (SdkValidationException e) {
      v.addAll(e.violations()); // already under "capacity."
    }
    v.throwIfErrors();
    return Objects.requireNonNull(capacity);
  }

  /**
   * Returns a capacity whose concurrency comes from a fit plan (as {@link #fromPlan}) and whose
   * speed comes from the performance model ({@code accelerators.perf.PerformanceModel}, an
   * estimate), for the plan's accelerator, parallelism, weight and KV dtypes and the traffic's mean
   * prompt and output tokens.
   *
   * <ul>
   *   <li>{@link #prefillTokensPerSecond()}: the prompt tokens over the estimated prefill time of
   *       one prompt;
   *   <li>{@link #timePerOutputTokenSeconds()}: the estimated decode step with one sequence;
   *   <li>{@link #timePerOutputTokenAtFullBatchSeconds()}: the estimated normalized time per output
   *       token with the plan's concurrency, less the request's own prefill (the simulator charges
   *       that as prefill time), so the other sequences' prefills still slow its decoding.
   * </ul>
   *
   * <pre>{@code
   * ReplicaCapacity capacity = ReplicaCapacity.estimated(request, plan, traffic);
   * }</pre>
   *
   * @param request the fit request the plan was made for
   * @param plan a feasible plan for that request
   * @param traffic the traffic whose token counts size one request
   * @return the capacity; its speeds are estimates
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation at
   *     once: an infeasible plan, a KV cache that holds no request, an accelerator without
   *     performance facts in the catalog
   */
  static ReplicaCapacity estimated(FitRequest request, FitPlan plan, TrafficProfile traffic) {
    Violations v = Violations.root();
    PlannedConcurrency c = planned(request, plan, traffic, v);
    Optional<DevicePerformance> device =
        AcceleratorCatalog.standard()
            .byLabel(plan.accelerator())
            .flatMap(AcceleratorType::performanceFacts);
    v.require(
        device.isPresent(),
        "capacity.accelerator",
        plan.accelerator(),
        "has no performance facts in the catalog; give measured speeds with fromPlan");
    v.throwIfErrors();
    ModelArchitecture a = request.architecture();
    int output = (int) Math.max(1, Math.round(traffic.outputTokens().mean()));
    int input = (int) Math.max(1, Math.round(traffic.promptTokens().mean()));
    ServingScenario scenario =
        ServingScenario.builder()
            .architecture(a)
            .device(device.orElseThrow())
            .tensorParallelism(plan.tensorParallelism())
            .pipelineParallelism(plan.pipelineParallelism())
            .weightDtype(plan.weightDtype())
            .kvCacheDtype(plan.kvCacheDtype().storage(a.nativeDtype()))
            .inputTokens(input)
            .outputTokens(output)
            .build();
    int sequences = c.concurrentSequences();
    PerformanceEstimate one = PerformanceModel.estimate(scenario, 1);
    PerformanceEstimate full = PerformanceModel.estimate(scenario, sequences);
    double ownPrefill = full.prefillSeconds() / output;
    return builder()
        .maxConcurrentSequences(sequences)
        .prefillTokensPerSecond(input / one.prefillSeconds())
        .timePerOutputTokenSeconds(one.decodeStepSeconds())
        .timePerOutputTokenAtFullBatchSeconds(
            Math.max(one.decodeStepSeconds(), full.ntpotSeconds() - ownPrefill))
        .build();
  }

  /** Plans the concurrency, adding a violation when the KV cache holds no request. */
  private static PlannedConcurrency planned(
      FitRequest request, FitPlan plan, TrafficProfile traffic, Violations v) {
    PlannedConcurrency c = PlannedConcurrency.compute(request, plan, traffic, v.at("capacity"));
    v.require(
        v.hasErrors() || c.concurrentSequences() >= 1,
        "capacity.maxConcurrentSequences",
        c.concurrentSequences(),
        "the plan's KV cache must hold at least one request of the traffic");
    return c;
  }

  /** Sequences a replica runs at once. */
  int maxConcurrentSequences();

  /** Prompt tokens a replica prefills per second. */
  double prefillTokensPerSecond();

  /** Seconds per output token with one sequence running. */
  double timePerOutputTokenSeconds();

  /** Seconds per output token with a full batch; default the single-sequence value. */
  @Value.Default
  default double timePerOutputTokenAtFullBatchSeconds() {
    return timePerOutputTokenSeconds();
  }

  /**
   * Returns the time per output token at a batch occupancy.
   *
   * @param occupancy running sequences divided by the maximum, 0..1
   * @return seconds per output token
   */
  default double timePerOutputToken(double occupancy) {
    return timePerOutputTokenSeconds()
        + (timePerOutputTokenAtFullBatchSeconds() - timePerOutputTokenSeconds())
            * Math.min(1, Math.max(0, occupancy));
  }

  /**
   * Checks the capacity.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("capacity");
    v.require(
        maxConcurrentSequences() >= 1,
        "maxConcurrentSequences",
        maxConcurrentSequences(),
        "must be at least 1");
    v.require(
        prefillTokensPerSecond() > 0 && Double.isFinite(prefillTokensPerSecond()),
        "prefillTokensPerSecond",
        prefillTokensPerSecond(),
        "must be greater than zero");
    v.require(
        timePerOutputTokenSeconds() > 0 && Double.isFinite(timePerOutputTokenSeconds()),
        "timePerOutputTokenSeconds",
        timePerOutputTokenSeconds(),
        "must be greater than zero");
    v.require(
        timePerOutputTokenAtFullBatchSeconds() >= timePerOutputTokenSeconds()
            && Double.isFinite(timePerOutputTokenAtFullBatchSeconds()),
        "timePerOutputTokenAtFullBatchSeconds",
        timePerOutputTokenAtFullBatchSeconds(),
        "must be at least timePerOutputTokenSeconds (a fuller batch is not faster per token)");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableReplicaCapacity.Builder {}
}
