package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.async.AsyncInference;

/**
 * Asynchronous inference: a Pub/Sub subscriber worker in front of a vLLM server (Gemma 3 1B on an
 * L4), scaled by an HPA on the subscription's backlog.
 *
 * <p>Use it when callers can wait: requests queue in Pub/Sub, the worker calls vLLM and publishes
 * results, failed messages go to a dead-letter topic.
 */
public final class AsyncInferenceSample {
  /** The sample's name on the command line. */
  public static final String NAME = "async-inference";

  private AsyncInferenceSample() {}

  /**
   * Renders the sample.
   *
   * @param options ignored
   * @return the vLLM bundle, the worker and its HPA
   */
  public static RenderedSet render(SampleOptions options) {
    VllmServer server =
        VllmServer.builder()
            .name("vllm-gemma-3-1b")
            .namespace("async")
            .modelId("google/gemma-3-1b-it")
            .source(
                GcsFuseSource.builder()
                    .location(GcsLocation.of("my-project-models", "google/gemma-3-1b-it"))
                    .build())
            .placement(p -> p.accelerator("nvidia-l4").devices(1))
            .maxModelLen(4096)
            .build();
    AsyncInference worker =
        AsyncInference.builder()
            .name("prompt-worker")
            .server(server)
            .workerImage("us-docker.pkg.dev/my-project/images/async-pubsub-subscriber:1.0.0")
            // the worker image serves GET /healthz on 8080 while it is healthy
            .workerHealthPort(8080)
            .projectId("my-project")
            .subscription("prompt-messages-subscription")
            .deadLetterTopic("prompt-messages-dead-letter")
            .googleServiceAccount("async-worker@my-project.iam.gserviceaccount.com")
            .build();
    return SampleScrapes.withPodMonitorings(server.render()).plus(worker.render());
  }
}
