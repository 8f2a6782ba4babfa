package io.github.gkeinference.autoscaling;

import io.github.gkeinference.autoscaling.adapter.CustomMetricsAdapter;
import io.github.gkeinference.core.spec.SpecKind;
import io.github.gkeinference.core.spec.SpecKindProvider;
import java.util.List;

/** The spec kinds of this module, for spec files ({@code SpecFiles.standard()}). */
public final class AutoscalingSpecKinds implements SpecKindProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public AutoscalingSpecKinds() {}

  @Override
  public List<SpecKind<?>> kinds() {
    return List.of(
        SpecKind.of("InferenceAutoscaler", InferenceAutoscaler.class)
            .withReference("target", ScaleTarget::in),
        SpecKind.of("CustomMetricsAdapter", CustomMetricsAdapter.class));
  }
}
