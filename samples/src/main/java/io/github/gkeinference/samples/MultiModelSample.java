package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.gateway.MultiModelGateway;
import io.github.gkeinference.serving.vllm.LoraAdapter;

/**
 * Two base models and two LoRA adapters behind one GKE Inference Gateway, routed by the {@code
 * model} field of each request's body: Llama-3.1-8B-Instruct on one L4 with the adapter {@code
 * sql-lora}, Qwen3-8B on one H100 with the adapter {@code chat-lora}.
 *
 * <p>Use it to offer several models at one OpenAI-compatible endpoint: the body-based router copies
 * the body's {@code model} into the {@code X-Gateway-Model-Name} header, the HTTPRoute sends each
 * of the four names to the pool of its base model, and each pool's endpoint picker chooses the
 * replica. The adapters are InferenceObjectives of their base pools ({@code sql-lora} at priority
 * 10, served first under load).
 */
public final class MultiModelSample {
  /** The sample's name on the command line. */
  public static final String NAME = "multi-model";

  private MultiModelSample() {}

  /**
   * Renders the sample.
   *
   * @param options none are read
   * @return both servers with their PodMonitorings, the gateway, route, pools, endpoint pickers,
   *     body-based router, objectives, adapter ConfigMaps, policies and NetworkPolicy
   */
  public static RenderedSet render(SampleOptions options) {
    VllmServer llama =
        server("llama", "meta-llama/Llama-3.1-8B-Instruct")
            .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
            .addLoraAdapters(LoraAdapter.inModelBucket("sql-lora", "adapters/sql-lora"))
            .build();
    VllmServer qwen =
        server("qwen", "Qwen/Qwen3-8B")
            .placement(
                p -> p.accelerator("nvidia-h100-80gb").devices(1).machineType("a3-highgpu-1g"))
            .addLoraAdapters(LoraAdapter.inModelBucket("chat-lora", "adapters/chat-lora"))
            .build();
    MultiModelGateway gateway =
        MultiModelGateway.builder()
            .name("models")
            .namespace("inference")
            .addPool(p -> p.name("llama").matchLabels(llama.selectorLabels()))
            .addPool(p -> p.name("qwen").matchLabels(qwen.selectorLabels()))
            .addModel(llama.modelId(), "llama")
            .addModel(qwen.modelId(), "qwen")
            .addLoraAdapter("sql-lora", "llama", 10)
            .addLoraAdapter("chat-lora", "qwen", 0)
            .proxyOnlySubnet("10.129.0.0/23")
            .build();
    // Managed Prometheus scrapes both servers' pods
    return SampleScrapes.withPodMonitorings(llama.render().plus(qwen.render()))
        .plus(gateway.render());
  }

  /** A server of the model in the project's model bucket, with LoRA adapters up to rank 16. */
  private static VllmServer.Builder server(String name, String model) {
    return VllmServer.builder()
        .name(name)
        .namespace("inference")
        .modelId(model)
        .source(
            GcsFuseSource.builder()
                .location(
                    GcsLocation.of("my-project-models", model.toLowerCase(java.util.Locale.ROOT)))
                .build())
        .maxModelLen(8192)
        .maxLoraRank(16);
  }
}
