package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Recommends minimum and maximum replicas and the target of the autoscaler's first metric by
 * simulating candidate settings against the traffic and keeping the cheapest (fewest replica-hours)
 * that meets the objective; when none does, the one with the highest attainment.
 *
 * <pre>{@code
 * Recommendation r = ScalingRecommender.recommend(simulation);
 * InferenceAutoscaler tuned = r.applyTo(simulation.autoscaler());
 * }</pre>
 *
 * <p>Candidates: targets around GKE's starting points for the metric's signal (queue 1 to 20, batch
 * 50 % to 100 % of the maximum batch, occupancy 0.5 to 0.95); a maximum from Little's law (peak
 * rate times mean service time divided by the batch) with {@value #MAX_HEADROOM} headroom, which is
 * this SDK's margin, not a GKE number; minimums from 1 to what the lowest rate needs plus one.
 */
public final class ScalingRecommender {
  /** The headroom over the Little's-law replica count at peak used as the maximum. */
  public static final double MAX_HEADROOM = 1.25;

  private ScalingRecommender() {}

  /**
   * Recommends settings for the simulation's autoscaler.
   *
   * @param simulation the simulation whose autoscaler is tuned
   * @return the recommendation
   */
  public static Recommendation recommend(HpaSimulation simulation) {
    InferenceAutoscaler base = simulation.autoscaler();
    ScalingMetric metric = base.metrics().get(0);
    ReplicaCapacity capacity = simulation.capacity();
    TrafficProfile traffic = simulation.traffic();
    int slots = capacity.maxConcurrentSequences();
    double meanService =
        traffic.promptTokens().mean() / capacity.prefillTokensPerSecond()
            + traffic.outputTokens().mean() * capacity.timePerOutputTokenAtFullBatchSeconds();
    int maxReplicas =
        Math.max(1, (int) Math.ceil(traffic.peakRate() * meanService / slots * MAX_HEADROOM));
    int lowNeed = Math.max(1, (int) Math.ceil(traffic.lowestRate() * meanService / slots));
    TreeSet<Integer> minimums = new TreeSet<>(List.of(1, lowNeed, lowNeed + 1));
    minimums.removeIf(m -> m > maxReplicas);

    Recommendation best = null;
    int tried = 0;
    for (int min : minimums) {
      for (double target : targets(metric.signal(), slots)) {
        Recommendation candidate = simulate(simulation, min, maxReplicas, target, ++tried);
        if (best == null || better(candidate, best)) {
          best = candidate;
        }
      }
    }
    return new Recommendation(
        best.minReplicas(), best.maxReplicas(), best.target(), best.result(), tried);
  }

  private static Recommendation simulate(
      HpaSimulation simulation, int min, int max, double target, int tried) {
    InferenceAutoscaler autoscaler =
        Recommendation.tuned(simulation.autoscaler(), min, max, target);
    SimulationResult result =
        simulation.toBuilder().autoscaler(autoscaler).initialReplicas(min).build().run();
    return new Recommendation(min, max, target, result, tried);
  }

  private static boolean better(Recommendation a, Recommendation b) {
    boolean aMeets = a.meetsObjective();
    boolean bMeets = b.meetsObjective();
    if (aMeets != bMeets) {
      return aMeets;
    }
    if (aMeets) {
      return a.result().replicaHours() < b.result().replicaHours();
    }
    return a.result().sloAttainment() > b.result().sloAttainment();
  }

  static List<Double> targets(ScalingMetric.SignalKind signal, int slots) {
    List<Double> targets = new ArrayList<>();
    switch (signal) {
      case BATCH -> {
        for (double f : new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 1.0}) {
          targets.add(Math.max(1, Math.floor(slots * f)));
        }
      }
      case OCCUPANCY -> targets.addAll(List.of(0.5, 0.6, 0.7, 0.8, 0.9, 0.95));
      default -> targets.addAll(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0));
    }
    return targets;
  }
}
