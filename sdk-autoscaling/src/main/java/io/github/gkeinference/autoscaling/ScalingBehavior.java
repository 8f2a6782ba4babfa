package io.github.gkeinference.autoscaling;

import io.github.gkeinference.core.spec.SdkStyle;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * How fast the HPA scales up and down ({@code autoscaling/v2} behavior). The defaults are
 * Kubernetes' own, which GKE's LLM inference guidance keeps: scale up at once (no window, double or
 * add 4 pods per 15 s), scale down only after 300 s of lower recommendations. They are rendered
 * explicitly so the manifest says what it does.
 *
 * <pre>{@code
 * ScalingBehavior gentle = ScalingBehavior.builder()
 *     .scaleDown(ScalingRules.of(600, ScalingRules.SelectPolicy.MAX, ScalingPolicy.pods(1, 60)))
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableScalingBehavior.class)
public interface ScalingBehavior {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this behaviour. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Returns Kubernetes' default behaviour (see the class comment). */
  static ScalingBehavior kubernetesDefaults() {
    return builder().build();
  }

  /** Scale-up rules; default {@link ScalingRules#kubernetesScaleUp()}. */
  @Value.Default
  default ScalingRules scaleUp() {
    return ScalingRules.kubernetesScaleUp();
  }

  /** Scale-down rules; default {@link ScalingRules#kubernetesScaleDown()}. */
  @Value.Default
  default ScalingRules scaleDown() {
    return ScalingRules.kubernetesScaleDown();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableScalingBehavior.Builder {
    /**
     * Edits the scale-up rules, starting from Kubernetes' default.
     *
     * @param rules edits the rules
     * @return this builder
     */
    public Builder scaleUp(Consumer<ScalingRules.Builder> rules) {
      ScalingRules.Builder b = ScalingRules.kubernetesScaleUp().toBuilder();
      rules.accept(b);
      return scaleUp(b.build());
    }

    /**
     * Edits the scale-down rules, starting from Kubernetes' default.
     *
     * @param rules edits the rules
     * @return this builder
     */
    public Builder scaleDown(Consumer<ScalingRules.Builder> rules) {
      ScalingRules.Builder b = ScalingRules.kubernetesScaleDown().toBuilder();
      rules.accept(b);
      return scaleDown(b.build());
    }
  }
}
