package io.github.gkeinference.autoscaling.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScaleTarget;
import io.github.gkeinference.autoscaling.ScalingMetric;
import org.junit.jupiter.api.Test;

class ScalingRecommenderTest {
  private static HpaSimulation hour() {
    InferenceAutoscaler autoscaler =
        InferenceAutoscaler.builder()
            .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
            .maxReplicas(40)
            .addMetrics(ScalingMetric.vllmBatch(32))
            .build();
    return HpaSimulation.builder()
        .autoscaler(autoscaler)
        .traffic(
            TrafficProfile.diurnal(2, 30, 3600)
                .withPromptTokens(TokenDistribution.uniform(200, 1800))
                .withOutputTokens(TokenDistribution.uniform(50, 450)))
        .capacity(
            ReplicaCapacity.builder()
                .maxConcurrentSequences(64)
                .prefillTokensPerSecond(8000)
                .timePerOutputTokenSeconds(0.02)
                .timePerOutputTokenAtFullBatchSeconds(0.05)
                .build())
        .objective(ServiceObjective.ttft(2, 0.9))
        .podStartupSeconds(120)
        .build();
  }

  @Test
  void recommend_diurnalTraffic_findsSettingsThatMeetTheObjectiveWithinLittlesLaw() {
    HpaSimulation sim = hour();
    Recommendation r = ScalingRecommender.recommend(sim);

    // mean service = 1000 / 8000 + 250 * 0.05 = 12.625 s; at the 30 req/s peak that is
    // 378.75 sequences, / 64 = 5.92 replicas, * 1.25 headroom = 7.4, so at most 8
    assertThat(r.maxReplicas()).isEqualTo(8);
    assertThat(r.meetsObjective()).isTrue();
    assertThat(r.result().sloAttainment()).isGreaterThanOrEqualTo(0.9);
    assertThat(r.candidatesSimulated()).isGreaterThan(1);
    // the tuned autoscaler reproduces the recommended run
    InferenceAutoscaler tuned = r.applyTo(sim.autoscaler());
    assertThat(tuned.metrics().get(0).target()).isEqualTo(r.target());
    SimulationResult again =
        sim.toBuilder().autoscaler(tuned).initialReplicas(r.minReplicas()).build().run();
    assertThat(again.replicaHours()).isEqualTo(r.result().replicaHours());
  }

  @Test
  void targets_forBatch_areFractionsOfTheMaximumBatch() {
    // 64 slots: floor(64 * 0.5) = 32 ... floor(64 * 1.0) = 64
    assertThat(ScalingRecommender.targets(ScalingMetric.SignalKind.BATCH, 64))
        .containsExactly(32.0, 38.0, 44.0, 51.0, 57.0, 64.0);
  }

  @Test
  void chart_isAnSvgWithThreePanels() {
    String svg = SimulationChart.svg(hour().run());
    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
    // Each panel has axis titles with units; replicas and queue are simulated, so estimates.
    assertThat(svg)
        .contains(">load (requests/s)<", ">replicas (pods)<", ">queued (requests)<")
        .contains(">simulated time (hours)<")
        .contains(">Replicas (estimates)<", ">Queue (estimates)<");
    assertThat(svg.split("<polyline", -1)).hasSize(5); // load, replicas, ready, queue
    assertThat(SimulationChart.svg(hour().run())).isEqualTo(svg);
  }

  @Test
  void chart_timeAxis_hasAtMostThirteenWholeHourTicks_coveringTheRun() {
    // 24 hours in steps of 2 (12 steps); 1.5 hours in steps of 1, up to the next whole hour.
    assertThat(SimulationChart.hourTicks(24))
        .extracting(t -> t.label())
        .containsExactly("0", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20", "22", "24");
    assertThat(SimulationChart.hourTicks(1.5))
        .extracting(t -> t.label())
        .containsExactly("0", "1", "2");
    assertThat(SimulationChart.hourTicks(168)).hasSizeLessThanOrEqualTo(13);
  }
}
