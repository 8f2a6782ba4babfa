package io.github.gkeinference.autoscaling.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScaleTarget;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpaSimulationTest {
  private static final int STEP_UP = 600;
  private static final int STEP_DOWN = 1800;
  private static final int WINDOW = 300; // Kubernetes' scale-down stabilization default

  /**
   * 1 request/s, then 20 from 600 s to 1800 s. A request takes 500 / 10000 s to prefill plus 200 *
   * 0.02 s to decode = 4.05 s, 5 whole seconds in one-second steps; 16 run at once per replica.
   */
  private static HpaSimulation stepLoad(long seed) {
    InferenceAutoscaler autoscaler =
        InferenceAutoscaler.builder()
            .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
            .maxReplicas(20)
            .addMetrics(ScalingMetric.vllmBatch(12))
            .build();
    return HpaSimulation.builder()
        .autoscaler(autoscaler)
        .traffic(
            TrafficProfile.step(1, 20, STEP_UP, STEP_DOWN, 3600)
                .withPromptTokens(TokenDistribution.fixed(500))
                .withOutputTokens(TokenDistribution.fixed(200)))
        .capacity(ReplicaCapacity.of(16, 10_000, 0.02))
        .objective(ServiceObjective.ttft(2, 0.9))
        .podStartupSeconds(60)
        .metricDelaySeconds(0)
        .seed(seed)
        .build();
  }

  @Test
  void run_stepLoad_scalesUpThenDownOnlyAfterTheStabilizationWindow() {
    SimulationResult result = stepLoad(1).run();
    List<ScaleEvent> events = result.scaleEvents();
    int[] replicas = result.replicas();

    // 1 request/s keeps 5 running on one replica (ratio 5/12 < 1, ceil(0.42) = 1): no change
    assertThat(events).noneMatch(e -> e.second() < STEP_UP);
    ScaleEvent firstUp =
        events.stream().filter(e -> e.second() >= STEP_UP).findFirst().orElseThrow();
    assertThat(firstUp.isScaleUp()).isTrue();
    assertThat(firstUp.second()).isBetween((long) STEP_UP, (long) STEP_UP + 30);
    // at 20 requests/s, 20 * 5 = 100 run at once: at least ceil(100 / 16) = 7 replicas
    assertThat(result.peakReplicas()).isGreaterThanOrEqualTo(7);

    // the count held at the drop is recommended until 1800 s; it falls to the low level only once
    // that recommendation leaves the window, at 1800 + 300 s
    int held = replicas[STEP_DOWN - 1];
    int low = replicas[replicas.length - 1];
    assertThat(held).isGreaterThan(low + 1);
    int firstLow = firstAtOrBelow(replicas, low + 1, STEP_DOWN);
    assertThat(firstLow)
        .isGreaterThanOrEqualTo(STEP_DOWN + WINDOW)
        .isLessThan(STEP_DOWN + WINDOW + 60);
    assertThat(low).isLessThanOrEqualTo(2);
  }

  @Test
  void run_queueAlone_collapsesDuringThePeak_queueNextToBatch_holds() {
    HpaSimulation base =
        stepLoad(1).toBuilder().podStartupSeconds(120).metricDelaySeconds(15).build();
    InferenceAutoscaler queueOnly =
        base.autoscaler().toBuilder().metrics(List.of(ScalingMetric.vllmQueue(3))).build();
    InferenceAutoscaler queueAndBatch =
        base.autoscaler().toBuilder()
            .metrics(List.of(ScalingMetric.vllmQueue(3), ScalingMetric.vllmBatch(12)))
            .build();

    int[] flapping = base.toBuilder().autoscaler(queueOnly).build().run().replicas();
    int[] steady = base.toBuilder().autoscaler(queueAndBatch).build().run().replicas();

    // the peak needs 20 * 5 / 16 = 6.25 replicas; late in the peak the queue-only HPA has been
    // at the minimum, the combined one never went below 7
    int lateStart = STEP_UP + 300;
    assertThat(min(flapping, lateStart, STEP_DOWN)).isEqualTo(1);
    assertThat(min(steady, lateStart, STEP_DOWN)).isGreaterThanOrEqualTo(7);
  }

  @Test
  void run_anySeed_neverScalesDownBelowAScaleUpOfTheLastWindow() {
    for (long seed = 1; seed <= 5; seed++) {
      List<ScaleEvent> events = stepLoad(seed).run().scaleEvents();
      for (ScaleEvent down : events) {
        if (down.isScaleUp()) {
          continue;
        }
        for (ScaleEvent up : events) {
          if (up.isScaleUp()
              && up.second() > down.second() - WINDOW
              && up.second() <= down.second()) {
            assertThat(down.to())
                .as("seed %d: %s after %s", seed, down, up)
                .isGreaterThanOrEqualTo(up.to());
          }
        }
      }
    }
  }

  @Test
  void run_sameSeed_isDeterministic_andAnotherSeedDiffers() {
    SimulationResult a = stepLoad(7).run();
    SimulationResult b = stepLoad(7).run();
    SimulationResult c = stepLoad(8).run();
    assertThat(b.replicas()).isEqualTo(a.replicas());
    assertThat(b.queue()).isEqualTo(a.queue());
    assertThat(b.scaleEvents()).isEqualTo(a.scaleEvents());
    assertThat(c.arrivals()).isNotEqualTo(a.arrivals());
  }

  @Test
  void run_replicaHours_areTheSumOfReplicasOverSeconds() {
    SimulationResult result = stepLoad(1).run();
    long replicaSeconds = 0;
    for (int r : result.replicas()) {
      replicaSeconds += r;
    }
    assertThat(result.replicaHours())
        .isCloseTo(replicaSeconds / 3600.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void run_overProvisioned_meetsTheObjective() {
    // 10 fixed replicas for 1 request/s: every request is admitted at once, TTFT = 500 / 10000
    HpaSimulation sim =
        stepLoad(1).toBuilder()
            .traffic(TrafficProfile.constant(1, 600).withPromptTokens(TokenDistribution.fixed(500)))
            .initialReplicas(10)
            .autoscaler(
                stepLoad(1).autoscaler().toBuilder().minReplicas(10).maxReplicas(10).build())
            .build();
    SimulationResult result = sim.run();
    assertThat(result.sloAttainment()).isEqualTo(1.0);
    assertThat(result.meetsObjective()).isTrue();
    assertThat(result.ttftAtPercentileSeconds()).isEqualTo(0.05);
  }

  @Test
  void build_withUnmodelledMetric_isRejected() {
    InferenceAutoscaler withCustom =
        stepLoad(1).autoscaler().toBuilder()
            .metrics(List.of(ScalingMetric.prometheusGauge("my_gauge", 5)))
            .build();
    assertThatThrownBy(() -> stepLoad(1).toBuilder().autoscaler(withCustom).build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("simulation.autoscaler.metrics[0].signal");
  }

  private static int min(int[] series, int from, int to) {
    int m = Integer.MAX_VALUE;
    for (int t = from; t < to; t++) {
      m = Math.min(m, series[t]);
    }
    return m;
  }

  private static int firstAtOrBelow(int[] series, int level, int from) {
    for (int t = from; t < series.length; t++) {
      if (series[t] <= level) {
        return t;
      }
    }
    return Integer.MAX_VALUE;
  }
}
