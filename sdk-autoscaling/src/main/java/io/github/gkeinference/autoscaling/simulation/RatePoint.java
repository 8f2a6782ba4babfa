package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.core.validate.Violations;

/**
 * One point of a piecewise-linear request rate.
 *
 * @param second seconds from the start of the profile
 * @param requestsPerSecond the arrival rate at that second
 */
public record RatePoint(long second, double requestsPerSecond) {
  /** Validates the components. */
  public RatePoint {
    Violations v = Violations.root("point");
    v.require(second >= 0, "second", second, "must be zero or more");
    v.require(
        Double.isFinite(requestsPerSecond) && requestsPerSecond >= 0,
        "requestsPerSecond",
        requestsPerSecond,
        "must be a number of zero or more");
    v.throwIfErrors();
  }

  /**
   * Returns a point.
   *
   * @param second seconds from the start
   * @param requestsPerSecond the rate
   * @return the point
   */
  public static RatePoint of(long second, double requestsPerSecond) {
    return new RatePoint(second, requestsPerSecond);
  }
}
