package io.github.gkeinference.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.SchemaValidator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.assertj.core.data.Offset;

class InferenceAutoscalerProperties {
  private static final ScaleTarget TARGET = ScaleTarget.of("apps/v1", "Deployment", "m", "ns");

  @Property(tries = 50)
  void render_anyValidLimitsAndTarget_isSchemaValidAndKeepsTheTarget(
      @ForAll @IntRange(min = 1, max = 50) int min,
      @ForAll @IntRange(min = 0, max = 50) int extra,
      @ForAll @DoubleRange(min = 0.001, max = 10_000) @Scale(3) double target) {
    HorizontalPodAutoscaler hpa =
        InferenceAutoscaler.builder()
            .target(TARGET)
            .minReplicas(min)
            .maxReplicas(min + extra)
            .addMetrics(ScalingMetric.vllmQueue(target))
            .build()
            .horizontalPodAutoscaler();

    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(min);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(min + extra);
    Quantity rendered = hpa.getSpec().getMetrics().get(0).getPods().getTarget().getAverageValue();
    // milli-units: the rendered quantity is the target to the nearest 0.001
    assertThat(Quantity.getAmountInBytes(rendered).doubleValue())
        .isCloseTo(target, Offset.offset(0.0005));
    SchemaValidator.forTests().assertValid(hpa);
  }

  @Property(tries = 50)
  void build_minAboveMax_isAlwaysRejectedAtMaxReplicas(
      @ForAll @IntRange(min = 2, max = 100) int min,
      @ForAll @IntRange(min = 1, max = 99) int less) {
    int max = Math.max(1, min - less);
    assertThatThrownBy(
            () ->
                InferenceAutoscaler.builder()
                    .target(TARGET)
                    .minReplicas(min)
                    .maxReplicas(max)
                    .addMetrics(ScalingMetric.vllmQueue())
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.errors()).extracting(Violation::path).containsExactly("maxReplicas"));
  }
}
