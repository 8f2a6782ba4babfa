package io.github.gkeinference.observability;

import io.github.gkeinference.core.spec.SpecKind;
import io.github.gkeinference.core.spec.SpecKindProvider;
import io.github.gkeinference.observability.scrape.ModelServerMonitoring;
import java.util.List;

/** The spec kinds of this module, for spec files ({@code SpecFiles.standard()}). */
public final class ObservabilitySpecKinds implements SpecKindProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public ObservabilitySpecKinds() {}

  @Override
  public List<SpecKind<?>> kinds() {
    return List.of(
        SpecKind.of("ModelServerMonitoring", ModelServerMonitoring.class)
            .withReference("target", set -> set));
  }
}
