package io.github.gkeinference.accelerators.preflight;

import java.util.List;

/**
 * A feature a deployment uses, with the APIs it needs enabled and the oldest GKE version that
 * supports it. Each floor carries the page that states it.
 */
public enum Feature {
  /** Cloud Storage FUSE model volumes: the Cloud Storage API. */
  GCS_FUSE(List.of("storage.googleapis.com"), List.of()),
  /** Managed Prometheus and Cloud Monitoring dashboards, alerts and custom metrics. */
  MONITORING(List.of("monitoring.googleapis.com"), List.of()),
  /** Asynchronous inference over Pub/Sub. */
  ASYNC_PUBSUB(List.of("pubsub.googleapis.com"), List.of()),
  /**
   * GKE Inference Gateway: the Network Services API and GKE's Gateway controller (1.32.3), and the
   * GA InferencePool CRDs ({@code inference.networking.k8s.io/v1}) that GKE installs from
   * 1.34.0-gke.1626000 (earlier versions need them applied by hand):
   * https://cloud.google.com/kubernetes-engine/docs/how-to/deploy-gke-inference-gateway.
   */
  INFERENCE_GATEWAY(
      List.of("networkservices.googleapis.com"),
      List.of(
          new VersionFloor(
              "GKE Gateway controller for the inference gateway",
              "1.32.3",
              CheckStatus.FAIL,
              "https://cloud.google.com/kubernetes-engine/docs/how-to/deploy-gke-inference-gateway"),
          new VersionFloor(
              "GA InferencePool CRDs installed by GKE",
              "1.34.0-gke.1626000",
              CheckStatus.WARN,
              "https://cloud.google.com/kubernetes-engine/docs/how-to/deploy-gke-inference-gateway#prepare-environment"))),
  /**
   * Multi-cluster GKE Inference Gateway:
   * https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway.
   */
  MULTI_CLUSTER_INFERENCE_GATEWAY(
      List.of("networkservices.googleapis.com"),
      List.of(
          new VersionFloor(
              "multi-cluster inference gateway",
              "1.34.1-gke.1127000",
              CheckStatus.FAIL,
              "https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway"))),
  /**
   * Native sidecars (init containers with {@code restartPolicy: Always}), on by default from
   * Kubernetes 1.29: https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/.
   */
  NATIVE_SIDECARS(
      List.of(),
      List.of(
          new VersionFloor(
              "native sidecar containers",
              "1.29",
              CheckStatus.FAIL,
              "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/"))),
  /** TPU slice node pools: the Cloud TPU API. */
  TPU(List.of("tpu.googleapis.com"), List.of());

  /** The APIs every GKE deployment needs: GKE itself and Compute Engine for its nodes. */
  public static final List<String> BASE_SERVICES =
      List.of("container.googleapis.com", "compute.googleapis.com");

  private final List<String> services;
  private final List<VersionFloor> floors;

  Feature(List<String> services, List<VersionFloor> floors) {
    this.services = services;
    this.floors = floors;
  }

  /** Returns the APIs this feature needs enabled, for example {@code pubsub.googleapis.com}. */
  public List<String> services() {
    return services;
  }

  /** Returns the GKE version floors of this feature. */
  public List<VersionFloor> floors() {
    return floors;
  }

  /**
   * The oldest GKE version a feature works on.
   *
   * @param what the feature, in words
   * @param version the oldest GKE version, for example {@code 1.34.1-gke.1127000}
   * @param below the status of a cluster older than this: {@code FAIL} when the feature cannot
   *     work, {@code WARN} when it needs a manual step
   * @param source the page that states the floor
   */
  public record VersionFloor(String what, String version, CheckStatus below, String source) {}
}
