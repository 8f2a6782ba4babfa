package io.github.gkeinference.serving;

import io.github.gkeinference.core.spec.SpecKind;
import io.github.gkeinference.core.spec.SpecKindProvider;
import io.github.gkeinference.serving.async.AsyncInference;
import io.github.gkeinference.serving.batch.BatchInference;
import io.github.gkeinference.serving.comfyui.ComfyUi;
import io.github.gkeinference.serving.disagg.DisaggregatedServing;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import io.github.gkeinference.serving.gateway.MultiClusterInferenceGateway;
import io.github.gkeinference.serving.gateway.MultiModelGateway;
import java.util.List;

/** The spec kinds of this module, for spec files ({@code SpecFiles.standard()}). */
public final class ServingSpecKinds implements SpecKindProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public ServingSpecKinds() {}

  @Override
  public List<SpecKind<?>> kinds() {
    return List.of(
        SpecKind.of("VllmServer", VllmServer.class),
        SpecKind.of("VllmTpuServer", VllmTpuServer.class),
        SpecKind.of("JetStreamServer", JetStreamServer.class),
        SpecKind.of("MultiHostServer", MultiHostServer.class),
        SpecKind.of("MultiHostTpuServer", MultiHostTpuServer.class),
        SpecKind.of("InferenceGateway", InferenceGateway.class),
        SpecKind.of("MultiClusterInferenceGateway", MultiClusterInferenceGateway.class),
        SpecKind.of("MultiModelGateway", MultiModelGateway.class),
        SpecKind.of("BatchInference", BatchInference.class),
        SpecKind.of("AsyncInference", AsyncInference.class),
        SpecKind.of("ComfyUi", ComfyUi.class),
        SpecKind.of("DisaggregatedServing", DisaggregatedServing.class));
  }
}
