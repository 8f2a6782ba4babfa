package io.github.gkeinference.observability.scrape;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.observability.ModelServer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The Managed Prometheus scrape of a rendered model server, as a spec: renders the PodMonitoring of
 * {@link ScrapeConfigs#modelServer(ModelServer, io.github.gkeinference.core.render.WorkloadFacts)}
 * for the typed facts of the server's workload.
 *
 * <pre>{@code
 * RenderedSet monitoring = ModelServerMonitoring.builder()
 *     .modelServer(ModelServer.VLLM)
 *     .target(server.render())        // the rendered server; its one Deployment or LeaderWorkerSet
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableModelServerMonitoring.class)
public interface ModelServerMonitoring extends RenderableSpec {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The model server whose scrape preset to use. */
  ModelServer modelServer();

  /** The rendered server whose pods to scrape. */
  RenderedSet target();

  @Override
  default String kind() {
    return "ModelServerMonitoring";
  }

  @Override
  default RenderedSet render() {
    return RenderedSet.of(ScrapeConfigs.modelServer(modelServer(), target().workload()));
  }

  /** Builds a {@link ModelServerMonitoring}. */
  final class Builder extends ImmutableModelServerMonitoring.Builder {}
}
