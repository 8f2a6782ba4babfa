package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.MultiHostServer;
import io.github.gkeinference.serving.VllmServer;

/**
 * Wide expert parallelism: DeepSeek-R1 (256 routed experts) on two a3-ultragpu-8g machines (8 x
 * H200 each) as one LeaderWorkerSet of 16 data-parallel ranks of one GPU, whose MoE layers split
 * the experts over all 16 GPUs (16 experts per GPU and layer), as llm-d's wide-EP guide runs it.
 *
 * <p>Use it for a mixture-of-experts model whose experts do not fit one machine and whose attention
 * is small enough to replicate per GPU (DeepSeek's latent attention). Every pod runs its machine's
 * 8 ranks and serves the API for them; the Service spreads requests over both pods. The fit
 * planner's expert-parallel memory split ({@link FitPlanner#planExpertParallel}) must say one GPU
 * holds its share before the sample renders.
 */
public final class WideExpertParallel {
  /** The sample's name on the command line. */
  public static final String NAME = "wide-ep";

  static final String MODEL = "deepseek-ai/DeepSeek-R1";
  static final String ACCELERATOR = "nvidia-h200-141gb";
  static final String MACHINE_TYPE = "a3-ultragpu-8g";
  static final int NODES = 2;
  static final int GPUS_PER_NODE = 8;
  static final int MAX_MODEL_LEN = 32768;

  private WideExpertParallel() {}

  /**
   * Returns the plan of one data-parallel rank: one GPU with its share of the experts.
   *
   * @return the plan, feasible
   * @throws io.github.gkeinference.core.validate.SdkValidationException when one GPU does not hold
   *     its share, with the planner's reasons
   */
  static FitPlan plan() {
    FitPlan plan =
        FitPlanner.planExpertParallel(
            FitRequest.builder()
                .architecture(ModelCatalog.require(MODEL).architecture())
                .maxModelLen(MAX_MODEL_LEN)
                .build(),
            ACCELERATOR,
            1,
            NODES * GPUS_PER_NODE);
    Violations v = Violations.root();
    v.require(
        plan.feasible(),
        "model",
        MODEL,
        "does not fit one " + ACCELERATOR + " per rank: " + String.join("; ", plan.reasons()));
    v.throwIfErrors();
    return plan;
  }

  /**
   * Renders the sample.
   *
   * @param options ignored: model, GPUs and layout are fixed
   * @return the LeaderWorkerSet bundle
   */
  public static RenderedSet render(SampleOptions options) {
    FitPlan rank = plan();
    // Managed Prometheus scrapes the leader pods (the set's facts), as for multi-host
    return SampleScrapes.withPodMonitorings(
        MultiHostServer.builder()
            .server(
                VllmServer.builder()
                    .name("deepseek-r1")
                    .namespace("inference")
                    .modelId(MODEL)
                    .source(
                        GcsStreamingSource.builder()
                            .location(
                                GcsLocation.of("my-project-models", "deepseek-ai/deepseek-r1"))
                            .build())
                    .placement(
                        p ->
                            p.accelerator(ACCELERATOR)
                                .devices(GPUS_PER_NODE)
                                .machineType(MACHINE_TYPE))
                    .maxModelLen(rank.maxModelLen())
                    // leaders and workers may read exactly the model bucket
                    .workloadIdentity(OnlineInferenceGpu.PROJECT)
                    .build())
            .nodes(NODES)
            .expertParallel(ep -> ep.dataParallelism(NODES * GPUS_PER_NODE).tensorParallelism(1))
            .build()
            .render());
  }
}
