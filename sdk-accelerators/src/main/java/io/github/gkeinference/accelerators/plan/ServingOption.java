package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.giq.GiqMeasurement;
import io.github.gkeinference.accelerators.giq.GiqProfile;
import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.core.spec.SdkStyle;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * One way to serve a {@link ServingGoal}: an accelerator layout, its memory fit, its estimated
 * speed at the most load that meets the SLO, the replicas the target rate needs, and the cost.
 * Speeds and costs are estimates ({@code perf.PerformanceModel}) unless a GKE Inference Quickstart
 * profile measured the same layout ({@link #basis()}); {@link #reasons()} says why an option is
 * rejected.
 */
@Value.Immutable
@SdkStyle
public interface ServingOption {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The memory fit of one replica (vLLM flags and placement when feasible). */
  FitPlan fit();

  /**
   * The estimate at {@link #concurrency()} sequences per replica; empty when the option does not
   * fit or misses the SLO even with one sequence.
   */
  Optional<PerformanceEstimate> estimate();

  /** The most sequences of the workload one replica's KV cache holds (and max-num-seqs allows). */
  int kvConcurrencyLimit();

  /**
   * The GKE Inference Quickstart profile of the same model, accelerator, device count and server
   * (vLLM) whose measured point this option is ranked on; empty when the option uses the estimate.
   */
  Optional<GiqProfile> measuredProfile();

  /**
   * The measured point of {@link #measuredProfile()} the option is ranked on: the one with the most
   * output tokens per second that meets the goal's TTFT and NTPOT; empty when the option uses the
   * estimate.
   */
  Optional<GiqMeasurement> measurement();

  /**
   * Returns what the option's speed and cost rest on: {@value #MEASURED} or {@value #ESTIMATED}.
   */
  default String basis() {
    return measurement().isPresent() ? MEASURED : ESTIMATED;
  }

  /** {@link #basis()} of an option ranked on a GIQ measurement. */
  String MEASURED = "measured (GIQ)";

  /** {@link #basis()} of an option ranked on the performance model. */
  String ESTIMATED = "estimate";

  /** Requests per second one replica serves under the SLO (measured, else estimated). */
  default OptionalDouble requestsPerSecondPerReplica() {
    return measurement().isPresent()
        ? measurement().stream().mapToDouble(GiqMeasurement::qps).findFirst()
        : estimate().stream().mapToDouble(PerformanceEstimate::requestsPerSecond).findFirst();
  }

  /** Output tokens per second one replica serves under the SLO (measured, else estimated). */
  default OptionalDouble outputTokensPerSecondPerReplica() {
    return measurement().isPresent()
        ? measurement().stream().mapToDouble(GiqMeasurement::outputTokensPerSecond).findFirst()
        : estimate().stream().mapToDouble(PerformanceEstimate::outputTokensPerSecond).findFirst();
  }

  /** Time to first token at that load, milliseconds (measured, else estimated). */
  default OptionalDouble ttftMillis() {
    return measurement().isPresent()
        ? measurement().stream().mapToDouble(GiqMeasurement::ttftMillis).findFirst()
        : estimate().stream().mapToDouble(e -> e.ttftSeconds() * 1000).findFirst();
  }

  /** Normalized time per output token at that load, milliseconds (measured, else estimated). */
  default OptionalDouble ntpotMillis() {
    return measurement().isPresent()
        ? measurement().stream().mapToDouble(GiqMeasurement::ntpotMillis).findFirst()
        : estimate().stream().mapToDouble(e -> e.ntpotSeconds() * 1000).findFirst();
  }

  /**
   * Sequences per replica the plan runs at: the most that meet the SLO by the estimate; 0 when
   * rejected or when only a measurement (which states a rate, not a concurrency) meets the SLO.
   */
  @Value.Default
  default int concurrency() {
    return estimate().map(PerformanceEstimate::concurrency).orElse(0);
  }

  /**
   * Replicas the target rate needs at {@link #requestsPerSecondPerReplica()} (1 without a target);
   * 0 when rejected.
   */
  int replicas();

  /** The price of one replica (all its hosts) per hour, US dollars; empty without a price. */
  OptionalDouble usdPerHourPerReplica();

  /** The price of every replica per hour; empty without a price or when rejected. */
  default OptionalDouble usdPerHour() {
    return replicas() == 0 || usdPerHourPerReplica().isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(usdPerHourPerReplica().getAsDouble() * replicas());
  }

  /**
   * US dollars per million output tokens at the replica's load under the SLO (measured, else
   * estimated), with input tokens charged at {@code 1 / outputInputCostRatio} of an output token
   * (GKE Inference Quickstart's formula: {@code price per second / (input tokens/s / ratio + output
   * tokens/s)}); empty without a price or an estimate.
   */
  OptionalDouble usdPerMillionOutputTokens();

  /** Why the option is rejected (does not fit, misses TTFT, misses NTPOT); empty when feasible. */
  List<String> reasons();

  /**
   * Remarks that do not reject the option, one line each: how far its estimate is backed by
   * published measurements (calibrated on its accelerator, not checked, pipeline parallelism not
   * calibrated, likely an upper bound for FP4 weights without FP4 tensor cores), the GIQ
   * measurement it is ranked on, no price in the region.
   */
  List<String> notes();

  /** Returns whether the option serves the goal. */
  default boolean feasible() {
    return reasons().isEmpty();
  }

  /** Returns a short name, for example {@code nvidia-h100-80gb 8x2 a3-highgpu-8g (TP 8 x PP 2)}. */
  default String name() {
    FitPlan f = fit();
    String layout =
        f.pipelineParallelism() > 1
            ? "TP " + f.tensorParallelism() + " x PP " + f.pipelineParallelism()
            : "TP " + f.tensorParallelism();
    return f.accelerator()
        + " x"
        + f.devices()
        + " "
        + f.tpuTopology().map(t -> t + " ").orElse("")
        + f.machineType()
        + (f.hosts() > 1 ? " x" + f.hosts() + " hosts" : "")
        + " ("
        + layout
        + ")";
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableServingOption.Builder {}
}
