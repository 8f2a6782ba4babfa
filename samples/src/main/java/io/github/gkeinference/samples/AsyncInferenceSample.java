package io.github.gkeinference.samples;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.async.AsyncInference;

/**
 * Asynchronous inference: a Pub/Sub subscriber worker in front of a vLLM server (Gemma 3 1B on an
 * L4); the workers scale on the subscription's backlog and the vLLM servers on their queue.
 *
 * <p>Use it when callers can wait: requests queue in Pub/Sub, the worker calls vLLM and writes each
 * answer to Cloud Storage, and a message that fails {@value #MAX_DELIVERY_ATTEMPTS} times goes to a
 * dead-letter topic. The topics, the subscription and the IAM bindings are rendered as Config
 * Connector objects (or created with {@code PubSubProvisioner}).
 *
 * <p>The worker image {@value #WORKER_IMAGE} is a placeholder in the user's own Artifact Registry:
 * build the reference subscriber of the {@code async-subscriber} module, push it there and replace
 * the path (nothing is published under it).
 */
public final class AsyncInferenceSample {
  /** The sample's name on the command line. */
  public static final String NAME = "async-inference";

  /**
   * The worker image: a placeholder path in the user's registry, to be replaced by where the user
   * pushed the reference subscriber ({@code async-subscriber/README.md}).
   */
  public static final String WORKER_IMAGE =
      "us-docker.pkg.dev/my-project/images/async-pubsub-subscriber:1.0.0";

  /** Deliveries before a failing message goes to the dead-letter topic (the reference's 10). */
  static final int MAX_DELIVERY_ATTEMPTS = 10;

  /**
   * Waiting requests per vLLM replica the server's HPA aims for: 10, the reference architecture's
   * async vLLM HPA (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu/vllm),
   * above the interactive default of 3 because queued prompts tolerate latency.
   */
  static final double SERVER_QUEUE_TARGET = 10;

  /** The most vLLM replicas (GPUs) the HPA may run; the sample's choice. */
  static final int SERVER_MAX_REPLICAS = 4;

  private AsyncInferenceSample() {}

  /**
   * Renders the sample.
   *
   * @param options ignored
   * @return the vLLM bundle and its HPA, the worker and its HPA, the Pub/Sub objects and grants
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
            // the HPA below may scale to this: roll one replica at a time, spread over zones
            .maxReplicas(SERVER_MAX_REPLICAS)
            // the server's service account may read exactly the model bucket, nothing else
            .workloadIdentity(WorkloadIdentityPool.of("my-project", 123456789012L))
            .build();
    AsyncInference worker =
        AsyncInference.builder()
            .name("prompt-worker")
            .server(server)
            .workerImage(WORKER_IMAGE)
            // the reference subscriber serves GET /healthz on HEALTH_PORT while it is healthy
            .workerHealthPort(8080)
            .projectId("my-project")
            .projectNumber(123456789012L)
            .topic("prompt-messages")
            .subscription("prompt-messages-subscription")
            .deadLetterTopic("prompt-messages-dead-letter")
            .maxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
            .resultsBucket("my-project-async-results")
            .googleServiceAccount("async-worker@my-project.iam.gserviceaccount.com")
            .build();
    RenderedSet vllm = SampleScrapes.withPodMonitorings(server.render());
    return vllm.plus(
            InferenceAutoscaler.builder()
                .target(vllm)
                .minReplicas(1)
                .maxReplicas(SERVER_MAX_REPLICAS)
                .addMetrics(ScalingMetric.vllmQueue(SERVER_QUEUE_TARGET))
                .build()
                .render())
        .plus(worker.render());
  }
}
