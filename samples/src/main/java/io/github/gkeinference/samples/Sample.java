package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A deployment pattern that renders a complete set of resources.
 *
 * @param name the sample's name on the command line, for example {@code online-inference-gpu}
 * @param description one line on when to use it
 * @param renderer renders the sample for the given options
 * @param options the command-line options the sample reads ({@link Option#MODEL}, {@link
 *     Option#ACCELERATOR}); the CLI refuses one it does not read instead of ignoring it
 */
public record Sample(String name, String description, Renderer renderer, Set<Option> options) {

  /** The sample options a sample may read from the command line. */
  public enum Option {
    /** {@code --model}: the Hugging Face model id. */
    MODEL,
    /** {@code --accelerator}: the accelerator label. */
    ACCELERATOR
  }

  /** Copies the option set. */
  public Sample {
    options = Set.copyOf(options);
  }

  /** Renders a sample from command-line options. */
  @FunctionalInterface
  public interface Renderer {
    /**
     * Renders the sample.
     *
     * @param options the options
     * @return the rendered set
     */
    RenderedSet render(SampleOptions options);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Returns every sample, in the order the CLI lists them. */
  public static List<Sample> all() {
    return List.of(
        new Sample(
            OnlineInferenceGpu.NAME,
            "vLLM serving one model on NVIDIA GPUs (default: Llama-3.1-8B-Instruct on L4)",
            OnlineInferenceGpu::render,
            Set.of(Option.MODEL, Option.ACCELERATOR)),
        new Sample(
            OnlineInferenceTpu.NAME,
            "vLLM on a TPU v6e slice and JetStream (MaxText) on a TPU v5e slice",
            OnlineInferenceTpu::render,
            Set.of(Option.MODEL)),
        new Sample(
            MultiHost.NAME,
            "a model too big for one machine: vLLM across two 8 x H100 nodes as a LeaderWorkerSet",
            MultiHost::render,
            Set.of()),
        new Sample(
            WideExpertParallel.NAME,
            "a mixture-of-experts model with wide expert parallelism: DeepSeek-R1 as 16"
                + " data-parallel ranks on two 8 x H200 nodes (LeaderWorkerSet), experts split"
                + " over all 16 GPUs",
            WideExpertParallel::render,
            Set.of()),
        new Sample(
            BatchInferenceSample.NAME,
            "offline batch inference: a JobSet running vLLM over prompts in Cloud Storage",
            BatchInferenceSample::render,
            Set.of()),
        new Sample(
            AsyncInferenceSample.NAME,
            "a Pub/Sub worker in front of vLLM, autoscaled on the subscription backlog",
            AsyncInferenceSample::render,
            Set.of()),
        new Sample(
            ComfyUiSample.NAME,
            "ComfyUI on an L4 with Cloud Storage buckets, behind an external Gateway with IAP",
            ComfyUiSample::render,
            Set.of()),
        new Sample(
            InferenceGatewaySample.NAME,
            "two model versions behind the GKE Inference Gateway with a 90/10 canary",
            InferenceGatewaySample::render,
            Set.of(Option.MODEL)),
        new Sample(
            PdDisaggregation.NAME,
            "prefill/decode disaggregation: Llama-3.3-70B on 2 + 2 H100 pods, NIXL, llm-d's picker",
            PdDisaggregation::render,
            Set.of()),
        new Sample(
            MultiModelSample.NAME,
            "two base models and two LoRA adapters behind one Inference Gateway, routed by model"
                + " name",
            MultiModelSample::render,
            Set.of()),
        new Sample(
            Platform.NAME,
            "the GKE cluster request, ComputeClasses and node pools the other samples run on",
            Platform::render,
            Set.of(Option.ACCELERATOR)));
  }

  /**
   * Finds a sample by name.
   *
   * @param name the sample's name
   * @return the sample, or empty
   */
  public static Optional<Sample> named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
