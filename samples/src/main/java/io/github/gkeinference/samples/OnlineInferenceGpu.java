package io.github.gkeinference.samples;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.Workload;
import io.github.gkeinference.observability.scrape.ScrapeConfigs;
import io.github.gkeinference.serving.VllmServer;

/**
 * Online inference on GPUs: vLLM serving Llama-3.1-8B-Instruct on one NVIDIA L4.
 *
 * <p>Use it for a chat or completion endpoint inside the cluster. It renders a Deployment, a
 * ClusterIP Service and a PodMonitoring for Managed Prometheus. Run it with {@code ./gke-inference
 * render online-inference-gpu --out m}.
 */
public final class OnlineInferenceGpu {
  /** The sample's name on the command line. */
  public static final String NAME = "online-inference-gpu";

  static final String DEFAULT_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  static final String DEFAULT_ACCELERATOR = "nvidia-l4";

  private OnlineInferenceGpu() {}

  /**
   * Renders the sample.
   *
   * @param options the model and accelerator to use instead of the defaults
   * @return the Deployment, the Service and the PodMonitoring
   */
  public static RenderedSet render(SampleOptions options) {
    RenderedSet server =
        VllmServer.builder()
            .name("vllm")
            .namespace("inference")
            .modelId(options.model().orElse(DEFAULT_MODEL))
            .acceleratorLabel(options.accelerator().orElse(DEFAULT_ACCELERATOR))
            .build()
            .render();
    // Managed Prometheus scrapes exactly the Deployment's pods; the selector comes from it
    return server.plus(
        RenderedSet.of(ScrapeConfigs.modelServer(ModelServer.VLLM, Workload.from(server))));
  }

  /**
   * Prints the rendered YAML.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.print(ManifestYaml.toYaml(render(SampleOptions.defaults())));
  }
}
