package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;

/**
 * The assumptions that turn peak speeds into the performance model's estimates. Every default is a
 * named constant chosen so that the model's errors against published measurements stay small
 * ({@code docs/planning-accuracy.md}); none is a measured fact.
 *
 * <pre>{@code
 * Efficiency conservative = Efficiency.builder().decodeMemory(0.6).build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
public interface Efficiency {
  /**
   * Share of peak matrix FLOP/s a prefill reaches (model FLOPs utilisation of large GEMMs); an
   * assumption.
   */
  double DEFAULT_PREFILL_COMPUTE = 0.5;

  /** Share of peak FLOP/s decode GEMMs with a large batch reach; an assumption. */
  double DEFAULT_DECODE_COMPUTE = 0.4;

  /**
   * Share of peak memory bandwidth a decode step reaches while streaming weights and KV cache; an
   * assumption (memory-bound kernels typically reach 60-80% of peak; a published vLLM sweep on an
   * A100 measured 77% at one sequence, {@code docs/planning-accuracy.md}).
   */
  double DEFAULT_DECODE_MEMORY = 0.75;

  /** Share of the link bandwidth a tensor-parallel all-reduce reaches; an assumption. */
  double DEFAULT_INTERCONNECT = 0.6;

  /** Fixed latency of one all-reduce, seconds (launch and synchronisation); an assumption. */
  double DEFAULT_ALL_REDUCE_LATENCY_SECONDS = 10e-6;

  /**
   * Fixed cost of one engine step, seconds: scheduling, sampling, detokenisation and kernel launch
   * outside CUDA graphs; an assumption.
   */
  double DEFAULT_STEP_OVERHEAD_SECONDS = 1e-3;

  /**
   * Latency of one pipeline-parallel hop between hosts, seconds (data-centre network round, not
   * NVLink or ICI); an assumption.
   */
  double DEFAULT_INTER_HOST_HOP_SECONDS = 0.5e-3;

  /** Bandwidth between hosts for pipeline-parallel activations, bytes/s; an assumption. */
  double DEFAULT_INTER_HOST_BANDWIDTH = 25e9;

  /**
   * Squared coefficient of variation of the time between request arrivals at a replica, for the
   * queueing wait in TTFT (Kingman's approximation, {@link PerformanceModel}): 1 for Poisson
   * arrivals (an M/D/1 queue), the usual model of independent users; larger for bursty traffic. An
   * assumption, not fitted to the calibration rows.
   */
  double DEFAULT_ARRIVAL_VARIABILITY = 1.0;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns the defaults. */
  static Efficiency defaults() {
    return builder().build();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** See {@link #DEFAULT_PREFILL_COMPUTE}. */
  @Value.Default
  default double prefillCompute() {
    return DEFAULT_PREFILL_COMPUTE;
  }

  /** See {@link #DEFAULT_DECODE_COMPUTE}. */
  @Value.Default
  default double decodeCompute() {
    return DEFAULT_DECODE_COMPUTE;
  }

  /** See {@link #DEFAULT_DECODE_MEMORY}. */
  @Value.Default
  default double decodeMemory() {
    return DEFAULT_DECODE_MEMORY;
  }

  /** See {@link #DEFAULT_INTERCONNECT}. */
  @Value.Default
  default double interconnect() {
    return DEFAULT_INTERCONNECT;
  }

  /** See {@link #DEFAULT_ALL_REDUCE_LATENCY_SECONDS}. */
  @Value.Default
  default double allReduceLatencySeconds() {
    return DEFAULT_ALL_REDUCE_LATENCY_SECONDS;
  }

  /** See {@link #DEFAULT_STEP_OVERHEAD_SECONDS}. */
  @Value.Default
  default double stepOverheadSeconds() {
    return DEFAULT_STEP_OVERHEAD_SECONDS;
  }

  /** See {@link #DEFAULT_INTER_HOST_HOP_SECONDS}. */
  @Value.Default
  default double interHostHopSeconds() {
    return DEFAULT_INTER_HOST_HOP_SECONDS;
  }

  /** See {@link #DEFAULT_INTER_HOST_BANDWIDTH}. */
  @Value.Default
  default double interHostBandwidth() {
    return DEFAULT_INTER_HOST_BANDWIDTH;
  }

  /** See {@link #DEFAULT_ARRIVAL_VARIABILITY}. */
  @Value.Default
  default double arrivalVariability() {
    return DEFAULT_ARRIVAL_VARIABILITY;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    share(v, "prefillCompute", prefillCompute());
    share(v, "decodeCompute", decodeCompute());
    share(v, "decodeMemory", decodeMemory());
    share(v, "interconnect", interconnect());
    v.require(
        allReduceLatencySeconds() >= 0,
        "allReduceLatencySeconds",
        allReduceLatencySeconds(),
        "must be 0 or more");
    v.require(
        stepOverheadSeconds() >= 0, "stepOverheadSeconds", stepOverheadSeconds(), "must be >= 0");
    v.require(
        interHostHopSeconds() >= 0, "interHostHopSeconds", interHostHopSeconds(), "must be >= 0");
    v.require(
        interHostBandwidth() > 0, "interHostBandwidth", interHostBandwidth(), "must be above 0");
    v.require(
        arrivalVariability() >= 0, "arrivalVariability", arrivalVariability(), "must be >= 0");
    v.throwIfErrors();
  }

  private static void share(Violations v, String field, double value) {
    v.require(value > 0 && value <= 1, field, value, "must be above 0 and at most 1");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableEfficiency.Builder {}
}
