package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.core.validate.Violations;

/**
 * A latency objective: at least {@code percentile} of requests get their first token within {@code
 * ttftSeconds} and, when {@code tpotSeconds} is above zero, no more than {@code tpotSeconds} per
 * output token.
 *
 * @param ttftSeconds the time-to-first-token limit
 * @param tpotSeconds the time-per-output-token limit, or 0 for none
 * @param percentile the share of requests that must meet the limits, in (0, 1]
 */
public record ServiceObjective(double ttftSeconds, double tpotSeconds, double percentile) {
  /** Validates the components. */
  public ServiceObjective {
    Violations v = Violations.root("objective");
    v.require(ttftSeconds > 0, "ttftSeconds", ttftSeconds, "must be greater than zero");
    v.require(tpotSeconds >= 0, "tpotSeconds", tpotSeconds, "must be zero (none) or more");
    v.require(percentile > 0 && percentile <= 1, "percentile", percentile, "must be in (0, 1]");
    v.throwIfErrors();
  }

  /**
   * Returns a time-to-first-token objective.
   *
   * @param ttftSeconds the limit
   * @param percentile the share of requests, for example 0.9 for p90
   * @return the objective
   */
  public static ServiceObjective ttft(double ttftSeconds, double percentile) {
    return new ServiceObjective(ttftSeconds, 0, percentile);
  }

  /**
   * Returns this objective with a time-per-output-token limit.
   *
   * @param seconds the limit
   * @return the objective
   */
  public ServiceObjective withTpot(double seconds) {
    return new ServiceObjective(ttftSeconds, seconds, percentile);
  }

  boolean met(double ttft, double tpot) {
    return ttft <= ttftSeconds && (tpotSeconds == 0 || tpot <= tpotSeconds);
  }
}
