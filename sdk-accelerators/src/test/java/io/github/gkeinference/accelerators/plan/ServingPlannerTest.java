package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.accelerators.price.BundledPrices;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingPlannerTest {
  private static ServingGoal.Builder goal(String model, String... accelerators) {
    return ServingGoal.builder()
        .architecture(ModelCatalog.require(model).architecture())
        .addCandidates(accelerators);
  }

  /** Acceptance 1: the default chat goal on H100 gives a deployment a user would ship. */
  @Test
  void plan_llama70bOnH100_recommendsFourOrMoreGpusWithRoomFor16FullLengthSequences() {
    ServingReport report =
        ServingPlanner.plan(goal("meta-llama/Llama-3.3-70B-Instruct", "nvidia-h100-80gb").build());

    ServingOption best = report.recommendation().orElseThrow();
    assertThat(best.fit().devices()).isGreaterThanOrEqualTo(4);
    assertThat(best.fit().maxModelLen()).isEqualTo(8192);
    assertThat(best.fit().maxConcurrentSequences()).isGreaterThanOrEqualTo(16);
    assertThat(best.usdPerMillionOutputTokens()).isPresent();
    assertThat(best.usdPerHour()).isPresent();
    // Two H100s at the pinned vLLM's 0.90: 72.0 GB usable - 70.6 GB weights - 1.7 GB runtime
    // reserve leaves no KV cache at all: rejected with the reason.
    ServingOption two =
        report.options().stream().filter(o -> o.fit().devices() == 2).findFirst().orElseThrow();
    assertThat(two.feasible()).isFalse();
    assertThat(two.reasons()).anyMatch(r -> r.contains("leave no room for the KV cache"));
  }

  /**
   * Without a target rate the deployment is one replica, so options rank by one replica's price per
   * hour: the smallest layout that meets the SLO wins over a larger one whose tokens are cheaper
   * only at full utilisation.
   */
  @Test
  void plan_withoutTargetRate_ranksByThePricePerHourOfOneReplica() {
    ServingReport report = ServingPlanner.plan(goal("meta-llama/Llama-3.1-8B-Instruct").build());

    List<ServingOption> priced =
        report.feasible().stream().filter(o -> o.usdPerHour().isPresent()).toList();
    assertThat(priced).hasSizeGreaterThan(1);
    assertThat(priced).allMatch(o -> o.replicas() == 1);
    assertThat(priced)
        .extracting(o -> o.usdPerHour().orElseThrow())
        .isSortedAccordingTo(Comparator.naturalOrder());
    ServingOption best = report.recommendation().orElseThrow();
    assertThat(best).isSameAs(priced.get(0));
    // On L4s the smallest layout that meets the chat SLO is one GPU; ranked by $/1M tokens at full
    // utilisation the planner used to pick four.
    ServingOption onL4 =
        ServingPlanner.plan(goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-l4").build())
            .recommendation()
            .orElseThrow();
    assertThat(onL4.fit().devices()).isEqualTo(1);
    assertThat(report.rankingRule()).contains("one replica").contains("--qps");
  }

  /** With a target rate options rank by the price of every replica it needs, then $/1M tokens. */
  @Test
  void plan_withTargetRate_ranksByTotalPricePerHourThenPerMillionTokens() {
    ServingReport report =
        ServingPlanner.plan(goal("meta-llama/Llama-3.1-8B-Instruct").targetQps(20.0).build());

    List<ServingOption> priced =
        report.feasible().stream().filter(o -> o.usdPerHour().isPresent()).toList();
    assertThat(priced).hasSizeGreaterThan(1);
    for (ServingOption o : priced) {
      assertThat(o.usdPerHour().orElseThrow())
          .isCloseTo(o.replicas() * o.usdPerHourPerReplica().orElseThrow(), within(1e-9));
    }
    assertThat(priced)
        .isSortedAccordingTo(
            Comparator.comparing((ServingOption o) -> o.usdPerHour().orElseThrow())
                .thenComparing(o -> o.usdPerMillionOutputTokens().orElseThrow()));
    assertThat(report.rankingRule()).contains("20 QPS").contains("replicas x price");
  }

  /** Acceptance 2: multi-host layouts for models no single host holds. */
  @Test
  void plan_largeModels_offerMultiHostOptions() {
    ServingOption gpu405 =
        ServingPlanner.plan(goal("meta-llama/Llama-3.1-405B-Instruct", "nvidia-h100-80gb").build())
            .recommendation()
            .orElseThrow();
    assertThat(gpu405.fit().tensorParallelism()).isEqualTo(8);
    assertThat(gpu405.fit().pipelineParallelism()).isEqualTo(2);
    assertThat(gpu405.fit().hosts()).isEqualTo(2);
    assertThat(gpu405.fit().machineType()).isEqualTo("a3-highgpu-8g");
    assertThat(gpu405.fit().devices()).isEqualTo(16);
    assertThat(gpu405.fit().placement().devices()).isEqualTo(8);

    for (String tpu : List.of("tpu-v6e-slice", "tpu-v5p-slice")) {
      ServingOption slice =
          ServingPlanner.plan(goal("meta-llama/Llama-3.1-405B-Instruct", tpu).build())
              .recommendation()
              .orElseThrow();
      assertThat(slice.fit().hosts()).as(tpu).isGreaterThan(1);
      assertThat(slice.fit().tpuTopology()).as(tpu).isPresent();
    }

    ServingOption r1 =
        ServingPlanner.plan(goal("deepseek-ai/DeepSeek-R1", "nvidia-h100-80gb").build())
            .recommendation()
            .orElseThrow();
    assertThat(r1.fit().hosts()).isGreaterThan(1);
  }

  /**
   * Acceptance 4: a target rate and a tighter SLO change replicas as the arithmetic says: replicas
   * = ceil(qps / requests per second of one replica at the most load meeting the SLO).
   */
  @Test
  void plan_targetRateAndTighterSlo_sizeReplicasFromPerReplicaCapacity() {
    ServingGoal loose = goal("meta-llama/Llama-3.3-70B-Instruct", "nvidia-h100-80gb").build();
    ServingGoal tight = loose.toBuilder().targetQps(20.0).ttftMillis(500).ntpotMillis(50).build();

    ServingReport looseReport = ServingPlanner.plan(loose);
    ServingReport tightReport = ServingPlanner.plan(tight);

    for (ServingOption o : tightReport.feasible()) {
      PerformanceEstimate e = o.estimate().orElseThrow();
      assertThat(e.ntpotSeconds()).isLessThanOrEqualTo(0.050);
      assertThat(e.ttftSeconds()).isLessThanOrEqualTo(0.500);
      assertThat(o.replicas()).isEqualTo((int) Math.ceil(20 / e.requestsPerSecond()));
      assertThat(o.usdPerHour().orElseThrow())
          .isCloseTo(o.replicas() * o.usdPerHourPerReplica().orElseThrow(), within(1e-9));
      ServingOption same = sameLayout(looseReport, o);
      assertThat(o.concurrency()).isLessThan(same.concurrency());
    }
    // Ranked by total price per hour when a rate is given.
    assertThat(tightReport.feasible())
        .isSortedAccordingTo(Comparator.comparing(o -> o.usdPerHour().orElseThrow()));
    assertThat(tightReport.recommendation().orElseThrow().replicas()).isGreaterThan(1);
  }

  /** $/1M output tokens follows GIQ: price per second / (input/s / 4 + output/s) * 1e6. */
  @Test
  void plan_costPerMillionTokens_followsTheGiqFormula() {
    ServingReport report =
        ServingPlanner.plan(goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-l4").build());

    assertThat(report.feasible()).isNotEmpty();
    for (ServingOption o : report.feasible()) {
      PerformanceEstimate e = o.estimate().orElseThrow();
      double perSecond = o.usdPerHourPerReplica().orElseThrow() / 3600;
      double expected =
          perSecond / (e.requestsPerSecond() * 1024 / 4.0 + e.outputTokensPerSecond()) * 1e6;
      assertThat(o.usdPerMillionOutputTokens().orElseThrow()).isCloseTo(expected, within(1e-9));
    }
    // Ranked by one replica's $/hour (no target rate), then $/1M tokens.
    assertThat(report.feasible())
        .isSortedAccordingTo(
            Comparator.comparing((ServingOption o) -> o.usdPerHour().orElseThrow())
                .thenComparing(o -> o.usdPerMillionOutputTokens().orElseThrow()));
  }

  @Test
  void plan_sloNothingMeets_isAReportWithReasonsNotAnException() {
    ServingReport report =
        ServingPlanner.plan(
            goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-l4", "nvidia-h100-80gb")
                .ntpotMillis(0.5)
                .build());

    assertThat(report.recommendation()).isEmpty();
    assertThat(report.rejected()).hasSize(report.options().size());
    assertThat(report.rejected()).allSatisfy(o -> assertThat(o.reasons()).isNotEmpty());
    assertThat(report.rejected())
        .anySatisfy(o -> assertThat(o.reasons()).anyMatch(r -> r.startsWith("misses NTPOT")));
  }

  @Test
  void plan_badGoal_throwsOneExceptionNamingEveryField() {
    ServingGoal bad =
        goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-l4")
            .inputTokens(0)
            .targetQps(-1.0)
            .ttftMillis(0)
            .ntpotMillis(-5)
            .pricing("monthly")
            .region("mars-central1")
            .maxModelLen(8192)
            .build();

    assertThatThrownBy(() -> ServingPlanner.plan(bad))
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(
                        ((SdkValidationException) e).errors().stream().map(v -> v.path()).toList())
                    .contains(
                        "inputTokens",
                        "targetQps",
                        "ttftMillis",
                        "ntpotMillis",
                        "pricing",
                        "region"));
  }

  @Test
  void plan_noPriceInRegion_isANoteAndRanksAfterPricedOptions() {
    // The snapshot has no a3-megagpu-8g price in us-central1 (Compute Engine does not offer it
    // there in the source).
    ServingReport report =
        ServingPlanner.plan(
            goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-h100-mega-80gb", "nvidia-l4").build());

    ServingOption mega =
        report.options().stream()
            .filter(o -> o.fit().accelerator().equals("nvidia-h100-mega-80gb"))
            .findFirst()
            .orElseThrow();
    assertThat(mega.feasible()).isTrue();
    assertThat(mega.usdPerHour()).isEmpty();
    assertThat(mega.notes()).anyMatch(n -> n.contains("no on-demand price for a3-megagpu-8g"));
    assertThat(report.recommendation().orElseThrow().fit().accelerator()).isEqualTo("nvidia-l4");
  }

  @Test
  void plan_pricingModel_changesCostNotCapacity() {
    ServingGoal onDemand = goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-l4").build();
    ServingReport a = ServingPlanner.plan(onDemand);
    ServingReport b = ServingPlanner.plan(onDemand.toBuilder().pricing("spot").build());

    ServingOption x = a.recommendation().orElseThrow();
    ServingOption y = sameLayout(b, x);
    assertThat(y.concurrency()).isEqualTo(x.concurrency());
    double expected =
        BundledPrices.snapshot()
            .price(
                x.fit().machineType(),
                "us-central1",
                io.github.gkeinference.accelerators.price.PricingModel.SPOT)
            .orElseThrow()
            .usdPerHour();
    assertThat(y.usdPerHourPerReplica().orElseThrow()).isEqualTo(expected);
    assertThat(y.usdPerHourPerReplica().orElseThrow())
        .isLessThan(x.usdPerHourPerReplica().orElseThrow());
  }

  private static ServingOption sameLayout(ServingReport report, ServingOption o) {
    return report.options().stream()
        .filter(
            p ->
                p.fit().accelerator().equals(o.fit().accelerator())
                    && p.fit().devices() == o.fit().devices()
                    && p.fit().pipelineParallelism() == o.fit().pipelineParallelism())
        .findFirst()
        .orElseThrow();
  }

  /**
   * Four H100s for Llama-3.3-70B keep some 35 GB of KV cache per GPU: at 1.31 MB per 16-token block
   * (2 of the 8 KV heads per GPU) about 430,000 tokens, three sequences of the model's
   * 131,072-token context. The layout and the memory split stay the option's.
   */
  @Test
  void longestContext_llama70bOnFourH100_servesTheModelsWholeContext() {
    ServingGoal goal = goal("meta-llama/Llama-3.3-70B-Instruct", "nvidia-h100-80gb").build();
    ServingOption best = ServingPlanner.plan(goal).recommendation().orElseThrow();

    FitPlan longest = ServingPlanner.longestContext(goal, best);

    assertThat(longest.maxModelLen()).isEqualTo(131_072);
    assertThat(longest.maxConcurrentSequences())
        .isGreaterThanOrEqualTo(ServingPlanner.LONG_CONTEXT_SEQUENCES);
    assertThat(longest.devices()).isEqualTo(best.fit().devices());
    assertThat(longest.kvBlocks()).isEqualTo(best.fit().kvBlocks());
  }

  /**
   * One L4 keeps 1810 blocks = 28,960 tokens of KV cache for Llama-3.1-8B (FitPlannerTest): no
   * power of two from 131,072 down to 16,384 fits twice (16,384 fits once), so the goal's 8,192
   * stays.
   */
  @Test
  void longestContext_withoutRoomForTwoLongerSequences_keepsTheGoalsContext() {
    ServingGoal goal = goal("meta-llama/Llama-3.1-8B-Instruct", "nvidia-l4").build();
    ServingOption oneL4 =
        ServingPlanner.plan(goal).feasible().stream()
            .filter(o -> o.fit().devices() == 1)
            .findFirst()
            .orElseThrow();
    assertThat(oneL4.fit().kvTokens()).isEqualTo(28_960);

    assertThat(ServingPlanner.longestContext(goal, oneL4).maxModelLen()).isEqualTo(8192);
  }
}
