package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import java.util.ArrayList;
import java.util.List;

/**
 * A recommended replica range and target for the autoscaler's first metric, with the simulation
 * that supports it.
 *
 * @param minReplicas the recommended minimum
 * @param maxReplicas the recommended maximum
 * @param target the recommended target of the first metric
 * @param result the simulation of the recommended settings
 * @param candidatesSimulated how many settings were simulated
 */
public record Recommendation(
    int minReplicas,
    int maxReplicas,
    double target,
    SimulationResult result,
    int candidatesSimulated) {

  /** Returns whether the recommended settings meet the objective in simulation. */
  public boolean meetsObjective() {
    return result.meetsObjective();
  }

  /**
   * Returns the autoscaler with the recommended limits and first-metric target.
   *
   * @param autoscaler the autoscaler that was tuned
   * @return a new autoscaler
   */
  public InferenceAutoscaler applyTo(InferenceAutoscaler autoscaler) {
    return tuned(autoscaler, minReplicas, maxReplicas, target);
  }

  static InferenceAutoscaler tuned(
      InferenceAutoscaler autoscaler, int min, int max, double target) {
    List<ScalingMetric> metrics = new ArrayList<>(autoscaler.metrics());
    metrics.set(0, metrics.get(0).toBuilder().target(target).build());
    return autoscaler.toBuilder().minReplicas(min).maxReplicas(max).metrics(metrics).build();
  }
}
