package io.github.gkeinference.accelerators.perf;

import java.util.Objects;

/**
 * A published measurement that qualifies for the calibration fixture but is left out of it because
 * the performance model misses it by more than the per-row limit ({@code
 * docs/planning-accuracy.md}, "H200: one qualifying measurement, left out"). Read from the bundled
 * {@link Calibration#MISSES_RESOURCE}; a test recomputes {@link #estimate()}.
 *
 * @param measurement what ran and the published value
 * @param source a short name of the page, for example {@code vLLM issue #30326}
 * @param estimate the performance model's estimate of the same metric (default efficiencies)
 */
public record MissedMeasurement(PublishedMeasurement measurement, String source, double estimate) {

  /** Checks that the estimate is positive. */
  public MissedMeasurement {
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(source, "source");
    if (!(estimate > 0)) {
      throw new IllegalArgumentException(measurement.id() + ": the estimate must be above 0");
    }
  }

  /**
   * Returns how far the measurement is below the estimate, as a share of the estimate ({@code 1 -
   * published / estimate}; negative when the measurement is above it).
   */
  public double shortfall() {
    return 1 - measurement.value() / estimate;
  }
}
