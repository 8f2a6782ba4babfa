package io.github.gkeinference.accelerators.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.core.model.ModelCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Checks the performance model against published measurements ({@code
 * calibration/published-measurements.csv}): prints the estimate and the error of every row and
 * fails when the median absolute error exceeds {@value #MEDIAN_LIMIT} or any one exceeds {@value
 * #ANY_LIMIT}. The table is copied into {@code docs/planning-accuracy.md}.
 */
class CalibrationTest {
  static final double MEDIAN_LIMIT = 0.30;
  static final double ANY_LIMIT = 0.60;

  /** One published measurement. */
  record Measurement(
      String id,
      String url,
      String accelerator,
      int devices,
      String model,
      String server,
      int input,
      int output,
      int concurrency,
      String metric,
      double value) {}

  static List<Measurement> measurements() throws IOException {
    InputStream in =
        CalibrationTest.class.getResourceAsStream("/calibration/published-measurements.csv");
    Objects.requireNonNull(in, "published-measurements.csv");
    List<Measurement> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean header = true;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] f = line.split(",", 12);
        rows.add(
            new Measurement(
                f[0],
                f[1],
                f[2],
                Integer.parseInt(f[3]),
                f[4],
                f[5],
                Integer.parseInt(f[6]),
                Integer.parseInt(f[7]),
                Integer.parseInt(f[8]),
                f[9],
                Double.parseDouble(f[10])));
      }
    }
    return rows;
  }

  static double estimate(Measurement m) {
    ServingScenario s =
        ServingScenario.builder()
            .architecture(ModelCatalog.require(m.model()).architecture())
            .device(
                AcceleratorCatalog.standard()
                    .require(m.accelerator())
                    .performanceFacts()
                    .orElseThrow())
            .tensorParallelism(m.devices())
            .inputTokens(m.input())
            .outputTokens(m.output())
            .build();
    PerformanceEstimate e = PerformanceModel.estimate(s, m.concurrency());
    return switch (m.metric()) {
      case "output_tokens_per_second" -> e.outputTokensPerSecond();
      case "ntpot_ms" -> e.ntpotSeconds() * 1000;
      case "ttft_ms" -> e.ttftSeconds() * 1000;
      default -> throw new IllegalArgumentException("unknown metric " + m.metric());
    };
  }

  @Test
  void model_staysWithinTheErrorLimitsOfPublishedMeasurements() throws IOException {
    List<Measurement> rows = measurements();
    assertThat(rows).isNotEmpty();
    List<Double> errors = new ArrayList<>();
    System.out.println(
        "| id | accelerator | model | in/out | conc. | metric | published | estimate | error |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Measurement m : rows) {
      double est = estimate(m);
      double error = (est - m.value()) / m.value();
      errors.add(Math.abs(error));
      System.out.printf(
          Locale.ROOT,
          "| %s | %s x%d | %s | %d/%d | %d | %s | %.1f | %.1f | %+.0f%% |%n",
          m.id(),
          m.accelerator(),
          m.devices(),
          m.model(),
          m.input(),
          m.output(),
          m.concurrency(),
          m.metric(),
          m.value(),
          est,
          error * 100);
    }
    List<Double> sorted = errors.stream().sorted().toList();
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf(
        Locale.ROOT, "median |error| %.0f%% over %d rows%n", median * 100, rows.size());
    assertThat(median).as("median absolute error").isLessThanOrEqualTo(MEDIAN_LIMIT);
    assertThat(sorted.get(sorted.size() - 1))
        .as("largest absolute error")
        .isLessThanOrEqualTo(ANY_LIMIT);
  }

  @Test
  void fixture_rowsAreSourcedAndPlannable() throws IOException {
    for (Measurement m : measurements()) {
      assertThat(m.url()).as(m.id()).startsWith("https://");
      assertThat(m.server()).as(m.id()).isNotBlank();
      assertThat(AcceleratorCatalog.standard().byLabel(m.accelerator())).as(m.id()).isPresent();
      assertThat(ModelCatalog.find(m.model())).as(m.id()).isPresent();
      assertThat(m.value()).as(m.id()).isPositive();
    }
  }
}
