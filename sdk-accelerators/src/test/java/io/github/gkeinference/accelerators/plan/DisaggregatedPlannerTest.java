package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.accelerators.perf.PerformanceModel;
import io.github.gkeinference.accelerators.perf.ServingScenario;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelCatalog;
import org.junit.jupiter.api.Test;

class DisaggregatedPlannerTest {
  private static final String H100 = "nvidia-h100-80gb";

  /** Llama-3.3-70B in fp8 with long prompts: the workload P/D is for. */
  static ServingGoal.Builder goal() {
    return ServingGoal.builder()
        .architecture(ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
        .weightDtype(DataType.FP8_E4M3)
        .inputTokens(4096)
        .outputTokens(256)
        .maxModelLen(8192)
        .ttftMillis(2000)
        .ntpotMillis(50);
  }

  @Test
  void plan_decodeBatch_isTheLargestWhoseStepMeetsNtpot() {
    ServingGoal g = goal().build();

    DisaggregatedPlanner.Plan plan = DisaggregatedPlanner.plan(g, H100, 2, H100, 2);

    assertThat(plan.feasible()).as(plan.lines().toString()).isTrue();
    DisaggregatedPlanner.Side decode = plan.decode().orElseThrow();
    PerformanceEstimate chosen = decode.estimate();
    assertThat(chosen.decodeStepSeconds()).isLessThanOrEqualTo(0.050);
    // one more sequence either misses NTPOT or does not fit the KV cache
    ServingScenario s = scenario(g, decode.fit());
    int kvLimit =
        FitPlanner.sequences(
            g.fitRequest().toBuilder().minConcurrentSequences(1).build(), decode.fit(), 4096 + 256);
    assertThat(
            chosen.concurrency() == kvLimit
                || PerformanceModel.estimate(s, chosen.concurrency() + 1).decodeStepSeconds()
                    > 0.050)
        .isTrue();
    // the decode side's time per token has no prefill in it: below the shared server's at that
    // batch
    assertThat(chosen.decodeStepSeconds()).isLessThan(chosen.ntpotSeconds());
    assertThat(decode.requestsPerSecond())
        .isCloseTo(
            chosen.concurrency() / chosen.decodeStepSeconds() / 256,
            org.assertj.core.data.Percentage.withPercentage(1e-9));
  }

  @Test
  void plan_targetRate_setsReplicasToCoverItOnEachSide() {
    DisaggregatedPlanner.Plan one = DisaggregatedPlanner.plan(goal().build(), H100, 2, H100, 2);
    double prefillRate = one.prefill().orElseThrow().requestsPerSecond();
    double decodeRate = one.decode().orElseThrow().requestsPerSecond();
    double target = 3 * Math.max(prefillRate, decodeRate);

    DisaggregatedPlanner.Plan sized =
        DisaggregatedPlanner.plan(goal().targetQps(target).build(), H100, 2, H100, 2);

    DisaggregatedPlanner.Side prefill = sized.prefill().orElseThrow();
    DisaggregatedPlanner.Side decode = sized.decode().orElseThrow();
    // enough replicas for the rate, and one fewer would not be
    assertThat(prefill.replicas() * prefill.requestsPerSecond()).isGreaterThanOrEqualTo(target);
    assertThat((prefill.replicas() - 1) * prefill.requestsPerSecond()).isLessThan(target);
    assertThat(decode.replicas() * decode.requestsPerSecond()).isGreaterThanOrEqualTo(target);
    assertThat((decode.replicas() - 1) * decode.requestsPerSecond()).isLessThan(target);
    assertThat(one.prefill().orElseThrow().replicas()).isEqualTo(1);
  }

  @Test
  void plan_prefillCapacity_leavesTheTtftBudgetForTheMeanQueueWait() {
    ServingGoal g = goal().build();
    DisaggregatedPlanner.Plan plan = DisaggregatedPlanner.plan(g, H100, 2, H100, 2);
    DisaggregatedPlanner.Side prefill = plan.prefill().orElseThrow();
    double p = prefill.estimate().prefillSeconds();
    double rho = prefill.requestsPerSecond() * p;
    double ca2 = g.efficiency().arrivalVariability();
    double wait = ca2 / 2 * rho / (1 - rho) * p;
    double step = plan.decode().orElseThrow().estimate().decodeStepSeconds();

    assertThat(rho).isBetween(0.0, 1.0);
    // at that utilisation the wait, the prefill and a decode step fill the TTFT target exactly
    assertThat(wait + p + step).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void plan_ttftBelowOnePrefill_saysPlainlyThatThePrefillSideIsNotSized() {
    DisaggregatedPlanner.Plan plan =
        DisaggregatedPlanner.plan(goal().ttftMillis(10).build(), H100, 2, H100, 2);

    assertThat(plan.feasible()).isFalse();
    assertThat(plan.prefill()).isEmpty();
    assertThat(plan.decode()).isPresent();
    assertThat(plan.reasons()).singleElement().asString().startsWith("prefill: one prompt takes");
    assertThat(plan.lines()).anyMatch(l -> l.startsWith("not sized: prefill"));
  }

  @Test
  void lines_labelEveryNumberAsAnEstimate_andSayWhatIsNotEstimated() {
    DisaggregatedPlanner.Plan plan = DisaggregatedPlanner.plan(goal().build(), H100, 2, H100, 2);

    assertThat(plan.lines())
        .filteredOn(l -> l.startsWith("prefill:") || l.startsWith("decode:"))
        .hasSize(2)
        .allMatch(l -> l.endsWith("(estimate)"));
    assertThat(plan.lines())
        .contains(
            "note: the KV cache transfer from prefill to decode (NIXL) is not estimated; it adds"
                + " to TTFT");
  }

  private static ServingScenario scenario(ServingGoal g, FitPlan fit) {
    return ServingPlanner.scenario(
        g,
        fit,
        io.github.gkeinference.accelerators.catalog.AcceleratorCatalog.standard()
            .require(fit.accelerator())
            .performanceFacts()
            .orElseThrow());
  }
}
