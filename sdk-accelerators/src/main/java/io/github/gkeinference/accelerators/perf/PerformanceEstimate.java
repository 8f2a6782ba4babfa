package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.core.spec.SdkStyle;
import org.immutables.value.Value;

/**
 * The performance model's estimate for one scenario at one concurrency. An estimate from peak
 * speeds and named efficiencies ({@link Efficiency}), not a measurement; {@code
 * docs/planning-accuracy.md} records its error against published benchmarks.
 */
@Value.Immutable
@SdkStyle
public interface PerformanceEstimate {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Sequences decoding at once on the replica. */
  int concurrency();

  /** Time to prefill one request's prompt, seconds. */
  double prefillSeconds();

  /**
   * Time of one decode step of the whole batch, seconds, tensor-parallel communication included.
   */
  double decodeStepSeconds();

  /** The tensor-parallel communication inside one decode step, seconds. */
  double communicationSeconds();

  /** Whether the decode step is limited by memory bandwidth (otherwise by FLOP/s). */
  boolean memoryBound();

  /**
   * Estimated mean wait of a new prompt for the prefills queued ahead of it, seconds ({@link
   * PerformanceModel}'s queueing term); 0 at concurrency 1.
   */
  double queueSeconds();

  /**
   * Estimated time to first token, seconds: the queueing wait, the request's prefill and the decode
   * step it waits for.
   */
  double ttftSeconds();

  /**
   * Estimated normalized time per output token, seconds: the decode step plus the share of other
   * requests' prefills each output token waits for.
   */
  double ntpotSeconds();

  /** Output tokens per second of the replica: {@code concurrency / ntpot}. */
  double outputTokensPerSecond();

  /** Requests per second of the replica: {@code outputTokensPerSecond / outputTokens}. */
  double requestsPerSecond();

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutablePerformanceEstimate.Builder {}
}
