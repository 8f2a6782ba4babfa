package io.github.gkeinference.accelerators.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Recomputes the bundled calibration summary ({@link Calibration}) from the fixture {@code
 * calibration/published-measurements.csv} through the performance model: the accelerators covered,
 * their row counts, pipeline-parallel rows and median and largest absolute error must be what the
 * bundled {@code calibration-coverage.csv} says, and each left-out measurement's estimate what
 * {@code calibration-misses.csv} says. When the fixture or the model changes, this test prints the
 * lines to write.
 */
class CalibrationCoverageTest {

  /** The coverage lines the fixture gives, in the bundled file's format, by accelerator label. */
  static List<String> expectedCoverage() throws IOException {
    Map<String, List<PublishedMeasurement>> byAccelerator = new TreeMap<>();
    for (PublishedMeasurement m : CalibrationTest.measurements()) {
      byAccelerator.computeIfAbsent(m.accelerator(), k -> new ArrayList<>()).add(m);
    }
    List<String> lines = new ArrayList<>();
    byAccelerator.forEach(
        (accelerator, rows) -> {
          List<Double> errors = new ArrayList<>();
          for (PublishedMeasurement m : rows) {
            errors.add(Math.abs(CalibrationTest.estimate(m) - m.value()) / m.value());
          }
          lines.add(
              line(
                  accelerator,
                  rows.size(),
                  (int) rows.stream().filter(m -> m.pipelineParallelism() > 1).count(),
                  CalibrationTest.median(errors),
                  errors.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        });
    return lines;
  }

  private static String line(String accelerator, int rows, int pp, double median, double max) {
    return String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.3f", accelerator, rows, pp, median, max);
  }

  @Test
  void coverage_isWhatTheFixtureGivesThroughTheModel() throws IOException {
    List<String> expected = expectedCoverage();
    List<String> bundled =
        Calibration.coverage().stream()
            .map(
                c ->
                    line(
                        c.accelerator(),
                        c.measurements(),
                        c.pipelineParallelMeasurements(),
                        c.medianAbsoluteError(),
                        c.maxAbsoluteError()))
            .sorted()
            .toList();
    assertThat(bundled)
        .as(
            "calibration-coverage.csv against the fixture; write these rows:%n%s",
            String.join(System.lineSeparator(), expected))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void coverage_lookupByLabel_findsCoveredAcceleratorsOnly() throws IOException {
    List<String> fixtureAccelerators =
        CalibrationTest.measurements().stream()
            .map(PublishedMeasurement::accelerator)
            .distinct()
            .toList();
    for (String label : fixtureAccelerators) {
      assertThat(Calibration.coverage(label)).as(label).isPresent();
    }
    AcceleratorCatalog.standard().all().stream()
        .map(t -> t.label())
        .filter(label -> !fixtureAccelerators.contains(label))
        .forEach(label -> assertThat(Calibration.coverage(label)).as(label).isEmpty());
  }

  @Test
  void misses_areLeftOutRowsTheModelMissesByMoreThanThePerRowLimit() throws IOException {
    List<String> fixtureIds =
        CalibrationTest.measurements().stream().map(PublishedMeasurement::id).toList();
    assertThat(Calibration.misses()).isNotEmpty();
    for (MissedMeasurement miss : Calibration.misses()) {
      PublishedMeasurement m = miss.measurement();
      double estimate = CalibrationTest.estimate(m);
      assertThat(miss.estimate())
          .as("%s: the bundled estimate is the model's (%.1f)", m.id(), estimate)
          .isCloseTo(estimate, within(0.05));
      assertThat(fixtureIds).as(m.id() + " is left out of the fixture").doesNotContain(m.id());
      assertThat(Math.abs(estimate - m.value()) / m.value())
          .as(m.id() + ": left out because the model misses it by more than the per-row limit")
          .isGreaterThan(CalibrationTest.ANY_LIMIT);
      assertThat(m.url()).startsWith("https://");
    }
  }
}
