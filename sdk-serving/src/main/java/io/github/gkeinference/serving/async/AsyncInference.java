package io.github.gkeinference.serving.async;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.internal.NetworkPolicies;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Asynchronous inference: a worker Deployment pulls prompts from a Pub/Sub subscription, sends them
 * to a vLLM Service and publishes or stores the answers; an HPA scales the workers on the
 * subscription's backlog (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu).
 *
 * <p>Renders the worker's ServiceAccount (with Workload Identity, which Pub/Sub access needs), the
 * worker Deployment and a HorizontalPodAutoscaler on the external metric {@value #BACKLOG_METRIC}
 * for this subscription. The worker image is the caller's; it receives the settings as environment
 * variables named as in the reference architecture's subscriber.
 *
 * <pre>{@code
 * RenderedSet bundle = AsyncInference.builder()
 *     .name("prompts")
 *     .server(server)
 *     .workerImage("us-docker.pkg.dev/p/r/async-pubsub-subscriber:1.0")
 *     .projectId("my-project")
 *     .subscription("prompt-messages-subscription")
 *     .googleServiceAccount("async@my-project.iam.gserviceaccount.com")
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableAsyncInference.class)
public interface AsyncInference extends RenderableSpec {
  /**
   * The Pub/Sub backlog as the Custom Metrics Stackdriver Adapter exposes it: the Cloud Monitoring
   * type {@code pubsub.googleapis.com/subscription/num_undelivered_messages} with every {@code /}
   * replaced by {@code |} (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md;
   * GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu).
   */
  String BACKLOG_METRIC = "pubsub.googleapis.com|subscription|num_undelivered_messages";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The worker's name; a DNS-1035 label of at most 50 characters. */
  String name();

  /** The model server the worker calls; the worker runs in its namespace. */
  VllmServer server();

  /** The worker image. */
  String workerImage();

  /** The Google Cloud project of the subscription. */
  String projectId();

  /** The Pub/Sub subscription id. */
  String subscription();

  /** The dead-letter topic id, if the worker should forward failures there. */
  Optional<String> deadLetterTopic();

  /** The Google service account the worker acts as (Workload Identity); required for Pub/Sub. */
  String googleServiceAccount();

  /**
   * Messages pulled per batch; default 100 (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu).
   */
  @Value.Default
  default int batchSize() {
    return 100;
  }

  /**
   * Requests in flight to the model server per worker; default 100
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu).
   */
  @Value.Default
  default int maxConcurrentRequests() {
    return 100;
  }

  /**
   * Seconds a pulled message stays leased before Pub/Sub redelivers it; default 600, the reference
   * architecture's subscription setting (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu). The
   * worker extends leases that run longer.
   */
  @Value.Default
  default int ackDeadlineSeconds() {
    return 600;
  }

  /** The fewest workers; default 1. */
  @Value.Default
  default int minReplicas() {
    return 1;
  }

  /**
   * The most workers; default 16 (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu).
   */
  @Value.Default
  default int maxReplicas() {
    return 16;
  }

  /**
   * Undelivered messages per worker the HPA aims for; default 100
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/async-inference-gpu).
   */
  @Value.Default
  default int backlogPerReplica() {
    return 100;
  }

  /**
   * The worker's health port: when given, the worker container gets a {@code health} port and HTTP
   * readiness and liveness probes on {@link #workerHealthPath()} (a minute without an answer
   * restarts it). The worker image must then serve that path with 200 while it is healthy; no
   * probes when empty, since the SDK cannot know what an image serves.
   */
  OptionalInt workerHealthPort();

  /** The worker's health path, used with {@link #workerHealthPort()}; default {@code /healthz}. */
  @Value.Default
  default String workerHealthPath() {
    return "/healthz";
  }

  /** Whether the worker image runs as a non-root user; default true (restricted pods). */
  @Value.Default
  default boolean workerRunsAsNonRoot() {
    return true;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(Pods.isDns1035(name(), 50), "name", name(), "must be a DNS-1035 label of at most 50");
    ContainerImages.check(v, "workerImage", workerImage());
    Pods.checkWorkerHealth(v, workerHealthPort(), workerHealthPath());
    v.require(
        GcpNames.PROJECT_ID.matcher(projectId()).matches(),
        "projectId",
        projectId(),
        "must be a Google Cloud project id");
    v.require(
        subscription().matches("[A-Za-z][-A-Za-z0-9_.~+%]{2,254}"),
        "subscription",
        subscription(),
        "must be a Pub/Sub subscription id (3-255 characters, starting with a letter)");
    deadLetterTopic()
        .ifPresent(
            t ->
                v.require(
                    t.matches("[A-Za-z][-A-Za-z0-9_.~+%]{2,254}"),
                    "deadLetterTopic",
                    t,
                    "must be a Pub/Sub topic id"));
    v.require(
        GcpNames.SERVICE_ACCOUNT_EMAIL.matcher(googleServiceAccount()).matches(),
        "googleServiceAccount",
        googleServiceAccount(),
        "must be a service account email");
    v.require(batchSize() >= 1, "batchSize", batchSize(), "must be at least 1");
    v.require(
        maxConcurrentRequests() >= 1,
        "maxConcurrentRequests",
        maxConcurrentRequests(),
        "must be at least 1");
    // Pub/Sub accepts ack deadlines from 10 to 600 seconds
    v.require(
        ackDeadlineSeconds() >= 10 && ackDeadlineSeconds() <= 600,
        "ackDeadlineSeconds",
        ackDeadlineSeconds(),
        "must be between 10 and 600");
    v.require(minReplicas() >= 1, "minReplicas", minReplicas(), "must be at least 1");
    v.require(
        maxReplicas() >= minReplicas(),
        "maxReplicas",
        maxReplicas(),
        "must be at least minReplicas");
    v.require(backlogPerReplica() >= 1, "backlogPerReplica", backlogPerReplica(), "must be >= 1");
    v.throwIfErrors();
  }

  /**
   * Renders the worker's ServiceAccount, Deployment, HorizontalPodAutoscaler and a NetworkPolicy
   * that admits no ingress to the worker.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "AsyncInference";
  }

  @Override
  default RenderedSet render() {
    String ns = server().namespace();
    Map<String, String> labels = Labels.standard("async-inference", name(), "pubsub-worker");
    Map<String, String> selector = Labels.selector(name(), "pubsub-worker");
    List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>();
    env.add(Pods.env("PROJECT_ID", projectId()));
    env.add(Pods.env("PUBSUB_SUBSCRIPTION_ID", subscription()));
    deadLetterTopic().ifPresent(t -> env.add(Pods.env("DLQ_TOPIC_ID", t)));
    env.add(Pods.env("MODEL_ID", server().servedModelName().orElse(server().modelId())));
    env.add(
        Pods.env(
            "VLLM_API_ENDPOINT",
            "http://"
                + server().name()
                + "."
                + ns
                + ".svc.cluster.local:"
                + VllmServer.DEFAULT_PORT
                + "/v1/chat/completions"));
    env.add(Pods.env("BATCH_SIZE", String.valueOf(batchSize())));
    env.add(Pods.env("MAX_CONCURRENT_REQUESTS", String.valueOf(maxConcurrentRequests())));
    env.add(Pods.env("ACK_DEADLINE_SECONDS", String.valueOf(ackDeadlineSeconds())));
    RenderedSet.Builder out =
        RenderedSet.builder()
            .addWorkload(
                // the worker is no model server: it sends the server's model requests
                Pods.deploymentFacts(name(), ns, selector, labels)
                    .modelId(server().servedModelName().orElse(server().modelId()))
                    .build());
    out.add(
        new ServiceAccountBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            // the worker talks to Pub/Sub and vLLM, never to the Kubernetes API
            .withAutomountServiceAccountToken(false)
            .editMetadata()
            .addToAnnotations(VllmServer.WORKLOAD_IDENTITY_ANNOTATION, googleServiceAccount())
            .endMetadata()
            .build());
    Container worker =
        new ContainerBuilder()
            .withName("worker")
            .withImage(workerImage())
            .withImagePullPolicy("IfNotPresent")
            .withEnv(env)
            .withNewResources()
            .addToRequests("cpu", new Quantity("1"))
            .addToRequests("memory", new Quantity("1Gi"))
            .addToLimits("memory", new Quantity("1Gi"))
            .endResources()
            .withSecurityContext(Pods.restricted(workerRunsAsNonRoot()))
            .build();
    workerHealthPort().ifPresent(port -> Pods.workerProbes(worker, workerHealthPath(), port));
    out.add(
        new DeploymentBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withNewSpec()
            .withReplicas(minReplicas())
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(name())
            .withAutomountServiceAccountToken(false)
            // a worker that is stopped mid-batch lets its leases expire; give it time to finish
            .withTerminationGracePeriodSeconds(60L)
            .withNewSecurityContext()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(worker)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withNewSpec()
            .withNewScaleTargetRef("apps/v1", "Deployment", name())
            .withMinReplicas(minReplicas())
            .withMaxReplicas(maxReplicas())
            .addNewMetric()
            .withType("External")
            .withNewExternal()
            .withNewMetric()
            .withName(BACKLOG_METRIC)
            .withNewSelector()
            .addToMatchLabels("resource.labels.subscription_id", subscription())
            .endSelector()
            .endMetric()
            .withNewTarget()
            .withType("AverageValue")
            .withAverageValue(new Quantity(String.valueOf(backlogPerReplica())))
            .endTarget()
            .endExternal()
            .endMetric()
            .endSpec()
            .build());
    // the worker pulls from Pub/Sub and calls vLLM; nothing needs to reach it
    out.add(NetworkPolicies.denyIngress(name(), ns, labels, selector));
    return out.build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAsyncInference.Builder {}
}
