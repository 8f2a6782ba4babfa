package io.github.gkeinference.accelerators.perf;

import java.util.Objects;

/**
 * What the calibration fixture ({@code docs/planning-accuracy.md}) covers on one accelerator: how
 * many published measurements on it the performance model was checked against, how many of them ran
 * with pipeline parallelism, and the median and largest absolute relative error of the estimate on
 * them. Read from the bundled {@link Calibration#COVERAGE_RESOURCE}.
 *
 * @param accelerator the catalog label, for example {@code nvidia-h100-80gb}
 * @param measurements published measurements on it (rows of the fixture)
 * @param pipelineParallelMeasurements those of them with more than one pipeline stage
 * @param medianAbsoluteError median of {@code |estimate - published| / published}, 0 to 1 and more
 * @param maxAbsoluteError the largest of them
 */
public record CalibrationCoverage(
    String accelerator,
    int measurements,
    int pipelineParallelMeasurements,
    double medianAbsoluteError,
    double maxAbsoluteError) {

  /** Checks the fields: a label, at least one measurement, errors of 0 or more. */
  public CalibrationCoverage {
    Objects.requireNonNull(accelerator, "accelerator");
    if (measurements < 1) {
      throw new IllegalArgumentException("measurements must be at least 1, was " + measurements);
    }
    if (pipelineParallelMeasurements < 0 || pipelineParallelMeasurements > measurements) {
      throw new IllegalArgumentException(
          "pipelineParallelMeasurements must be 0 to " + measurements);
    }
    if (!(medianAbsoluteError >= 0) || !(maxAbsoluteError >= medianAbsoluteError)) {
      throw new IllegalArgumentException(
          "errors must satisfy 0 <= median <= max, were "
              + medianAbsoluteError
              + " and "
              + maxAbsoluteError);
    }
  }
}
