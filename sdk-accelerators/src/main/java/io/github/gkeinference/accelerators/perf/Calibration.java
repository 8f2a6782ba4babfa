package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.accelerators.internal.BundledCsv;
import io.github.gkeinference.core.model.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How far the performance model's estimates are backed by published measurements: the bundled
 * summary of the calibration fixture ({@code docs/planning-accuracy.md}) per accelerator, and the
 * qualifying measurements left out of it because the model misses them. The planner reads it to
 * label each option's estimate; a test in this module recomputes both files from the fixture
 * through the model and fails when they disagree.
 *
 * <pre>{@code
 * Optional<CalibrationCoverage> h100 = Calibration.coverage("nvidia-h100-80gb");
 * h100.orElseThrow().measurements();   // published measurements the model was checked against
 * }</pre>
 *
 * <p>Stateless and thread-safe; the files are read once.
 */
public final class Calibration {
  /** The per-accelerator coverage, a CSV resource on the class path. */
  public static final String COVERAGE_RESOURCE =
      "/io/github/gkeinference/accelerators/perf/calibration-coverage.csv";

  /** The measurements left out of the fixture, a CSV resource on the class path. */
  public static final String MISSES_RESOURCE =
      "/io/github/gkeinference/accelerators/perf/calibration-misses.csv";

  private Calibration() {}

  private static final class Loaded {
    static final List<CalibrationCoverage> COVERAGE =
        read(COVERAGE_RESOURCE, 5, Calibration::coverageRow);
    static final List<MissedMeasurement> MISSES = read(MISSES_RESOURCE, 15, Calibration::missRow);
  }

  /** Returns the coverage of every accelerator the fixture has measurements on. */
  public static List<CalibrationCoverage> coverage() {
    return Loaded.COVERAGE;
  }

  /**
   * Returns the coverage of one accelerator.
   *
   * @param accelerator the catalog label
   * @return the coverage, or empty when no published measurement on it is in the fixture
   */
  public static Optional<CalibrationCoverage> coverage(String accelerator) {
    return Loaded.COVERAGE.stream().filter(c -> c.accelerator().equals(accelerator)).findFirst();
  }

  /** Returns the qualifying measurements left out of the fixture because the model misses them. */
  public static List<MissedMeasurement> misses() {
    return Loaded.MISSES;
  }

  private static CalibrationCoverage coverageRow(BundledCsv.Row r) {
    return new CalibrationCoverage(
        r.get(0),
        Integer.parseInt(r.get(1)),
        Integer.parseInt(r.get(2)),
        Double.parseDouble(r.get(3)),
        Double.parseDouble(r.get(4)));
  }

  private static MissedMeasurement missRow(BundledCsv.Row r) {
    DataType weights =
        DataType.fromName(r.get(7))
            .orElseThrow(() -> new IllegalArgumentException("unknown weight dtype " + r.get(7)));
    PublishedMeasurement m =
        new PublishedMeasurement(
            r.get(0),
            r.get(1),
            r.get(3),
            Integer.parseInt(r.get(4)),
            Integer.parseInt(r.get(5)),
            r.get(6),
            weights,
            r.get(8),
            Integer.parseInt(r.get(9)),
            Integer.parseInt(r.get(10)),
            Integer.parseInt(r.get(11)),
            r.get(12),
            Double.parseDouble(r.get(13)));
    return new MissedMeasurement(m, r.get(2), Double.parseDouble(r.get(14)));
  }

  /** Reads a bundled table, each row through {@code row}; a bad row names its line. */
  private static <T> List<T> read(String resource, int fields, Function<BundledCsv.Row, T> row) {
    List<T> rows = new ArrayList<>();
    for (BundledCsv.Row r : BundledCsv.read(Calibration.class, resource, fields)) {
      try {
        rows.add(row.apply(r));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(resource + ":" + r.line() + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(rows);
  }
}
