package io.github.gkeinference.serving.batch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpecBuilder;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.internal.GrantObjects;
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
 * Batch inference: each pod runs a vLLM server as a native sidecar and a worker that reads its
 * shard of an input dataset in Cloud Storage, sends it to {@code localhost}, and writes results
 * back (the reference architecture's offline batch pattern,
 * GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/offline-batch-inference-gpu).
 *
 * <p>Renders a ServiceAccount and an Indexed Job, or a JobSet with one replicated Job. The work is
 * split into {@link #shards()} completions, {@link #parallelism()} of them run at once, and each
 * shard is retried {@link #retries()} times. The GPUs each pod requests come from the server spec,
 * whose parallelism always equals them. The worker learns its shard from {@code
 * JOB_COMPLETION_INDEX}, which Kubernetes sets in Indexed Jobs.
 *
 * <p>Metrics: the NetworkPolicy admits only the Managed Prometheus collector, and only on vLLM's
 * metrics port, so that a PodMonitoring built from the bundle's {@code WorkloadFacts} (sdk-
 * observability's {@code ScrapeConfigs.modelServer}) can scrape the sidecar; Prometheus' Kubernetes
 * pod discovery lists the ports of init containers, native sidecars included ({@code
 * __meta_kubernetes_pod_container_init},
 * https://prometheus.io/docs/prometheus/latest/configuration/configuration/#kubernetes_sd_config).
 * Nothing else reaches the pods: the worker calls vLLM on {@code localhost}.
 *
 * <pre>{@code
 * RenderedSet bundle = BatchInference.builder()
 *     .name("obi")
 *     .server(server)
 *     .workerImage("us-docker.pkg.dev/p/r/offline-batch-worker:1.0")
 *     .input("gs://datasets/alpaca/")
 *     .output("gs://results/alpaca/")
 *     .shards(10)
 *     .parallelism(2)
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableBatchInference.class)
public interface BatchInference extends RenderableSpec {
  /** The worker container's CPU request in millicores. */
  long WORKER_CPU_MILLIS = 500;

  /** The worker container's memory request and limit: 1 GiB. */
  long WORKER_MEMORY_BYTES = 1L << 30;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The Job's or JobSet's name; a DNS-1123 label of at most 40 characters. */
  String name();

  /** The model server each pod runs; its namespace is the batch's namespace. */
  VllmServer server();

  /** The worker image that reads the input and writes the output. */
  String workerImage();

  /** The input dataset, a {@code gs://} prefix. */
  String input();

  /** Where results go, a {@code gs://} prefix. */
  String output();

  /** How many pieces the dataset is split into (Job completions); default 1. */
  @Value.Default
  default int shards() {
    return 1;
  }

  /** How many shards run at once (Job parallelism); default 1. */
  @Value.Default
  default int parallelism() {
    return 1;
  }

  /** Retries of a failed shard before the batch fails (Job backoffLimit); default 3. */
  @Value.Default
  default int retries() {
    return 3;
  }

  /**
   * Concurrent requests each worker sends to its server; default 100
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/offline-batch-inference-gpu).
   */
  @Value.Default
  default int concurrentRequests() {
    return 100;
  }

  /** Whether to render a JobSet ({@code jobset.x-k8s.io/v1alpha2}) instead of a Job. */
  @Value.Default
  default boolean jobSet() {
    return false;
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

  /** The Google service account the pods act as, for the buckets; default the server's. */
  Optional<String> googleServiceAccount();

  /**
   * Whether the worker replaces results that already exist in {@link #output()}; default {@code
   * false}: the output grant is {@link BucketGrant#OBJECT_CREATOR} (create only, no read, list or
   * delete), which suffices for a worker that writes each result once, for example only if absent
   * (an {@code ifGenerationMatch=0} precondition) so that a retried shard skips what its first
   * attempt wrote. Set it for a worker that rewrites a retried shard's results: replacing an object
   * needs {@code storage.objects.delete}
   * (https://cloud.google.com/storage/docs/access-control/iam-permissions), so the grant becomes
   * {@link BucketGrant#OBJECT_USER}, which also lets the pods read and delete every object of the
   * output bucket.
   */
  @Value.Default
  default boolean outputOverwrite() {
    return false;
  }

  /**
   * Returns the least-privilege grants the batch pods need, for the identity they act as (the
   * {@link #googleServiceAccount()}, else the server's, else the batch service account's Workload
   * Identity principal when the server's {@link VllmServer#workloadIdentity()} is set): read-only
   * ({@link BucketGrant#OBJECT_VIEWER}) on the buckets the server's weights, LoRA adapters and
   * draft come from and on the {@link #input()} bucket, and create-only ({@link
   * BucketGrant#OBJECT_CREATOR}, or {@link BucketGrant#OBJECT_USER} with {@link
   * #outputOverwrite()}) on the {@link #output()} bucket. Empty when no identity is known. Rendered
   * as Config Connector {@code IAMPolicyMember} objects; apply them without GitOps with {@code
   * BucketIamProvisioner}.
   *
   * @return the grants, each once
   */
  default List<BucketGrant> bucketGrants() {
    Optional<String> gsa = googleServiceAccount().or(() -> server().googleServiceAccount());
    Optional<String> member =
        GrantObjects.member(gsa, server().workloadIdentity(), server().namespace(), name());
    if (member.isEmpty()) {
      return List.of();
    }
    // the server's own read grants, for the batch's identity instead of the server's
    VllmServer asBatch =
        gsa.isPresent()
            ? server().toBuilder()
                .serviceAccountName(Optional.empty())
                .googleServiceAccount(gsa)
                .build()
            : server().toBuilder().serviceAccountName(name()).build();
    List<BucketGrant> grants = new ArrayList<>(asBatch.bucketGrants());
    grants.add(BucketGrant.objectViewer(GcsLocation.parse(input()).bucket(), member.get()));
    String out = GcsLocation.parse(output()).bucket();
    grants.add(
        outputOverwrite()
            ? BucketGrant.objectUser(out, member.get())
            : BucketGrant.objectCreator(out, member.get()));
    return grants.stream().distinct().toList();
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(Pods.isDns1035(name(), 40), "name", name(), "must be a DNS-1035 label of at most 40");
    ContainerImages.check(v, "workerImage", workerImage());
    Pods.checkWorkerHealth(v, workerHealthPort(), workerHealthPath());
    v.require(isGcsPrefix(input()), "input", input(), "must be a gs://bucket/ prefix");
    v.require(isGcsPrefix(output()), "output", output(), "must be a gs://bucket/ prefix");
    v.require(shards() >= 1, "shards", shards(), "must be at least 1");
    v.require(
        parallelism() >= 1 && parallelism() <= shards(),
        "parallelism",
        parallelism(),
        "must be between 1 and the number of shards");
    v.require(retries() >= 0, "retries", retries(), "must be zero or more");
    v.require(
        concurrentRequests() >= 1, "concurrentRequests", concurrentRequests(), "must be >= 1");
    googleServiceAccount()
        .ifPresent(g -> GcpNames.checkServiceAccountEmail(v, "googleServiceAccount", g));
    v.throwIfErrors();
  }

  /** Whether a URI is a {@code gs://} prefix with a valid bucket name. */
  private static boolean isGcsPrefix(String uri) {
    try {
      GcsLocation.parse(uri);
      return true;
    } catch (SdkValidationException e) {
      return false;
    }
  }

  @Override
  default String kind() {
    return "BatchInference";
  }

  /**
   * Renders the ServiceAccount, the {@link #bucketGrants()} as Config Connector IAMPolicyMembers
   * ({@code NAME-model-reader}, {@code NAME-input-reader}, {@code NAME-output-writer}), the Job or
   * JobSet and a NetworkPolicy that admits only the Managed Prometheus collector, on the metrics
   * port, to its pods.
   *
   * @return the rendered set
   */
  @Override
  default RenderedSet render() {
    String ns = server().namespace();
    Map<String, String> labels = Labels.standard("batch-inference", name(), "batch");
    // the worker shares the node: size the server with the worker's requests left out
    AcceleratorPlacement placement = server().placement();
    VllmServer sized =
        server().toBuilder()
            .placement(
                placement.toBuilder()
                    .sidecarCpuMillis(placement.sidecarCpuMillis() + WORKER_CPU_MILLIS)
                    .sidecarMemoryBytes(placement.sidecarMemoryBytes() + WORKER_MEMORY_BYTES)
                    .build())
            .build();
    PodTemplateSpec pod = sized.podTemplate();
    Container vllm = pod.getSpec().getContainers().get(0);
    // a native sidecar: started before the worker, stopped when the worker ends
    vllm.setRestartPolicy("Always");
    Container worker =
        new ContainerBuilder()
            .withName("worker")
            .withImage(workerImage())
            .withImagePullPolicy("IfNotPresent")
            // the worker contract of the reference architecture's batch worker
            // (GoogleCloudPlatform/accelerated-platforms@9320f3b2
            // platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/offline-batch-inference-gpu)
            .withEnv(
                Pods.env("VLLM_API_ENDPOINT", "http://localhost:" + VllmServer.DEFAULT_PORT),
                Pods.env("MODEL_ID", server().servedModelName().orElse(server().modelId())),
                Pods.env("INPUT_URI", input()),
                Pods.env("OUTPUT_URI", output()),
                Pods.env("CONCURRENT_REQUESTS", String.valueOf(concurrentRequests())))
            .withNewResources()
            .addToRequests("cpu", new Quantity(WORKER_CPU_MILLIS + "m"))
            .addToRequests("memory", new Quantity((WORKER_MEMORY_BYTES >> 20) + "Mi"))
            .addToLimits("memory", new Quantity((WORKER_MEMORY_BYTES >> 20) + "Mi"))
            .endResources()
            .withSecurityContext(Pods.restricted(workerRunsAsNonRoot()))
            .build();
    workerHealthPort().ifPresent(port -> Pods.workerProbes(worker, workerHealthPath(), port));
    pod.getSpec().setInitContainers(List.of(vllm));
    pod.getSpec().setContainers(List.of(worker));
    pod.getSpec().setRestartPolicy("Never");
    pod.getSpec().setServiceAccountName(name());
    // neither vLLM nor the worker calls the Kubernetes API
    pod.getSpec().setAutomountServiceAccountToken(false);
    Map<String, String> podSelector = Labels.selector(name(), "batch");
    pod.getMetadata().getLabels().putAll(podSelector);
    JobSpec job =
        new JobSpecBuilder()
            .withCompletionMode("Indexed")
            .withCompletions(shards())
            .withParallelism(parallelism())
            .withBackoffLimit(retries())
            .withTemplate(pod)
            .build();
    RenderedSet.Builder out =
        RenderedSet.builder()
            .addWorkload(
                // the server runs as a sidecar of the Job's pods: its facts, the Job's identity
                sized.workloadFacts().toBuilder()
                    .apiVersion(jobSet() ? JobSet.API_VERSION : "batch/v1")
                    .kind(jobSet() ? JobSet.KIND : "Job")
                    .name(name())
                    .namespace(ns)
                    .podSelector(pod.getMetadata().getLabels())
                    .podLabels(pod.getMetadata().getLabels())
                    .build());
    ServiceAccountBuilder sa =
        new ServiceAccountBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withAutomountServiceAccountToken(false);
    googleServiceAccount()
        .or(() -> server().googleServiceAccount())
        .ifPresent(
            g ->
                sa.editMetadata()
                    .addToAnnotations(VllmServer.WORKLOAD_IDENTITY_ANNOTATION, g)
                    .endMetadata());
    out.add(sa.build());
    List<BucketGrant> grants = bucketGrants();
    String inputBucket = GcsLocation.parse(input()).bucket();
    GrantObjects.policyMembers(
            name(),
            ns,
            labels,
            grants,
            g ->
                !g.role().equals(BucketGrant.OBJECT_VIEWER)
                    ? "-output-writer"
                    // the input's bucket, even when the model is in it too (one grant)
                    : g.bucket().equals(inputBucket) ? "-input-reader" : "-model-reader")
        .forEach(out::add);
    if (jobSet()) {
      JobSet set = new JobSet();
      set.setMetadata(Pods.meta(name(), ns, labels));
      set.setSpec(
          new JobSet.Spec(
              List.of(
                  new JobSet.ReplicatedJob(
                      "worker", 1, new JobTemplateSpecBuilder().withSpec(job).build())),
              new JobSet.SuccessPolicy("All"),
              new JobSet.FailurePolicy(0)));
      out.add(set);
    } else {
      out.add(new JobBuilder().withMetadata(Pods.meta(name(), ns, labels)).withSpec(job).build());
    }
    // the worker reaches vLLM on localhost: only the metrics scrape comes from outside the pod
    int metricsPort =
        sized.workloadFacts().metrics().map(m -> m.port()).orElse(VllmServer.DEFAULT_PORT);
    out.add(NetworkPolicies.collectorOnly(name(), ns, labels, podSelector, metricsPort));
    return out.build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableBatchInference.Builder {}
}
