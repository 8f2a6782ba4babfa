package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.serving.MultiHostServer;
import io.github.gkeinference.serving.VllmServer;

/**
 * Multi-host serving: Llama-3.1-405B-Instruct across two a3-highgpu-8g machines (8 x H100 each) as
 * one LeaderWorkerSet, tensor parallelism 8 inside a machine and pipeline parallelism 2 across: the
 * layout the serving planner ({@link io.github.gkeinference.accelerators.plan.ServingPlanner})
 * recommends among the multi-host ones.
 *
 * <p>Use it when a model's weights do not fit one machine. Weights stream from Cloud Storage with
 * vLLM's Run:ai streamer; the Service selects only the leaders.
 */
public final class MultiHost {
  /** The sample's name on the command line. */
  public static final String NAME = "multi-host";

  static final String MODEL = "meta-llama/Llama-3.1-405B-Instruct";
  static final String ACCELERATOR = "nvidia-h100-80gb";
  static final int MAX_MODEL_LEN = 32768;

  private MultiHost() {}

  /**
   * Renders the sample.
   *
   * @param options ignored: the model is fixed and the planner chooses the shape
   * @return the LeaderWorkerSet bundle
   */
  public static RenderedSet render(SampleOptions options) {
    // the serving planner's cheapest multi-host layout: GPUs per host, tensor parallelism inside a
    // host and one pipeline stage per host
    FitPlan plan = SamplePlans.multiHost(MODEL, ACCELERATOR, MAX_MODEL_LEN);
    // Managed Prometheus scrapes the leader pods, which serve the API and the metrics
    return SampleScrapes.withPodMonitorings(
        MultiHostServer.builder()
            .server(
                VllmServer.builder()
                    .name("llama-3-1-405b")
                    .namespace("inference")
                    .modelId(MODEL)
                    .source(
                        GcsStreamingSource.builder()
                            .location(
                                GcsLocation.of(
                                    "my-project-models", "meta-llama/llama-3.1-405b-instruct"))
                            .build())
                    .placement(plan.placement())
                    .tensorParallelism(plan.tensorParallelism())
                    .maxModelLen(plan.maxModelLen())
                    // leaders and workers may read exactly the model bucket
                    .workloadIdentity(OnlineInferenceGpu.PROJECT)
                    .build())
            .nodes(plan.hosts())
            .build()
            .render());
  }
}
