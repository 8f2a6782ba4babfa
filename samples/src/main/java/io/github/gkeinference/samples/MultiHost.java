package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.serving.MultiHostServer;
import io.github.gkeinference.serving.VllmServer;

/**
 * Multi-host serving: Llama-3.1-405B-Instruct across two a3-highgpu-8g machines (8 x H100 each) as
 * one LeaderWorkerSet, tensor parallelism 8 inside a machine and pipeline parallelism 2 across.
 *
 * <p>Use it when a model's weights do not fit one machine. Weights stream from Cloud Storage with
 * vLLM's Run:ai streamer; the Service selects only the leaders.
 */
public final class MultiHost {
  /** The sample's name on the command line. */
  public static final String NAME = "multi-host";

  private MultiHost() {}

  /**
   * Renders the sample.
   *
   * @param options ignored: the shape is fixed by the model
   * @return the LeaderWorkerSet bundle
   */
  public static RenderedSet render(SampleOptions options) {
    return MultiHostServer.builder()
        .server(
            VllmServer.builder()
                .name("llama-3-1-405b")
                .namespace("inference")
                .modelId("meta-llama/Llama-3.1-405B-Instruct")
                .source(
                    GcsStreamingSource.builder()
                        .location(
                            GcsLocation.of(
                                "my-project-models", "meta-llama/llama-3.1-405b-instruct"))
                        .build())
                .placement(p -> p.accelerator("nvidia-h100-80gb").devices(8))
                .maxModelLen(32768)
                .build())
        .nodes(2)
        .build()
        .render();
  }
}
