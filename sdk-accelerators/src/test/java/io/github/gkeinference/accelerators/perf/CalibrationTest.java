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
 * fails when the median absolute error over all rows exceeds {@value #MEDIAN_LIMIT} or any one row
 * exceeds {@value #ANY_LIMIT}. TTFT rows under load ({@link #ttftUnderLoad}) are held to the median
 * limit, on their own and with the others, but not to the per-row limit: they must instead stay at
 * or below the measurement (the queueing term assumes Poisson arrivals; the published closed-loop
 * runs with fixed lengths arrive in bursts). The table is copied into {@code
 * docs/planning-accuracy.md}.
 */
class CalibrationTest {
  static final double MEDIAN_LIMIT = 0.30;
  static final double ANY_LIMIT = 0.60;

  static List<PublishedMeasurement> measurements() throws IOException {
    InputStream in =
        CalibrationTest.class.getResourceAsStream("/calibration/published-measurements.csv");
    Objects.requireNonNull(in, "published-measurements.csv");
    List<PublishedMeasurement> rows = new ArrayList<>();
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
        String[] f = line.split(",", 14);
        rows.add(
            new PublishedMeasurement(
                f[0],
                f[1],
                f[2],
                Integer.parseInt(f[3]),
                Integer.parseInt(f[4]),
                f[5],
                weights(f[6]),
                f[7],
                Integer.parseInt(f[8]),
                Integer.parseInt(f[9]),
                Integer.parseInt(f[10]),
                f[11],
                Double.parseDouble(f[12])));
      }
    }
    return rows;
  }

  /**
   * The weight dtypes the fixture names; fp8 is the E4M3 format vLLM and TensorRT-LLM serve, mxfp4
   * gpt-oss's native experts (the H200 row in {@code docs/planning-accuracy.md} was estimated so),
   * nvfp4 ModelOpt's 4-bit checkpoints.
   */
  static DataType weights(String name) {
    return switch (name) {
      case "bf16" -> DataType.BF16;
      case "fp8" -> DataType.FP8_E4M3;
      case "mxfp4" -> DataType.MXFP4;
      case "nvfp4" -> DataType.NVFP4;
      default -> throw new IllegalArgumentException("unknown weight dtype " + name);
    };
  }

  static double estimate(PublishedMeasurement m) {
    ServingScenario s =
        ServingScenario.builder()
            .architecture(ModelCatalog.require(m.model()).architecture())
            .device(
                AcceleratorCatalog.standard()
                    .require(m.accelerator())
                    .performanceFacts()
                    .orElseThrow())
            .tensorParallelism(m.devices() / m.pipelineParallelism())
            .pipelineParallelism(m.pipelineParallelism())
            .weightDtype(m.weights())
            .inputTokens(m.inputTokens())
            .outputTokens(m.outputTokens())
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
   * Whether a row measures time to first token under load. The model's TTFT at a concurrency above
   * 1 adds the mean wait of an M/D/1 queue for the other sequences' prefills ({@link
   * PerformanceModel}); the published rows come from closed-loop runs of fixed lengths, whose
   * arrivals are burstier than Poisson, so the estimate is expected to stay below the measured
   * mean. These rows are held to the median limit and to that bound, not to the per-row limit (a
   * known gap, {@code docs/planning-accuracy.md}). The rule depends on the row's metric and
   * concurrency only, never on its error.
   */
  static boolean ttftUnderLoad(PublishedMeasurement m) {
    return m.metric().equals("ttft_ms") && m.concurrency() > 1;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  @Test
  void model_staysWithinTheErrorLimitsOfPublishedMeasurements() throws IOException {
    List<PublishedMeasurement> rows = measurements();
    assertThat(rows).isNotEmpty();
    List<Double> perRowLimited = new ArrayList<>();
    List<Double> underLoad = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    System.out.println(
        "| id | accelerator | model | weights | in/out | conc. | metric | published | estimate"
            + " | error |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (PublishedMeasurement m : rows) {
      double est = estimate(m);
      double error = (est - m.value()) / m.value();
      all.add(Math.abs(error));
      if (ttftUnderLoad(m)) {
        underLoad.add(Math.abs(error));
        assertThat(est)
            .as(m.id() + ": TTFT under Poisson queueing stays below a closed-loop measurement")
            .isLessThanOrEqualTo(m.value());
      } else {
        perRowLimited.add(Math.abs(error));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s x%d | %s | %s | %d/%d | %d | %s | %.1f | %.1f | %+.0f%%%s |%n",
          m.id(),
          m.accelerator(),
          m.devices(),
          m.model(),
          m.weights().configName(),
          m.inputTokens(),
          m.outputTokens(),
          m.concurrency(),
          m.metric(),
          m.value(),
          est,
          error * 100,
          ttftUnderLoad(m) ? " (TTFT under load)" : "");
    }
    summary("rows with the per-row limit", perRowLimited);
    summary("TTFT under load", underLoad);
    summary("all rows", all);
    assertThat(perRowLimited).as("rows within the per-row limit's scope").isNotEmpty();
    assertThat(median(all)).as("median absolute error, all rows").isLessThanOrEqualTo(MEDIAN_LIMIT);
    if (!underLoad.isEmpty()) {
      assertThat(median(underLoad))
          .as("median absolute error, TTFT under load")
          .isLessThanOrEqualTo(MEDIAN_LIMIT);
    }
    assertThat(perRowLimited.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .as("largest absolute error")
        .isLessThanOrEqualTo(ANY_LIMIT);
  }

  private static void summary(String label, List<Double> errors) {
    System.out.printf(
        Locale.ROOT,
        "%s: median |error| %.0f%%, largest %.0f%% over %d rows%n",
        label,
        errors.isEmpty() ? 0 : median(errors) * 100,
        errors.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 100,
        errors.size());
  }

  @Test
  void fixture_rowsAreSourcedAndPlannable() throws IOException {
    List<PublishedMeasurement> rows = measurements();
    // Issue 15 asks for at least 12 published results, one of them on a TPU.
    assertThat(rows).hasSizeGreaterThanOrEqualTo(12);
    assertThat(rows)
        .extracting(PublishedMeasurement::accelerator)
        .anyMatch(a -> a.startsWith("tpu-"));
    assertThat(rows).extracting(PublishedMeasurement::id).doesNotHaveDuplicates();
    for (PublishedMeasurement m : rows) {
      assertThat(m.url()).as(m.id()).startsWith("https://");
      assertThat(m.server()).as(m.id()).isNotBlank();
      assertThat(AcceleratorCatalog.standard().byLabel(m.accelerator())).as(m.id()).isPresent();
      assertThat(ModelCatalog.find(m.model())).as(m.id()).isPresent();
      assertThat(m.value()).as(m.id()).isPositive();
      assertThat(m.pipelineParallelism()).as(m.id()).isPositive();
      assertThat(m.devices() % m.pipelineParallelism()).as(m.id() + ": devices per stage").isZero();
    }
  }
}
