package io.github.gkeinference.accelerators;

import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.nodepool.AcceleratorNodePool;
import io.github.gkeinference.core.spec.SpecKind;
import io.github.gkeinference.core.spec.SpecKindProvider;
import java.util.List;

/** The spec kinds of this module, for spec files ({@code SpecFiles.standard()}). */
public final class AcceleratorSpecKinds implements SpecKindProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public AcceleratorSpecKinds() {}

  @Override
  public List<SpecKind<?>> kinds() {
    return List.of(
        SpecKind.of("AcceleratorComputeClass", AcceleratorComputeClass.class),
        SpecKind.of("AcceleratorNodePool", AcceleratorNodePool.class));
  }
}
