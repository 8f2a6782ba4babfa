package io.github.gkeinference.autoscaling;

import io.github.gkeinference.core.validate.Violations;
import java.util.Objects;

/**
 * One HPA scaling policy: change by at most {@code value} pods or percent within {@code
 * periodSeconds}.
 *
 * @param type pods or percent
 * @param value the amount of change permitted; greater than zero
 * @param periodSeconds the window the policy holds for; 1 to 1800 (autoscaling/v2 HPAScalingPolicy)
 */
public record ScalingPolicy(Type type, int value, int periodSeconds) {
  /** The longest policy period the API accepts (autoscaling/v2 HPAScalingPolicy: 30 min). */
  public static final int MAX_PERIOD_SECONDS = 1800;

  /** The kind of limit. */
  public enum Type {
    /** An absolute number of pods. */
    PODS,
    /** A percentage of the replicas at the start of the period. */
    PERCENT
  }

  /** Validates the components. */
  public ScalingPolicy {
    Objects.requireNonNull(type, "type");
    Violations v = Violations.root("policy");
    v.require(value > 0, "value", value, "must be greater than zero");
    v.require(
        periodSeconds > 0 && periodSeconds <= MAX_PERIOD_SECONDS,
        "periodSeconds",
        periodSeconds,
        "must be between 1 and " + MAX_PERIOD_SECONDS);
    v.throwIfErrors();
  }

  /**
   * Returns a policy of at most {@code pods} pods per period.
   *
   * @param pods the pods
   * @param periodSeconds the period
   * @return the policy
   */
  public static ScalingPolicy pods(int pods, int periodSeconds) {
    return new ScalingPolicy(Type.PODS, pods, periodSeconds);
  }

  /**
   * Returns a policy of at most {@code percent} percent per period.
   *
   * @param percent the percentage
   * @param periodSeconds the period
   * @return the policy
   */
  public static ScalingPolicy percent(int percent, int periodSeconds) {
    return new ScalingPolicy(Type.PERCENT, percent, periodSeconds);
  }

  /** Returns the API's name of the type: {@code Pods} or {@code Percent}. */
  public String apiType() {
    return type == Type.PODS ? "Pods" : "Percent";
  }
}
