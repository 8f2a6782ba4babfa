package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.JetStreamServer;
import io.github.gkeinference.serving.VllmTpuServer;
import io.github.gkeinference.serving.vllm.XlaCache;

/**
 * Online inference on TPUs: vLLM serving Qwen3-32B on the smallest TPU v6e single-host slice that
 * holds it (2x2, planned by {@link io.github.gkeinference.accelerators.plan.FitPlanner}), and
 * JetStream (MaxText) serving Gemma 7B on a TPU v5e 2x4 slice.
 *
 * <p>Use it when TPUs are cheaper or easier to get than GPUs. vLLM keeps its XLA compilation cache
 * in a bucket so restarts skip recompilation; JetStream loads a MaxText checkpoint from Cloud
 * Storage. {@code --model} changes the vLLM model.
 */
public final class OnlineInferenceTpu {
  /** The sample's name on the command line. */
  public static final String NAME = "online-inference-tpu";

  /** The vLLM server's accelerator: TPU v6e (Trillium) single-host slices. */
  static final String VLLM_ACCELERATOR = "tpu-v6e-slice";

  /** The context the vLLM server serves. */
  static final int VLLM_MAX_MODEL_LEN = 32768;

  private OnlineInferenceTpu() {}

  /**
   * Renders the sample.
   *
   * @param options {@code --model} replaces Qwen3-32B (a model of the catalog)
   * @return both servers' bundles
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the model is not in
   *     the catalog or no single-host v6e slice holds it at 32,768 tokens (the planner's reasons)
   */
  public static RenderedSet render(SampleOptions options) {
    String model = options.model().orElse("Qwen/Qwen3-32B");
    // the smallest single-host v6e slice that holds the model and its KV cache; a model no
    // single-host slice holds is refused with the planner's reasons
    FitPlan plan = SamplePlans.singleHost(model, VLLM_ACCELERATOR, VLLM_MAX_MODEL_LEN);
    VllmTpuServer vllm =
        VllmTpuServer.builder()
            .name("vllm-tpu")
            .namespace("inference")
            .modelId(model)
            .source(
                GcsFuseSource.builder()
                    .location(
                        GcsLocation.of(
                            "my-project-models", model.toLowerCase(java.util.Locale.ROOT)))
                    .build())
            .placement(plan.placement())
            .tensorParallelism(plan.tensorParallelism())
            .maxModelLen(plan.maxModelLen())
            .maxNumBatchedTokens(4096)
            .xlaCache(XlaCache.gcs("my-project-xla-cache", "vllm-tpu"))
            // read-only on the model bucket, read-write on the XLA cache bucket, nothing else
            .workloadIdentity(OnlineInferenceGpu.PROJECT)
            .build();
    JetStreamServer jetstream =
        JetStreamServer.builder()
            .name("jetstream")
            .namespace("inference")
            .modelName("gemma-7b")
            .tokenizerPath("assets/tokenizer.gemma")
            .checkpoint("gs://my-project-checkpoints/gemma_7b-it/0/checkpoints/0/items")
            .placement(p -> p.accelerator("tpu-v5-lite-podslice").devices(8).tpuTopology("2x4"))
            // read-only on the checkpoint's bucket
            .workloadIdentity(OnlineInferenceGpu.PROJECT)
            .build();
    // Managed Prometheus scrapes each server's pods
    return SampleScrapes.withPodMonitorings(vllm.render().plus(jetstream.render()));
  }
}
