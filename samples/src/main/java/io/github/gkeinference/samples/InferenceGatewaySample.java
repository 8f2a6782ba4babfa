package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.gateway.InferenceGateway;

/**
 * Two versions of a model behind the GKE Inference Gateway with a 90/10 canary: Llama-3.1-8B (v1)
 * and the same model with an FP8 KV cache and prefix caching (v2), each an InferencePool with its
 * own endpoint picker.
 *
 * <p>Use it to roll out a new model server configuration gradually: the HTTPRoute sends 10% of
 * requests to v2; the endpoint pickers route each request to the replica with the best
 * prefix-cache, queue and KV-cache scores.
 */
public final class InferenceGatewaySample {
  /** The sample's name on the command line. */
  public static final String NAME = "inference-gateway";

  private InferenceGatewaySample() {}

  /**
   * Renders the sample.
   *
   * @param options {@code --model} replaces Llama-3.1-8B-Instruct
   * @return both servers, the gateway, route, pools, endpoint pickers, policies and NetworkPolicy
   */
  public static RenderedSet render(SampleOptions options) {
    String model = options.model().orElse("meta-llama/Llama-3.1-8B-Instruct");
    VllmServer v1 =
        VllmServer.builder()
            .name("llama-v1")
            .namespace("inference")
            .modelId(model)
            .servedModelName("llama")
            .source(
                GcsFuseSource.builder()
                    .location(
                        GcsLocation.of(
                            "my-project-models", model.toLowerCase(java.util.Locale.ROOT)))
                    .build())
            .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
            .maxModelLen(8192)
            .build();
    VllmServer v2 = v1.toBuilder().name("llama-v2").kvCacheDtype("fp8").prefixCaching(true).build();
    InferenceGateway gateway =
        InferenceGateway.builder()
            .name("llama")
            .namespace("inference")
            .addPool(p -> p.name("llama-v1").matchLabels(v1.selectorLabels()).weight(90))
            .addPool(p -> p.name("llama-v2").matchLabels(v2.selectorLabels()).weight(10))
            .addObjective("chat", "llama-v1", 10)
            .proxyOnlySubnet("10.129.0.0/23")
            .build();
    // Managed Prometheus scrapes both model versions' pods
    return SampleScrapes.withPodMonitorings(v1.render().plus(v2.render())).plus(gateway.render());
  }
}
