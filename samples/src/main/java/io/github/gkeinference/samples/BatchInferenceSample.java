package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.batch.BatchInference;

/**
 * Offline batch inference: a JobSet whose 10 shards each run vLLM (Llama-3.3-70B on 4 x H100)
 * beside a worker that reads prompts from Cloud Storage and writes results back.
 *
 * <p>Use it for large offline jobs (evaluation, labelling). Unlike the reference architecture's
 * batch job, the GPUs requested always equal the tensor parallelism that runs.
 */
public final class BatchInferenceSample {
  /** The sample's name on the command line. */
  public static final String NAME = "batch-inference";

  private BatchInferenceSample() {}

  /**
   * Renders the sample.
   *
   * @param options ignored
   * @return the ServiceAccount and the JobSet
   */
  public static RenderedSet render(SampleOptions options) {
    VllmServer server =
        VllmServer.builder()
            .name("batch-llama-3-3-70b")
            .namespace("batch")
            .modelId("meta-llama/Llama-3.3-70B-Instruct")
            .source(
                GcsFuseSource.builder()
                    .location(
                        GcsLocation.of("my-project-models", "meta-llama/llama-3.3-70b-instruct"))
                    .build())
            .placement(p -> p.accelerator("nvidia-h100-80gb").devices(4))
            .maxModelLen(32768)
            .build();
    return BatchInference.builder()
        .name("batch")
        .server(server)
        .workerImage("us-docker.pkg.dev/my-project/images/offline-batch-worker:1.0.0")
        .input("gs://my-project-dataset/prompts/")
        .output("gs://my-project-results/batch/")
        .shards(10)
        .parallelism(2)
        .retries(2)
        .jobSet(true)
        .googleServiceAccount("batch@my-project.iam.gserviceaccount.com")
        .build()
        .render();
  }
}
