package io.github.gkeinference.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class InferenceMonitoringProperties {

  @Property(tries = 200)
  void kvCacheThreshold_acceptsExactlyTheOpenUnitInterval(
      @ForAll @DoubleRange(min = -200, max = 200) double threshold) {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> Specs.vllm().toBuilder().kvCacheThreshold(threshold).build());
    if (threshold > 0 && threshold < 1) {
      assertThat(e).isNull();
    } else {
      assertThat(e).isNotNull();
      assertThat(e.errors())
          .extracting(Violation::path)
          .containsExactly("monitoring.kvCacheThreshold");
    }
  }

  @Property(tries = 100)
  void toBuilder_roundTrips(@ForAll @DoubleRange(min = 0.01, max = 0.99) double goal) {
    InferenceMonitoring spec = Specs.vllm().toBuilder().availabilityGoal(goal).build();
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(spec.availabilityGoal()).isEqualTo(goal);
  }
}
