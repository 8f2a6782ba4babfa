package io.github.gkeinference.autoscaling;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The HPA's rules for one direction: a stabilization window, scaling policies and how to pick among
 * them ({@code autoscaling/v2} HPAScalingRules).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableScalingRules.class)
public interface ScalingRules {
  /** The longest stabilization window the API accepts (autoscaling/v2 HPAScalingRules). */
  int MAX_STABILIZATION_SECONDS = 3600;

  /** How the HPA picks among several policies. */
  enum SelectPolicy {
    /** The policy that allows the largest change (the API's default). */
    MAX,
    /** The policy that allows the smallest change. */
    MIN,
    /** No scaling in this direction. */
    DISABLED;

    /** Returns the API's name: {@code Max}, {@code Min} or {@code Disabled}. */
    public String apiName() {
      return switch (this) {
        case MAX -> "Max";
        case MIN -> "Min";
        case DISABLED -> "Disabled";
      };
    }
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from these rules. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Returns rules of a window, a select policy and policies.
   *
   * @param stabilizationWindowSeconds the window, 0 to 3600
   * @param selectPolicy how to pick a policy
   * @param policies the policies
   * @return the rules
   */
  static ScalingRules of(
      int stabilizationWindowSeconds, SelectPolicy selectPolicy, ScalingPolicy... policies) {
    return builder()
        .stabilizationWindowSeconds(stabilizationWindowSeconds)
        .selectPolicy(selectPolicy)
        .addPolicies(policies)
        .build();
  }

  /**
   * Kubernetes' scale-up default, which GKE's LLM guidance keeps: no stabilization, and per 15 s
   * add up to 4 pods or 100 % (double), whichever is more (autoscaling/v2 HPAScalingRules
   * description;
   * https://cloud.google.com/kubernetes-engine/docs/best-practices/machine-learning/inference/autoscaling).
   *
   * @return the rules
   */
  static ScalingRules kubernetesScaleUp() {
    return of(0, SelectPolicy.MAX, ScalingPolicy.pods(4, 15), ScalingPolicy.percent(100, 15));
  }

  /**
   * Kubernetes' scale-down default: a 300 s stabilization window (the highest recommendation of the
   * last five minutes wins), then up to 100 % of pods may go per 15 s (autoscaling/v2
   * HPAScalingRules description;
   * https://cloud.google.com/kubernetes-engine/docs/best-practices/machine-learning/inference/autoscaling).
   *
   * @return the rules
   */
  static ScalingRules kubernetesScaleDown() {
    return of(300, SelectPolicy.MAX, ScalingPolicy.percent(100, 15));
  }

  /** The window, in seconds, over which past recommendations are considered. */
  int stabilizationWindowSeconds();

  /** How to pick among policies; default {@link SelectPolicy#MAX}. */
  @Value.Default
  default SelectPolicy selectPolicy() {
    return SelectPolicy.MAX;
  }

  /** The policies; at least one unless scaling is disabled. */
  List<ScalingPolicy> policies();

  /** Returns the longest policy period, or 0 without policies. */
  default int longestPeriodSeconds() {
    return policies().stream().mapToInt(ScalingPolicy::periodSeconds).max().orElse(0);
  }

  /**
   * Checks the rules.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("rules");
    v.require(
        stabilizationWindowSeconds() >= 0
            && stabilizationWindowSeconds() <= MAX_STABILIZATION_SECONDS,
        "stabilizationWindowSeconds",
        stabilizationWindowSeconds(),
        "must be between 0 and " + MAX_STABILIZATION_SECONDS);
    v.require(
        selectPolicy() == SelectPolicy.DISABLED || !policies().isEmpty(),
        "policies",
        policies(),
        "needs at least one policy unless selectPolicy is DISABLED");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableScalingRules.Builder {}
}
