package io.github.gkeinference.autoscaling.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.autoscaling.ScalingPolicy;
import io.github.gkeinference.autoscaling.ScalingRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's HPA decisions against the Kubernetes formula {@code desired = ceil(current *
 * metric / target)}, its 0.1 tolerance, the 300 s scale-down stabilization and the scale-up
 * policies, on scripted metric sequences.
 */
class HpaControllerTest {
  static final double TARGET = 3; // waiting requests per pod

  @Test
  void reconcile_scriptedQueueSequence_followsFormulaToleranceAndStabilization() {
    HpaController hpa =
        new HpaController(
            1, 10, ScalingRules.kubernetesScaleUp(), ScalingRules.kubernetesScaleDown());
    // every pod is ready, so each decision is ceil(current * metric / 3) outside the tolerance
    double[] metric = {6, 3.2, 4.5, 12, 1.5};
    int current = 2;
    List<Integer> decisions = new ArrayList<>();
    long t = 15;
    for (double m : metric) {
      current = step(hpa, t, current, m);
      decisions.add(current);
      t += 15;
    }
    assertThat(decisions)
        .containsExactly(
            4, // t=15: ratio 6/3 = 2, ceil(2 * 2) = 4; limit max(2 + 4 pods, 2 * 200 %) = 6
            4, // t=30: ratio 3.2/3 = 1.067, |1 - 1.067| <= 0.1: unchanged
            6, // t=45: ratio 4.5/3 = 1.5, ceil(4 * 1.5) = 6
            10, // t=60: ratio 12/3 = 4, ceil(6 * 4) = 24, limited by 6 + 4 = 10 and max 10
            10); // t=75: ratio 0.5 wants ceil(10 * 0.5) = 5, but 24 was recommended at t=60

    // metric stays at 1.5 per pod: 5 is recommended every 15 s, but the recommendation of 24 at
    // t=60 holds the count at 10 until it leaves the 300 s window: t - 300 >= 60, so t = 360
    for (t = 90; t < 360; t += 15) {
      assertThat(step(hpa, t, current, 1.5)).as("t=%d", t).isEqualTo(10);
    }
    // at t=360 the highest recommendation of (60, 360] is 5 = ceil(10 * 1.5 / 3); the scale-down
    // policy (100 % per 15 s) allows it
    assertThat(step(hpa, 360, current, 1.5)).isEqualTo(5);
  }

  @Test
  void reconcile_withinTolerance_keepsReplicas() {
    HpaController hpa = permissive(1, 100);
    // 10 pods, 3.3 per pod: ratio 1.1, exactly at the tolerance: unchanged
    assertThat(step(hpa, 15, 10, 3.3)).isEqualTo(10);
    // 10 pods, 2.7 per pod: ratio 0.9: unchanged
    assertThat(step(hpa, 30, 10, 2.7)).isEqualTo(10);
    // 10 pods, 3.4 per pod: ratio 1.133: ceil(11.33) = 12
    assertThat(step(hpa, 45, 10, 3.4)).isEqualTo(12);
  }

  @Test
  void podMetricReplicas_withStartingPods_countsThemAsZeroOnScaleUpAndTargetOnScaleDown() {
    // scale-up: 2 ready pods at 9 (ratio 3), 2 starting pods count as 0:
    // new ratio (2 * 9 + 2 * 0) / (3 * 4) = 1.5, ceil(1.5 * 4) = 6
    assertThat(HpaController.podMetricReplicas(4, 9, 2, 2, TARGET, 0.1)).isEqualTo(6);
    // scale-down: 2 ready pods at 0 (ratio 0), 2 starting pods count as the target:
    // new ratio (0 + 2 * 3) / (3 * 4) = 0.5, ceil(0.5 * 4) = 2
    assertThat(HpaController.podMetricReplicas(4, 0, 2, 2, TARGET, 0.1)).isEqualTo(2);
    // 1 ready pod at 4 (ratio 1.33) and 3 starting pods: new ratio 4 / 12 = 0.33 turns the
    // direction around, so the HPA keeps 4
    assertThat(HpaController.podMetricReplicas(4, 4, 1, 3, TARGET, 0.1)).isEqualTo(4);
    // no ready pod has reported: no recommendation
    assertThat(HpaController.podMetricReplicas(4, 0, 0, 4, TARGET, 0.1))
        .isEqualTo(HpaController.NO_RECOMMENDATION);
  }

  @Test
  void externalAverageReplicas_isTotalOverTarget() {
    // 95 undelivered messages, target 10 per replica, 5 replicas: ratio 1.9, ceil(95 / 10) = 10
    assertThat(HpaController.externalAverageReplicas(5, 95, 10, 0.1)).isEqualTo(10);
    // 52 messages on 5 replicas: ratio 1.04, within tolerance
    assertThat(HpaController.externalAverageReplicas(5, 52, 10, 0.1)).isEqualTo(5);
  }

  @Test
  void reconcile_missingMetric_neverScalesDown() {
    HpaController hpa = permissive(1, 10);
    assertThat(hpa.reconcile(15, 6, 2, HpaController.NO_RECOMMENDATION)).isEqualTo(6);
    assertThat(hpa.reconcile(30, 6, 8, HpaController.NO_RECOMMENDATION)).isEqualTo(8);
  }

  /** No stabilization, and policies that never limit. */
  static HpaController permissive(int min, int max) {
    return new HpaController(
        min,
        max,
        ScalingRules.of(0, ScalingRules.SelectPolicy.MAX, ScalingPolicy.pods(1000, 1)),
        ScalingRules.of(0, ScalingRules.SelectPolicy.MAX, ScalingPolicy.percent(100, 1)));
  }

  /** One reconciliation with every pod ready and reporting {@code metric}. */
  static int step(HpaController hpa, long t, int current, double metric) {
    return hpa.reconcile(
        t, current, HpaController.podMetricReplicas(current, metric, current, 0, TARGET, 0.1));
  }
}
