package io.github.gkeinference.accelerators.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.core.model.DataType;
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
 * #ANY_LIMIT}. TTFT rows under load are outside the limits ({@link #ttftUnderLoad}) and checked as
 * lower bounds instead. The table is copied into {@code docs/planning-accuracy.md}.
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
      DataType weights,
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
        String[] f = line.split(",", 13);
        rows.add(
            new Measurement(
                f[0],
                f[1],
                f[2],
                Integer.parseInt(f[3]),
                f[4],
                weights(f[5]),
                f[6],
                Integer.parseInt(f[7]),
                Integer.parseInt(f[8]),
                Integer.parseInt(f[9]),
                f[10],
                Double.parseDouble(f[11])));
      }
    }
    return rows;
  }

  /** The weight dtypes the fixture uses; fp8 is the E4M3 format vLLM and TensorRT-LLM serve. */
  static DataType weights(String name) {
    return switch (name) {
      case "bf16" -> DataType.BF16;
      case "fp8" -> DataType.FP8_E4M3;
      default -> throw new IllegalArgumentException("unknown weight dtype " + name);
    };
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
            .weightDtype(m.weights())
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

  /**
   * Whether a row measures time to first token under load. The model's TTFT is one request's
   * prefill plus one decode step, with no wait for a place in the batch ({@link PerformanceModel}),
   * so at a concurrency above 1 it is a lower bound, not an estimate of the measured mean: these
   * rows are checked for that bound and reported, but kept out of the error limits (a known gap,
   * {@code docs/planning-accuracy.md}). The rule depends on the row's metric and concurrency only,
   * never on its error.
   */
  static boolean ttftUnderLoad(Measurement m) {
    return m.metric().equals("ttft_ms") && m.concurrency() > 1;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  @Test
  void model_staysWithinTheErrorLimitsOfPublishedMeasurements() throws IOException {
    List<Measurement> rows = measurements();
    assertThat(rows).isNotEmpty();
    List<Double> inScope = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    System.out.println(
        "| id | accelerator | model | weights | in/out | conc. | metric | published | estimate"
            + " | error |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Measurement m : rows) {
      double est = estimate(m);
      double error = (est - m.value()) / m.value();
      all.add(Math.abs(error));
      if (ttftUnderLoad(m)) {
        assertThat(est).as(m.id() + ": unqueued TTFT is a lower bound").isLessThan(m.value());
      } else {
        inScope.add(Math.abs(error));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s x%d | %s | %s | %d/%d | %d | %s | %.1f | %.1f | %+.0f%%%s |%n",
          m.id(),
          m.accelerator(),
          m.devices(),
          m.model(),
          m.weights().configName(),
          m.input(),
          m.output(),
          m.concurrency(),
          m.metric(),
          m.value(),
          est,
          error * 100,
          ttftUnderLoad(m) ? " (lower bound, not limited)" : "");
    }
    System.out.printf(
        Locale.ROOT,
        "limited rows: median |error| %.0f%%, largest %.0f%% over %d rows%n",
        median(inScope) * 100,
        inScope.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 100,
        inScope.size());
    System.out.printf(
        Locale.ROOT,
        "all rows: median |error| %.0f%%, largest %.0f%% over %d rows%n",
        median(all) * 100,
        all.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 100,
        all.size());
    assertThat(inScope).as("rows within the limits' scope").isNotEmpty();
    assertThat(median(inScope)).as("median absolute error").isLessThanOrEqualTo(MEDIAN_LIMIT);
    assertThat(inScope.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .as("largest absolute error")
        .isLessThanOrEqualTo(ANY_LIMIT);
  }

  @Test
  void fixture_rowsAreSourcedAndPlannable() throws IOException {
    List<Measurement> rows = measurements();
    // Issue 15 asks for at least 12 published results, one of them on a TPU.
    assertThat(rows).hasSizeGreaterThanOrEqualTo(12);
    assertThat(rows).extracting(Measurement::accelerator).anyMatch(a -> a.startsWith("tpu-"));
    assertThat(rows).extracting(Measurement::id).doesNotHaveDuplicates();
    for (Measurement m : rows) {
      assertThat(m.url()).as(m.id()).startsWith("https://");
      assertThat(m.server()).as(m.id()).isNotBlank();
      assertThat(AcceleratorCatalog.standard().byLabel(m.accelerator())).as(m.id()).isPresent();
      assertThat(ModelCatalog.find(m.model())).as(m.id()).isPresent();
      assertThat(m.value()).as(m.id()).isPositive();
    }
  }
}
