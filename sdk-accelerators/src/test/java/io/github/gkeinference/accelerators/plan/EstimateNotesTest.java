package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.perf.Calibration;
import io.github.gkeinference.accelerators.perf.CalibrationCoverage;
import io.github.gkeinference.accelerators.perf.MissedMeasurement;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelCatalog;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The notes that tell a plan's user how far each option's estimate is backed by calibration. */
class EstimateNotesTest {
  private static ServingReport plan(String model, String accelerator) {
    return ServingPlanner.plan(
        ServingGoal.builder()
            .architecture(ModelCatalog.require(model).architecture())
            .addCandidate(accelerator)
            .build());
  }

  private static boolean hasFp4TensorCores(String accelerator) {
    return AcceleratorCatalog.standard()
        .require(accelerator)
        .performanceFacts()
        .orElseThrow()
        .hasFp4TensorCores();
  }

  /** Every option's notes are single lines and none repeats another. */
  private static void assertShortAndDistinct(ServingReport report) {
    for (ServingOption o : report.options()) {
      assertThat(o.notes()).as(o.name()).doesNotHaveDuplicates();
      assertThat(o.notes()).as(o.name()).allMatch(n -> !n.contains("\n"));
    }
  }

  @Test
  void llama70bOnH100_isCalibratedWithTheCoverageCountAndMedian() {
    CalibrationCoverage h100 = Calibration.coverage("nvidia-h100-80gb").orElseThrow();
    ServingReport report = plan("meta-llama/Llama-3.3-70B-Instruct", "nvidia-h100-80gb");

    ServingOption best = report.recommendation().orElseThrow();
    String median =
        String.format(Locale.ROOT, "median error %.0f%%", h100.medianAbsoluteError() * 100);
    assertThat(best.notes())
        .filteredOn(n -> n.startsWith("estimate; calibrated against"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .contains(h100.measurements() + " published measurements on nvidia-h100-80gb")
                    .contains(median)
                    .contains("docs/planning-accuracy.md"));
    assertThat(best.notes()).noneMatch(n -> n.startsWith(EstimateNotes.UNCHECKED));
    // bf16 weights: the FP4 caveat does not apply
    assertThat(best.notes()).noneMatch(n -> n.contains("upper bound"));
    // every option ranked on the estimate says the same about the accelerator
    assertThat(report.options())
        .filteredOn(o -> o.estimate().isPresent())
        .allMatch(o -> o.notes().stream().anyMatch(n -> n.startsWith("estimate; calibrated")));
    assertShortAndDistinct(report);
  }

  @Test
  void acceleratorsWithoutRows_sayTheEstimateIsUnchecked() {
    for (String accelerator : List.of("nvidia-l4", "tpu-v5-lite-podslice")) {
      assertThat(Calibration.coverage(accelerator)).as(accelerator).isEmpty();
      ServingReport report = plan("meta-llama/Llama-3.1-8B-Instruct", accelerator);

      List<ServingOption> estimated =
          report.options().stream().filter(o -> o.estimate().isPresent()).toList();
      assertThat(estimated).as(accelerator).isNotEmpty();
      for (ServingOption o : estimated) {
        assertThat(o.notes()).as(o.name()).contains(EstimateNotes.UNCHECKED + accelerator);
        assertThat(o.notes()).as(o.name()).noneMatch(n -> n.contains("calibrated against"));
      }
      // options that do not fit have no estimate to label
      assertThat(report.options())
          .filteredOn(o -> o.estimate().isEmpty())
          .allMatch(o -> o.notes().stream().noneMatch(n -> n.startsWith("estimate")));
      assertShortAndDistinct(report);
    }
  }

  @Test
  void gptOss120bOnH200_isAnUpperBoundQuotingTheLeftOutMeasurement() {
    assertThat(ModelCatalog.require("openai/gpt-oss-120b").architecture().nativeDtype())
        .isEqualTo(DataType.MXFP4);
    assertThat(hasFp4TensorCores("nvidia-h200-141gb")).isFalse();
    MissedMeasurement miss = Calibration.misses().get(0);
    // docs/planning-accuracy.md: 1,947.66 tokens/s measured against an estimate of 3,395
    assertThat(miss.shortfall()).isCloseTo(1 - 1947.66 / 3395, within(0.001));

    ServingReport report = plan("openai/gpt-oss-120b", "nvidia-h200-141gb");

    ServingOption best = report.recommendation().orElseThrow();
    String percent =
        String.format(Locale.ROOT, "ran %.0f%% below the estimate", miss.shortfall() * 100);
    assertThat(best.notes())
        .filteredOn(n -> n.startsWith("tokens/s is likely an upper bound"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .contains(percent)
                    .contains("https://github.com/vllm-project/vllm/issues/30326")
                    .contains("gpt-oss-120b MXFP4 on 8 x nvidia-h200-141gb"));
    // H200 itself has no calibration rows
    assertThat(best.notes()).contains(EstimateNotes.UNCHECKED + "nvidia-h200-141gb");
    assertShortAndDistinct(report);
  }

  @Test
  void fp4Weights_onFp4TensorCores_areNotCalledAnUpperBound() {
    assertThat(hasFp4TensorCores("nvidia-b200")).isTrue();
    ServingOption best = plan("openai/gpt-oss-120b", "nvidia-b200").recommendation().orElseThrow();

    assertThat(best.notes()).noneMatch(n -> n.contains("upper bound"));
  }

  @Test
  void llama405bPipelineParallelOnH100_saysPipelineParallelismIsNotCalibrated() {
    assertThat(
            Calibration.coverage("nvidia-h100-80gb").orElseThrow().pipelineParallelMeasurements())
        .isZero();
    ServingReport report = plan("meta-llama/Llama-3.1-405B-Instruct", "nvidia-h100-80gb");

    List<ServingOption> pipelined =
        report.options().stream()
            .filter(o -> o.estimate().isPresent() && o.fit().pipelineParallelism() > 1)
            .toList();
    assertThat(pipelined).isNotEmpty();
    assertThat(pipelined).allMatch(o -> o.notes().contains(EstimateNotes.PIPELINE_UNCALIBRATED));
    assertThat(report.options())
        .filteredOn(o -> o.fit().pipelineParallelism() == 1)
        .allMatch(o -> !o.notes().contains(EstimateNotes.PIPELINE_UNCALIBRATED));
    assertShortAndDistinct(report);
  }
}
