package io.github.gkeinference.autoscaling.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import org.junit.jupiter.api.Test;

class ReplicaCapacityTest {
  private static final ModelArchitecture LLAMA_8B =
      ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture();

  private static final FitRequest REQUEST =
      FitRequest.builder().architecture(LLAMA_8B).maxModelLen(8192).build();

  /** 1024 prompt and 256 output tokens per request. */
  private static final TrafficProfile CHAT =
      TrafficProfile.diurnal(2, 30, 3600)
          .withPromptTokens(TokenDistribution.fixed(1024))
          .withOutputTokens(TokenDistribution.fixed(256));

  private static DevicePerformance device(String label) {
    return AcceleratorCatalog.standard().require(label).performanceFacts().orElseThrow();
  }

  /**
   * The performance model's speeds obey the roofline of the catalog's facts: prefilling 1024 tokens
   * needs 1024 * 2 * active parameters FLOPs, so no replica prefills faster than its peak / (2 *
   * active parameters) tokens per second; decoding one token reads every weight once, so no step is
   * shorter than weights / HBM bandwidth.
   */
  @Test
  void estimated_llama8bOnL4_staysWithinTheRooflineOfTheCatalogFacts() {
    FitPlan plan = FitPlanner.planOn(REQUEST, "nvidia-l4", 1);
    DevicePerformance l4 = device("nvidia-l4");

    ReplicaCapacity c = ReplicaCapacity.estimated(REQUEST, plan, CHAT);

    assertThat(c.maxConcurrentSequences())
        .isEqualTo(PlannedConcurrency.of(REQUEST, plan, CHAT).concurrentSequences());
    assertThat(c.prefillTokensPerSecond())
        .isPositive()
        .isLessThanOrEqualTo(l4.peakBf16Flops() / (2.0 * LLAMA_8B.activeParameters()));
    assertThat(c.timePerOutputTokenSeconds())
        .isGreaterThanOrEqualTo(plan.memory().weights() / l4.memoryBandwidth());
    // a full batch reads its KV cache too and shares its steps with the others' prefills
    assertThat(c.timePerOutputTokenAtFullBatchSeconds())
        .isGreaterThan(c.timePerOutputTokenSeconds());
  }

  @Test
  void estimated_followsTheAcceleratorAndTheWeightDtype() {
    ReplicaCapacity l4 =
        ReplicaCapacity.estimated(REQUEST, FitPlanner.planOn(REQUEST, "nvidia-l4", 1), CHAT);
    ReplicaCapacity h100 =
        ReplicaCapacity.estimated(REQUEST, FitPlanner.planOn(REQUEST, "nvidia-h100-80gb", 1), CHAT);
    FitRequest fp8 = REQUEST.toBuilder().weightDtype(DataType.FP8_E4M3).build();
    ReplicaCapacity h100Fp8 =
        ReplicaCapacity.estimated(fp8, FitPlanner.planOn(fp8, "nvidia-h100-80gb", 1), CHAT);

    // H100: more FLOP/s and HBM bandwidth than L4 (catalog facts)
    assertThat(h100.prefillTokensPerSecond()).isGreaterThan(l4.prefillTokensPerSecond());
    assertThat(h100.timePerOutputTokenSeconds()).isLessThan(l4.timePerOutputTokenSeconds());
    // fp8 weights: half the bytes to read per decode step
    assertThat(h100Fp8.timePerOutputTokenSeconds()).isLessThan(h100.timePerOutputTokenSeconds());
  }

  @Test
  void estimated_withARequestLongerThanThePlan_reportsTheViolation() {
    FitPlan plan = FitPlanner.planOn(REQUEST, "nvidia-l4", 1);
    TrafficProfile tooLong =
        CHAT.withPromptTokens(TokenDistribution.fixed(8000))
            .withOutputTokens(TokenDistribution.fixed(1000));

    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class, () -> ReplicaCapacity.estimated(REQUEST, plan, tooLong));

    assertThat(e).isNotNull();
    assertThat(e.violations())
        .extracting(Violation::path)
        .contains("capacity.traffic.tokensPerRequest");
  }
}
