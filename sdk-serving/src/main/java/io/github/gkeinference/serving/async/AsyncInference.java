package io.github.gkeinference.serving.async;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.github.gkeinference.core.iam.BucketGrant;
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
import java.util.OptionalLong;
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
 * for this subscription. With a {@link #topic()} it also renders, as Config Connector objects, the
 * request topic, the dead-letter topic, the subscription with its ack deadline and dead-letter
 * policy, and the IAM bindings of {@link #pubSubGrants()} and {@link #resultsGrant()}; {@link
 * PubSubProvisioner} creates the same through the Pub/Sub API instead. The worker image is the
 * caller's, for example the reference subscriber of the SDK's {@code async-subscriber} module; it
 * receives the settings as environment variables ({@code PROJECT_ID}, {@code
 * PUBSUB_SUBSCRIPTION_ID}, {@code MODEL_ID}, {@code VLLM_API_ENDPOINT}, {@code BATCH_SIZE}, {@code
 * MAX_CONCURRENT_REQUESTS}, {@code ACK_DEADLINE_SECONDS}, {@code RESULTS_BUCKET}, {@code
 * HEALTH_PORT}). The vLLM server's own HPA comes from sdk-autoscaling ({@code
 * InferenceAutoscaler}).
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

  /**
   * Create objects in a bucket, without reading, overwriting or deleting them: {@link
   * BucketGrant#OBJECT_CREATOR}, where its source is.
   */
  String OBJECT_CREATOR = BucketGrant.OBJECT_CREATOR;

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

  /**
   * The topic the requests are published to. When set, the topic, the subscription on it (with the
   * dead-letter policy when {@link #deadLetterTopic()} is set) and the IAM bindings of {@link
   * #pubSubGrants()} are rendered as Config Connector objects in the server's namespace (or created
   * by {@link PubSubProvisioner}); when empty they are managed elsewhere and only the workers are
   * rendered.
   */
  Optional<String> topic();

  /**
   * The dead-letter topic of the subscription: a message that was delivered {@link
   * #maxDeliveryAttempts()} times without an ack (the worker nacks on failure) is forwarded there
   * by Pub/Sub (https://cloud.google.com/pubsub/docs/handling-failures). Needs {@link #topic()} and
   * {@link #projectNumber()}.
   */
  Optional<String> deadLetterTopic();

  /**
   * Deliveries before a message goes to the dead-letter topic; default 10, the reference
   * architecture's setting (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/terraform/async_gpu/pubsub.tf). Pub/Sub accepts
   * 5 to 100 (https://cloud.google.com/pubsub/docs/handling-failures).
   */
  @Value.Default
  default int maxDeliveryAttempts() {
    return 10;
  }

  /**
   * The project's number, which names its Pub/Sub service agent ({@code
   * service-NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com}); required with a dead-letter topic,
   * since the agent forwards dead letters and must be granted that (see {@link #pubSubGrants()}).
   */
  OptionalLong projectNumber();

  /**
   * The Cloud Storage bucket the worker writes each answer to (the reference subscriber's {@code
   * RESULTS_BUCKET}), if any; the worker may then create objects there and nothing more (see {@link
   * #resultsGrant()}).
   */
  Optional<String> resultsBucket();

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

  /**
   * Returns the Pub/Sub service agent of {@link #projectNumber()}, the identity that forwards dead
   * letters (https://cloud.google.com/pubsub/docs/handling-failures).
   *
   * @return {@code serviceAccount:service-NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com}, or empty
   */
  default Optional<String> pubSubServiceAgent() {
    return projectNumber().isPresent()
        ? Optional.of(
            "serviceAccount:service-"
                + projectNumber().getAsLong()
                + "@gcp-sa-pubsub.iam.gserviceaccount.com")
        : Optional.empty();
  }

  /**
   * Returns the least-privilege Pub/Sub bindings this pipeline needs, empty without {@link
   * #topic()}: the worker's Google service account may consume the subscription ({@link
   * PubSubGrant#SUBSCRIBER}) and publishes nowhere (answers go to Cloud Storage and failures are
   * nacked, so Pub/Sub itself dead-letters them). With a dead-letter topic, the project's Pub/Sub
   * service agent may publish to the dead-letter topic and consume the subscription, which Pub/Sub
   * requires to forward dead letters (https://cloud.google.com/pubsub/docs/handling-failures,
   * "Grant forwarding permissions").
   *
   * @return the grants, in the order they are rendered
   */
  default List<PubSubGrant> pubSubGrants() {
    if (topic().isEmpty()) {
      return List.of();
    }
    List<PubSubGrant> grants = new ArrayList<>();
    grants.add(
        new PubSubGrant(
            PubSubGrant.Resource.SUBSCRIPTION,
            subscription(),
            PubSubGrant.SUBSCRIBER,
            "serviceAccount:" + googleServiceAccount()));
    Optional<String> agent = pubSubServiceAgent();
    if (deadLetterTopic().isPresent() && agent.isPresent()) {
      grants.add(
          new PubSubGrant(
              PubSubGrant.Resource.TOPIC,
              deadLetterTopic().get(),
              PubSubGrant.PUBLISHER,
              agent.get()));
      grants.add(
          new PubSubGrant(
              PubSubGrant.Resource.SUBSCRIPTION,
              subscription(),
              PubSubGrant.SUBSCRIBER,
              agent.get()));
    }
    return List.copyOf(grants);
  }

  /**
   * Returns the worker's grant on {@link #resultsBucket()}: {@link #OBJECT_CREATOR} only, since the
   * reference subscriber creates each answer object once (a redelivered message finds its answer
   * there and is acked).
   *
   * @return the grant, or empty without a results bucket
   */
  default Optional<BucketGrant> resultsGrant() {
    return resultsBucket()
        .map(b -> new BucketGrant(b, OBJECT_CREATOR, "serviceAccount:" + googleServiceAccount()));
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
        isPubSubId(subscription()),
        "subscription",
        subscription(),
        "must be a Pub/Sub subscription id (3-255 characters, starting with a letter)");
    topic()
        .ifPresent(
            t ->
                v.require(
                    isPubSubId(t), "topic", t, "must be a Pub/Sub topic id (3-255 characters)"));
    deadLetterTopic()
        .ifPresent(
            t -> {
              v.require(isPubSubId(t), "deadLetterTopic", t, "must be a Pub/Sub topic id");
              v.require(
                  topic().isPresent(),
                  "deadLetterTopic",
                  t,
                  "needs topic: the dead-letter policy belongs to the subscription rendered on it");
              v.require(
                  !t.equals(topic().orElse("")), "deadLetterTopic", t, "must differ from topic");
              v.require(
                  projectNumber().isPresent(),
                  "projectNumber",
                  null,
                  "is required with deadLetterTopic: it names the Pub/Sub service agent that"
                      + " forwards dead letters");
            });
    v.require(
        maxDeliveryAttempts() >= 5 && maxDeliveryAttempts() <= 100,
        "maxDeliveryAttempts",
        maxDeliveryAttempts(),
        "must be between 5 and 100");
    projectNumber()
        .ifPresent(
            n -> v.require(n > 0, "projectNumber", n, "must be the project's number, positive"));
    resultsBucket()
        .ifPresent(
            b ->
                v.require(
                    b.matches("[a-z0-9][-a-z0-9_.]{1,220}[a-z0-9]"),
                    "resultsBucket",
                    b,
                    "must be a Cloud Storage bucket name, without gs://"));
    GcpNames.checkServiceAccountEmail(v, "googleServiceAccount", googleServiceAccount());
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
   * Renders the worker's ServiceAccount, Deployment, HorizontalPodAutoscaler, a NetworkPolicy that
   * admits no ingress to the worker and, with a {@link #topic()}, the Pub/Sub topics, subscription
   * and IAM bindings as Config Connector objects.
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
    resultsBucket().ifPresent(b -> env.add(Pods.env("RESULTS_BUCKET", b)));
    workerHealthPort().ifPresent(p -> env.add(Pods.env("HEALTH_PORT", String.valueOf(p))));
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
    renderPubSub(out, ns, labels);
    return out.build();
  }

  private void renderPubSub(RenderedSet.Builder out, String ns, Map<String, String> labels) {
    if (topic().isEmpty()) {
      return;
    }
    Map<String, String> pubSubLabels = Labels.standard("async-inference", name(), "pubsub");
    String topicObject = name() + "-requests";
    out.add(
        new PubSubTopic(
            Pods.meta(topicObject, ns, pubSubLabels), new PubSubTopic.Spec(topic().get())));
    PubSubSubscription.DeadLetterPolicy deadLetter = null;
    if (deadLetterTopic().isPresent()) {
      String dlqObject = name() + "-dead-letter";
      out.add(
          new PubSubTopic(
              Pods.meta(dlqObject, ns, pubSubLabels),
              new PubSubTopic.Spec(deadLetterTopic().get())));
      deadLetter =
          new PubSubSubscription.DeadLetterPolicy(
              new PubSubSubscription.TopicRef(dlqObject), maxDeliveryAttempts());
    }
    out.add(
        new PubSubSubscription(
            Pods.meta(name(), ns, pubSubLabels),
            new PubSubSubscription.Spec(
                subscription(),
                new PubSubSubscription.TopicRef(topicObject),
                ackDeadlineSeconds(),
                deadLetter)));
    List<PubSubGrant> grants = pubSubGrants();
    String[] suffixes = {"-subscriber", "-dlq-publisher", "-dlq-subscriber"};
    for (int i = 0; i < grants.size(); i++) {
      out.add(grants.get(i).policyMember(name() + suffixes[i], ns, pubSubLabels, projectId()));
    }
    resultsGrant().ifPresent(g -> out.add(g.policyMember(name() + "-results-writer", ns, labels)));
  }

  private static boolean isPubSubId(String id) {
    // https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names: 3-255 characters, starts
    // with a letter, letters, digits, - _ . ~ + %, and never starts with "goog"
    return id.matches("[A-Za-z][-A-Za-z0-9_.~+%]{2,254}") && !id.startsWith("goog");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAsyncInference.Builder {}
}
