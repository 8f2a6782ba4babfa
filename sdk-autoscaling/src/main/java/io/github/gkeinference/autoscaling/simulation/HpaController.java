package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.autoscaling.ScalingPolicy;
import io.github.gkeinference.autoscaling.ScalingRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The replica decisions of the Kubernetes HPA controller for one HPA with a {@code behavior}, as
 * {@code kubernetes/kubernetes pkg/controller/podautoscaler} computes them:
 *
 * <ul>
 *   <li>per metric ({@code replica_calculator.go}): the usage ratio is metric / target; within the
 *       tolerance (default 0.1) the replica count stays; otherwise {@code ceil(ratio * readyPods)}.
 *       Pods without metrics yet (starting) count as using 0 on a scale-up and the target on a
 *       scale-down, and a change of direction caused by that is dropped. External metrics with an
 *       average-value target use {@code ceil(total / target)}.
 *   <li>across metrics: the largest count; if some metric is missing, never a scale-down.
 *   <li>{@code horizontal.go}: a replica count outside min..max is brought back first; otherwise
 *       the recommendation is stabilized (the lowest recommendation of the scale-up window and the
 *       highest of the scale-down window bound it) and then rate-limited by the policies over the
 *       scale events of each policy's period ({@code selectPolicy} Max takes the largest change).
 * </ul>
 *
 * <p>Time is in whole seconds. Not thread-safe.
 */
final class HpaController {
  /** The default of {@code --horizontal-pod-autoscaler-tolerance}. */
  static final double DEFAULT_TOLERANCE = 0.1;

  /** Returned by a metric that cannot be computed (no ready pod has reported yet). */
  static final int NO_RECOMMENDATION = -1;

  private final int minReplicas;
  private final int maxReplicas;
  private final ScalingRules scaleUp;
  private final ScalingRules scaleDown;
  private final List<long[]> recommendations = new ArrayList<>(); // {time, replicas}
  private final List<long[]> upEvents = new ArrayList<>(); // {time, added}
  private final List<long[]> downEvents = new ArrayList<>(); // {time, removed}
  private boolean seen;

  HpaController(int minReplicas, int maxReplicas, ScalingRules scaleUp, ScalingRules scaleDown) {
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
    this.scaleUp = scaleUp;
    this.scaleDown = scaleDown;
  }

