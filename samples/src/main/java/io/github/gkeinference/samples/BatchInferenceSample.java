package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.batch.BatchInference;

/**
 * Offline batch inference: a JobSet whose 10 shards each run vLLM (Llama-3.3-70B on the fewest
 * H100s that hold it, as {@link io.github.gkeinference.accelerators.plan.FitPlanner} plans: 4)
 * beside a worker that reads prompts from Cloud Storage and writes results back.
 *
 * <p>Use it for large offline jobs (evaluation, labelling). Unlike the reference architecture's
 * batch job, the GPUs requested always equal the tensor parallelism that runs.
 */
public final class BatchInferenceSample {
  /** The sample's name on the command line. */
  public static final String NAME = "batch-inference";

  static final String MODEL = "meta-llama/Llama-3.3-70B-Instruct";

  private BatchInferenceSample() {}

  /**
   * Renders the sample.
   *
   * @param options ignored
   * @return the ServiceAccount, its bucket grants, the JobSet, its NetworkPolicy and PodMonitoring
   */
  public static RenderedSet render(SampleOptions options) {
    // the fewest H100s of one machine that hold the model and its KV cache at 32,768 tokens
    FitPlan plan = SamplePlans.singleHost(MODEL, "nvidia-h100-80gb", 32768);
    VllmServer server =
        VllmServer.builder()
            .name("batch-llama-3-3-70b")
            .namespace("batch")
            .modelId(MODEL)
            .source(
                GcsFuseSource.builder()
                    .location(
                        GcsLocation.of("my-project-models", "meta-llama/llama-3.3-70b-instruct"))
                    .build())
            .plan(plan)
            .build();
    BatchInference batch =
        BatchInference.builder()
            .name("batch")
            .server(server)
            .workerImage("us-docker.pkg.dev/my-project/images/offline-batch-worker:1.0.0")
            // the worker image serves GET /healthz on 8080 while it is healthy
            .workerHealthPort(8080)
            .input("gs://my-project-dataset/prompts/")
            .output("gs://my-project-results/batch/")
            .shards(10)
            .parallelism(2)
            .retries(2)
            .jobSet(true)
            // read on the model and prompt buckets, create-only on the results bucket: the worker
            // writes each result only if absent, so a retried shard never replaces one
            .googleServiceAccount("batch-inference@my-project.iam.gserviceaccount.com")
            .build();
    // the vLLM sidecar's metrics, scraped through the policy that admits only the collector
    return SampleScrapes.withPodMonitorings(batch.render());
  }
}
