package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.core.render.WorkloadFacts;
import org.junit.jupiter.api.Test;

/** The wide-EP sample renders the layout whose expert split the planner says fits one GPU. */
class WideExpertParallelTest {
  @Test
  void plan_deepSeekR1Ep16_holdsSixteenExpertsPerH200() {
    FitPlan rank = WideExpertParallel.plan();

    assertThat(rank.feasible()).as(rank.reasons().toString()).isTrue();
    assertThat(rank.expertParallelism()).isEqualTo(16);
    // 58 MoE layers x 16 of 256 experts x 3 x 7168 x 2048 fp8 weights
    assertThat(rank.memory().expertWeights()).isEqualTo(58L * 16 * 3 * 7168 * 2048);
  }

  @Test
  void render_groupsRanksAsThePlanSays() {
    WorkloadFacts facts =
        WideExpertParallel.render(SampleOptions.defaults()).workloads().stream()
            .filter(w -> w.kind().equals("LeaderWorkerSet"))
            .findFirst()
            .orElseThrow();

    assertThat(facts.podsPerGroup()).isEqualTo(WideExpertParallel.NODES);
    assertThat(facts.dataParallelism()).hasValue(16);
    assertThat(facts.tensorParallelism()).hasValue(WideExpertParallel.plan().tensorParallelism());
    assertThat(facts.maxModelLen()).hasValue(WideExpertParallel.MAX_MODEL_LEN);
  }
}
