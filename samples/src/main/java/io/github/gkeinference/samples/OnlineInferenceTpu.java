package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.JetStreamServer;
import io.github.gkeinference.serving.VllmTpuServer;
import io.github.gkeinference.serving.vllm.XlaCache;

/**
 * Online inference on TPUs: vLLM serving Qwen3-32B on a TPU v6e 2x2 slice, and JetStream (MaxText)
 * serving Gemma 7B on a TPU v5e 2x4 slice.
 *
 * <p>Use it when TPUs are cheaper or easier to get than GPUs. vLLM keeps its XLA compilation cache
 * in a bucket so restarts skip recompilation; JetStream loads a MaxText checkpoint from Cloud
 * Storage. {@code --model} changes the vLLM model.
 */
public final class OnlineInferenceTpu {
  /** The sample's name on the command line. */
  public static final String NAME = "online-inference-tpu";

  private OnlineInferenceTpu() {}

  /**
   * Renders the sample.
   *
   * @param options {@code --model} replaces Qwen3-32B
   * @return both servers' bundles
   */
  public static RenderedSet render(SampleOptions options) {
    String model = options.model().orElse("Qwen/Qwen3-32B");
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
            .placement(p -> p.accelerator("tpu-v6e-slice").devices(4).tpuTopology("2x2"))
            .maxModelLen(32768)
            .maxNumBatchedTokens(4096)
            .xlaCache(XlaCache.gcs("my-project-xla-cache", "vllm-tpu"))
            .build();
    JetStreamServer jetstream =
        JetStreamServer.builder()
            .name("jetstream")
            .namespace("inference")
            .modelName("gemma-7b")
            .tokenizerPath("assets/tokenizer.gemma")
            .checkpoint("gs://my-project-checkpoints/gemma_7b-it/0/checkpoints/0/items")
            .placement(p -> p.accelerator("tpu-v5-lite-podslice").devices(8).tpuTopology("2x4"))
            .build();
    return vllm.render().plus(jetstream.render());
  }
}
