package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.accelerators.perf.Calibration;
import io.github.gkeinference.accelerators.perf.CalibrationCoverage;
import io.github.gkeinference.accelerators.perf.MissedMeasurement;
import io.github.gkeinference.accelerators.perf.PublishedMeasurement;
import io.github.gkeinference.core.model.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The notes that say how far an option's estimate is backed by the calibration ({@link
 * Calibration}, {@code docs/planning-accuracy.md}), one line each:
 *
 * <ul>
 *   <li>on an accelerator the fixture has measurements on: how many, and their median error;
 *   <li>on one it has none on: that the estimate is not checked against any;
 *   <li>with pipeline parallelism when none of the accelerator's measurements used it: that it is
 *       not calibrated;
 *   <li>with FP4 weights on a device without FP4 tensor cores ({@link
 *       DevicePerformance#hasFp4TensorCores()}): that tokens/s is likely an upper bound, quoting
 *       the left-out measurement of that path ({@link Calibration#misses()}) and how far it ran
 *       below the estimate.
 * </ul>
 */
final class EstimateNotes {
  /** The weight formats that FP4 tensor cores compute natively. */
  private static final Set<DataType> FP4 = Set.of(DataType.MXFP4, DataType.NVFP4);

  /** What an accelerator without a calibration row is told. */
  static final String UNCHECKED = "estimate not checked against any published measurement on ";

  /** What a pipeline-parallel option is told when no measurement on its accelerator used PP. */
  static final String PIPELINE_UNCALIBRATED = "pipeline parallelism is not calibrated";

  private EstimateNotes() {}

  /**
   * Returns the notes of an option ranked on the estimate.
   *
   * @param fit the option's layout
   * @param weights the weight dtype served
   * @param device the speeds of the option's accelerator
   */
  static List<String> of(FitPlan fit, DataType weights, DevicePerformance device) {
    List<String> notes = new ArrayList<>();
    Optional<CalibrationCoverage> coverage = Calibration.coverage(fit.accelerator());
    if (coverage.isPresent()) {
      CalibrationCoverage c = coverage.get();
      notes.add(
          String.format(
              Locale.ROOT,
              "estimate; calibrated against %d published measurement%s on %s (median error"
                  + " %.0f%%, docs/planning-accuracy.md)",
              c.measurements(),
              c.measurements() == 1 ? "" : "s",
              c.accelerator(),
              c.medianAbsoluteError() * 100));
      if (fit.pipelineParallelism() > 1 && c.pipelineParallelMeasurements() == 0) {
        notes.add(PIPELINE_UNCALIBRATED);
      }
    } else {
      notes.add(UNCHECKED + fit.accelerator());
    }
    if (FP4.contains(weights) && !device.hasFp4TensorCores()) {
      List<MissedMeasurement> path = Fp4WithoutTensorCores.MISSES;
      if (!path.isEmpty()) {
        MissedMeasurement miss = path.get(0);
        PublishedMeasurement m = miss.measurement();
        notes.add(
            String.format(
                Locale.ROOT,
                "tokens/s is likely an upper bound: %s of this path (%s %s on %d x %s, %s %s) ran"
                    + " %.0f%% below the estimate",
                path.size() == 1 ? "the one published measurement" : "a published measurement",
                m.model().substring(m.model().indexOf('/') + 1),
                m.weights().configName().toUpperCase(Locale.ROOT),
                m.devices(),
                m.accelerator(),
                miss.source(),
                m.url(),
                miss.shortfall() * 100));
      }
    }
    return notes;
  }

  /**
   * The left-out measurements of FP4 weights on a device without FP4 tensor cores, by the catalog's
   * speeds of the device measured; bundled data, so found once.
   */
  private static final class Fp4WithoutTensorCores {
    static final List<MissedMeasurement> MISSES = find();

    private static List<MissedMeasurement> find() {
      AcceleratorCatalog catalog = AcceleratorCatalog.standard();
      return Calibration.misses().stream()
          .filter(miss -> FP4.contains(miss.measurement().weights()))
          .filter(
              miss ->
                  catalog
                      .byLabel(miss.measurement().accelerator())
                      .flatMap(t -> t.performanceFacts())
                      .map(d -> !d.hasFp4TensorCores())
                      .orElse(false))
          .toList();
    }
  }
}