  /**
   * The replicas one pod metric asks for, when every ready pod reports the same average.
   *
   * @param currentReplicas the target's replica count
   * @param average the metric's average over ready pods
   * @param readyPods pods that report the metric
   * @param missingPods pods that do not report it yet (starting)
   * @param target the target average value
   * @param tolerance the tolerance
   * @return the replica count, or {@link #NO_RECOMMENDATION} without ready pods
   */
  static int podMetricReplicas(
      int currentReplicas,
      double average,
      int readyPods,
      int missingPods,
      double target,
      double tolerance) {
    if (readyPods == 0) {
      return NO_RECOMMENDATION;
    }
    double ratio = average / target;
    if (missingPods == 0) {
      if (Math.abs(1.0 - ratio) <= tolerance) {
        return currentReplicas;
      }
      return (int) Math.ceil(ratio * readyPods);
    }
    double fill = ratio < 1.0 ? target : 0.0;
    double newRatio =
        (average * readyPods + fill * missingPods) / (target * (readyPods + missingPods));
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (ratio < 1.0 && newRatio > 1.0)
        || (ratio > 1.0 && newRatio < 1.0)) {
      return currentReplicas;
    }
    int replicas = (int) Math.ceil(newRatio * (readyPods + missingPods));
    if ((newRatio < 1.0 && replicas > currentReplicas)
        || (newRatio > 1.0 && replicas < currentReplicas)) {
      return currentReplicas;
    }
    return replicas;
  }

  /**
   * The replicas an external metric with an average-value target asks for.
   *
   * @param statusReplicas the target's current replicas
   * @param total the metric's value
   * @param targetPerReplica the average-value target
   * @param tolerance the tolerance
   * @return the replica count
   */
  static int externalAverageReplicas(
      int statusReplicas, double total, double targetPerReplica, double tolerance) {
    double ratio = total / (targetPerReplica * statusReplicas);
    if (statusReplicas > 0 && Math.abs(1.0 - ratio) <= tolerance) {
      return statusReplicas;
    }
    return (int) Math.ceil(total / targetPerReplica);
  }

  /**
   * Runs one reconciliation and returns the replica count the HPA sets.
   *
   * @param now the time in seconds
   * @param currentReplicas the target's replica count ({@code spec.replicas})
   * @param metricReplicas the count each metric asks for, {@link #NO_RECOMMENDATION} when missing
   * @return the new replica count (equal to {@code currentReplicas} when nothing changes)
   */
  int reconcile(long now, int currentReplicas, int... metricReplicas) {
    if (!seen) {
      seen = true;
      if (scaleDown.stabilizationWindowSeconds() > 0) {
        // a new HPA does not scale down before one window has passed (maybeInitScaleDownWindow)
        recommendations.add(new long[] {now, currentReplicas});
      }
    }
    int desired;
    if (currentReplicas == 0) {
      return 0; // autoscaling is disabled for a target scaled to zero by hand
    } else if (currentReplicas > maxReplicas) {
      desired = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      desired = minReplicas;
    } else {
      int proposal = NO_RECOMMENDATION;
      boolean anyMissing = false;
      for (int r : metricReplicas) {
        if (r == NO_RECOMMENDATION) {
          anyMissing = true;
        } else {
          proposal = Math.max(proposal, r);
        }
      }
      if (proposal == NO_RECOMMENDATION) {
        return currentReplicas;
      }
      if (anyMissing && proposal < currentReplicas) {
        return currentReplicas;
      }
      int stabilized = stabilize(now, currentReplicas, proposal);
      desired = rateLimit(now, currentReplicas, stabilized);
    }
    if (desired != currentReplicas) {
      record(now, currentReplicas, desired);
    }
    return desired;
  }

  private int stabilize(long now, int currentReplicas, int proposal) {
    long upCutoff = now - scaleUp.stabilizationWindowSeconds();
    long downCutoff = now - scaleDown.stabilizationWindowSeconds();
    int up = proposal;
    int down = proposal;
    int oldIndex = -1;
    for (int i = 0; i < recommendations.size(); i++) {
      long[] rec = recommendations.get(i);
      if (rec[0] > upCutoff) {
        up = (int) Math.min(rec[1], up);
      }
      if (rec[0] > downCutoff) {
        down = (int) Math.max(rec[1], down);
      }
      if (rec[0] < upCutoff && rec[0] < downCutoff) {
        oldIndex = i;
      }
    }
    int recommendation = currentReplicas;
    if (recommendation < up) {
      recommendation = up;
    }
    if (recommendation > down) {
      recommendation = down;
    }
    if (oldIndex >= 0) {
      recommendations.set(oldIndex, new long[] {now, proposal});
    } else {
      recommendations.add(new long[] {now, proposal});
    }
    return recommendation;
  }

  private int rateLimit(long now, int current, int desired) {
    if (desired > current) {
      int limit = limit(now, current, true);
      int allowed = Math.min(maxReplicas, Math.max(limit, current));
      return Math.min(desired, allowed);
    }
    if (desired < current) {
      int limit = limit(now, current, false);
      int allowed = Math.max(minReplicas, Math.min(limit, current));
      return Math.max(desired, allowed);
    }
    return desired;
  }

  /**
   * The furthest the policies let the count move from {@code current} in one direction: for a
   * scale-up the highest count (lowest with {@code Min}), for a scale-down the lowest (highest with
   * {@code Min}), measured from the count at the start of each policy's period.
   */
  private int limit(long now, int current, boolean up) {
    ScalingRules rules = up ? scaleUp : scaleDown;
    if (rules.selectPolicy() == ScalingRules.SelectPolicy.DISABLED) {
      return current;
    }
    // Max picks the largest change: the highest count going up, the lowest going down
    boolean highest = up == (rules.selectPolicy() == ScalingRules.SelectPolicy.MAX);
    long result = highest ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    int sign = up ? 1 : -1;
    for (ScalingPolicy p : rules.policies()) {
      long start =
          current
              - changes(upEvents, now, p.periodSeconds())
              + changes(downEvents, now, p.periodSeconds());
      double percent = 1 + sign * p.value() / 100.0;
      long proposed =
          p.type() == ScalingPolicy.Type.PODS
              ? start + (long) sign * p.value()
              // rounded up going up so that a small percentage still adds a pod; down truncates
              : up ? (long) Math.ceil(start * percent) : (long) (start * percent);
      result = highest ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return (int) result;
  }

  private static long changes(List<long[]> events, long now, int periodSeconds) {
    long cutoff = now - periodSeconds;
    long sum = 0;
    for (long[] e : events) {
      if (e[0] > cutoff) {
        sum += e[1];
      }
    }
    return sum;
  }

  private void record(long now, int from, int to) {
    List<long[]> events = to > from ? upEvents : downEvents;
    int longest = (to > from ? scaleUp : scaleDown).longestPeriodSeconds();
    events.removeIf(e -> e[0] <= now - longest);
    events.add(new long[] {now, Math.abs(to - from)});
  }
}
