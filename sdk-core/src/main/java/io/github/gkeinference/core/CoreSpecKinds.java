package io.github.gkeinference.core;

import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.source.ModelDownloadJob;
import io.github.gkeinference.core.spec.SpecKind;
import io.github.gkeinference.core.spec.SpecKindProvider;
import java.util.List;

/** The spec kinds of this module, for spec files ({@code SpecFiles.standard()}). */
public final class CoreSpecKinds implements SpecKindProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public CoreSpecKinds() {}

  @Override
  public List<SpecKind<?>> kinds() {
    return List.of(
        SpecKind.of("ClusterSpec", ClusterSpec.class),
        SpecKind.of("ModelDownloadJob", ModelDownloadJob.class));
  }
}
