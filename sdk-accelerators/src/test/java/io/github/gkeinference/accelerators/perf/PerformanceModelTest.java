package io.github.gkeinference.accelerators.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PerformanceModelTest {
  private static final Efficiency NO_OVERHEAD =
      Efficiency.builder().stepOverheadSeconds(0).allReduceLatencySeconds(0).build();

  private static ModelArchitecture model(String id) {
    return ModelCatalog.require(id).architecture();
  }

  private static DevicePerformance device(String label) {
    return AcceleratorCatalog.standard().require(label).performanceFacts().orElseThrow();
  }

  private static ServingScenario.Builder llama8bOnH100() {
    return ServingScenario.builder()
        .architecture(model("meta-llama/Llama-3.1-8B-Instruct"))
        .device(device("nvidia-h100-80gb"))
        .inputTokens(1024)
        .outputTokens(256);
  }

  @Test
  void catalog_everyAcceleratorHasPerformanceFactsWithSource() {
    assertThat(AcceleratorCatalog.standard().all())
        .allSatisfy(
            t -> {
              assertThat(t.performanceFacts()).as(t.label()).isPresent();
              assertThat(t.performanceFacts().get().source().citation()).contains("https://");
            });
  }

  /**
   * One sequence of Llama-3.1-8B on one H100, without fixed overheads: the decode step reads the
   * 16.06 GB of bf16 weights plus the KV cache of 1,152 tokens (151 MB) at 3.35 TB/s times the
   * decode memory efficiency (0.75: 6.45 ms); compute is far below.
   */
  @Test
  void estimate_oneSequence_isMemoryBoundAtWeightsOverBandwidth() {
    ServingScenario s = llama8bOnH100().efficiency(NO_OVERHEAD).build();

    PerformanceEstimate e = PerformanceModel.estimate(s, 1);

    double expected =
        (16_060_522_496.0 + 1152 * 131_072.0) / (3350e9 * Efficiency.DEFAULT_DECODE_MEMORY);
    assertThat(e.memoryBound()).isTrue();
    assertThat(e.decodeStepSeconds()).isCloseTo(expected, within(1e-6));
    assertThat(e.communicationSeconds()).isZero();
    // NTPOT adds one prefill per 256 output tokens.
    assertThat(e.ntpotSeconds())
        .isCloseTo(e.decodeStepSeconds() + e.prefillSeconds() / 256, within(1e-9));
    // One sequence never queues behind another prompt.
    assertThat(e.queueSeconds()).isZero();
    assertThat(e.ttftSeconds()).isCloseTo(e.prefillSeconds() + e.decodeStepSeconds(), within(1e-9));
  }

  /**
   * At 32 sequences a new prompt waits for the other 31 sequences' prefills: an M/D/1 queue whose
   * service is one prefill and whose load is the replica's request rate times 31/32 times the
   * prefill (the arrival theorem of a closed loop), so the mean wait is {@code rho / (2 (1 - rho))}
   * prefills (Pollaczek-Khinchine with zero service variance).
   */
  @Test
  void estimate_underLoad_ttftAddsTheMd1WaitForOtherPrefills() {
    ServingScenario s = llama8bOnH100().build();

    PerformanceEstimate e = PerformanceModel.estimate(s, 32);

    double rho = e.requestsPerSecond() * 31 / 32 * e.prefillSeconds();
    double wait = rho / (2 * (1 - rho)) * e.prefillSeconds();
    assertThat(rho).isBetween(0.0, 1.0);
    assertThat(e.queueSeconds()).isCloseTo(wait, within(1e-12));
    assertThat(e.ttftSeconds())
        .isCloseTo(wait + e.prefillSeconds() + e.decodeStepSeconds(), within(1e-12));
    assertThat(PerformanceModel.estimate(s, 1).queueSeconds()).isZero();
  }

  /** Kingman's approximation scales the M/D/1 wait with the arrivals' squared variation. */
  @Test
  void estimate_burstierArrivals_waitScalesWithArrivalVariability() {
    ServingScenario poisson = llama8bOnH100().build();
    ServingScenario bursty =
        llama8bOnH100().efficiency(Efficiency.builder().arrivalVariability(3).build()).build();

    double base = PerformanceModel.estimate(poisson, 32).queueSeconds();

    assertThat(base).isPositive();
    assertThat(PerformanceModel.estimate(bursty, 32).queueSeconds())
        .isCloseTo(3 * base, within(1e-12));
  }

  /** TTFT grows with concurrency, so the bisection in maxConcurrency stays valid. */
  @Test
  void estimate_ttftGrowsWithConcurrency() {
    ServingScenario s = llama8bOnH100().build();
    double previous = 0;
    for (int b = 1; b <= 256; b *= 2) {
      double ttft = PerformanceModel.estimate(s, b).ttftSeconds();
      assertThat(ttft).as("TTFT at %d", b).isGreaterThan(previous);
      previous = ttft;
    }
  }

  /**
   * The prefill of 1,024 tokens is compute-bound: 1024 * 2 * 8.03e9 FLOPs plus attention 2 * 32
   * heads * 256 * 32 layers * 524,800 pairs, at 989.5 TFLOP/s * 0.5.
   */
  @Test
  void estimate_prefill_isFlopsOverPeakTimesEfficiency() {
    ModelArchitecture a = model("meta-llama/Llama-3.1-8B-Instruct");
    ServingScenario s = llama8bOnH100().efficiency(NO_OVERHEAD).build();

    PerformanceEstimate e = PerformanceModel.estimate(s, 1);

    double flops = 1024 * 2.0 * a.activeParameters() + 2.0 * 32 * 256 * 32 * (1024 * 1025 / 2.0);
    assertThat(e.prefillSeconds()).isCloseTo(flops / (989.5e12 * 0.5), within(1e-9));
  }

  @Test
  void estimate_moreConcurrency_raisesNtpotAndThroughput() {
    ServingScenario s = llama8bOnH100().build();
    PerformanceEstimate one = PerformanceModel.estimate(s, 1);
    PerformanceEstimate many = PerformanceModel.estimate(s, 64);

    assertThat(many.ntpotSeconds()).isGreaterThan(one.ntpotSeconds());
    assertThat(many.outputTokensPerSecond()).isGreaterThan(10 * one.outputTokensPerSecond());
    assertThat(many.requestsPerSecond())
        .isCloseTo(many.outputTokensPerSecond() / 256, within(1e-9));
  }

  @Test
  void estimate_tensorParallelism_shortensTheStepButAddsCommunication() {
    ServingScenario.Builder b =
        ServingScenario.builder()
            .architecture(model("meta-llama/Llama-3.3-70B-Instruct"))
            .device(device("nvidia-h100-80gb"))
            .inputTokens(1024)
            .outputTokens(256);
    PerformanceEstimate tp4 = PerformanceModel.estimate(b.tensorParallelism(4).build(), 16);
    PerformanceEstimate tp8 = PerformanceModel.estimate(b.tensorParallelism(8).build(), 16);

    assertThat(tp8.decodeStepSeconds()).isLessThan(tp4.decodeStepSeconds());
    assertThat(tp8.communicationSeconds()).isGreaterThan(tp4.communicationSeconds());
    // 80 layers * 2 all-reduces * 10 us latency at least.
    assertThat(tp4.communicationSeconds()).isGreaterThan(80 * 2 * 10e-6);
  }

  @Test
  void estimate_fp8Weights_areFasterThanBf16OnH100ButNotOnA100Compute() {
    ServingScenario bf16 = llama8bOnH100().build();
    ServingScenario fp8 = llama8bOnH100().weightDtype(DataType.FP8_E4M3).build();

    assertThat(PerformanceModel.estimate(fp8, 8).ntpotSeconds())
        .isLessThan(PerformanceModel.estimate(bf16, 8).ntpotSeconds());
    assertThat(PerformanceModel.peak(device("nvidia-h100-80gb"), DataType.FP8_E4M3))
        .isEqualTo(1979e12);
    assertThat(PerformanceModel.peak(device("nvidia-a100-80gb"), DataType.FP8_E4M3))
        .isEqualTo(312e12);
    assertThat(PerformanceModel.peak(device("tpu-v6e-slice"), DataType.INT8)).isEqualTo(1836e12);
  }

  /** With one token, uniform routing touches exactly expertsPerToken experts per MoE layer. */
  @Test
  void weightsReadPerStep_moe_oneTokenReadsActiveParametersManyTokensReadAll() {
    ModelArchitecture mixtral = model("mistralai/Mixtral-8x7B-Instruct-v0.1");

    assertThat(PerformanceModel.weightsReadPerStep(mixtral, 1))
        .isCloseTo(mixtral.activeParameters(), within(1.0));
    assertThat(PerformanceModel.weightsReadPerStep(mixtral, 10_000))
        .isCloseTo(mixtral.totalParameters(), within(1.0));
    ModelArchitecture dense = model("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(PerformanceModel.weightsReadPerStep(dense, 7)).isEqualTo(dense.totalParameters());
  }

  @Test
  void maxConcurrency_isTheLargestThatMeetsTheTargets() {
    ServingScenario s = llama8bOnH100().build();

    PerformanceEstimate best = PerformanceModel.maxConcurrency(s, 256, 2.0, 0.030).orElseThrow();

    assertThat(best.ntpotSeconds()).isLessThanOrEqualTo(0.030);
    assertThat(best.concurrency()).isBetween(2, 255);
    assertThat(PerformanceModel.estimate(s, best.concurrency() + 1).ntpotSeconds())
        .isGreaterThan(0.030);
  }

  @Test
  void maxConcurrency_limitCapsAndImpossibleTargetGivesEmpty() {
    ServingScenario s = llama8bOnH100().build();

    assertThat(PerformanceModel.maxConcurrency(s, 3, 10, 10).orElseThrow().concurrency())
        .isEqualTo(3);
    assertThat(PerformanceModel.maxConcurrency(s, 256, 10, 0.001)).isEqualTo(Optional.empty());
    assertThat(PerformanceModel.maxConcurrency(s, 0, 10, 10)).isEmpty();
  }

  @Test
  void builders_rejectBadValuesNamingEachField() {
    assertThatThrownBy(() -> llama8bOnH100().inputTokens(0).outputTokens(-1).build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("inputTokens")
        .hasMessageContaining("outputTokens");
    assertThatThrownBy(() -> Efficiency.builder().decodeMemory(1.5).prefillCompute(0).build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("decodeMemory")
        .hasMessageContaining("prefillCompute");
    assertThatThrownBy(() -> PerformanceModel.estimate(llama8bOnH100().build(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
