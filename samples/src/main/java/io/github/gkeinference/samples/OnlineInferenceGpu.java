package io.github.gkeinference.samples;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.VllmServer;

/**
 * Online inference on GPUs: vLLM serving Llama-3.1-8B-Instruct on one NVIDIA L4.
 *
 * <p>Use it for a chat or completion endpoint inside the cluster. It renders a ServiceAccount, a
 * Deployment, a ClusterIP Service and a PodDisruptionBudget. Run it with {@code ./gke-inference
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
   * @return the ServiceAccount, Deployment, Service and PodDisruptionBudget
   */
  public static RenderedSet render(SampleOptions options) {
    return VllmServer.builder()
        .name("vllm")
        .namespace("inference")
        .modelId(options.model().orElse(DEFAULT_MODEL))
        .placement(p -> p.accelerator(options.accelerator().orElse(DEFAULT_ACCELERATOR)))
        .build()
        .render();
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
