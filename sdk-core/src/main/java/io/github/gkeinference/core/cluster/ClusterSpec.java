package io.github.gkeinference.core.cluster;

import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterAutoscaling;
import com.google.container.v1.LoggingComponentConfig;
import com.google.container.v1.MonitoringComponentConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.PodAutoscaling;
import com.google.container.v1.ReleaseChannel;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A GKE cluster configured for LLM inference, rendered as a {@code com.google.container.v1.Cluster}
 * create request.
 *
 * <p>{@link #inferenceDefaults(String, String)} mirrors the cluster of the GKE inference reference
 * architecture (GoogleCloudPlatform/accelerated-platforms@9320f3b2 {@code
 * platforms/gke/base/core/container_cluster/container_cluster.tf}); every field can be overridden:
 *
 * <pre>{@code
 * ClusterSpec spec = ClusterSpec.inferenceDefaults("my-project", "us-east4").toBuilder()
 *     .name("inference")
 *     .putAcceleratorLimit("nvidia-h200-141gb", 64)
 *     .build();
 * Cluster request = spec.cluster();
 * }</pre>
 *
 * <p>Node auto-provisioning limits for accelerators come only from {@link #acceleratorLimits()}:
 * list the accelerator types the workloads will use (GKE accelerator names such as {@code
 * nvidia-l4} or TPU types such as {@code tpu-v6e-slice}); the reference architecture's fixed list
 * forgot {@code nvidia-h200-141gb} and {@code nvidia-rtx-pro-6000}.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableClusterSpec.class)
public interface ClusterSpec extends RenderableSpec {
  /** The API version of the rendered {@link CloudResource}. */
  String API_VERSION = "container.googleapis.com/v1";

  /** The kind of the rendered {@link CloudResource}. */
  String KIND = "Cluster";

  /**
   * The node auto-provisioning maximum the reference architecture sets for CPU, memory and every
   * accelerator: {@code 9223372036854775806}, in effect no limit
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf, "NAP resource limits").
   */
  long UNLIMITED = 9223372036854775806L;

  /**
   * The accelerator types the reference architecture's NAP limits list
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf), plus {@code nvidia-h200-141gb}
   * and {@code nvidia-rtx-pro-6000}, which it forgot
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus lists both as GKE accelerator
   * names).
   */
  List<String> REFERENCE_ACCELERATORS =
      List.of(
          "nvidia-a100-80gb",
          "nvidia-h100-80gb",
          "nvidia-h100-mega-80gb",
          "nvidia-h200-141gb",
          "nvidia-l4",
          "nvidia-rtx-pro-6000",
          "nvidia-tesla-a100",
          "nvidia-tesla-k80",
          "nvidia-tesla-p4",
          "nvidia-tesla-p100",
          "nvidia-tesla-t4",
          "nvidia-tesla-v100",
          "tpu-v4-podslice",
          "tpu-v5-lite-podslice",
          "tpu-v5p-slice",
          "tpu-v6e-slice");

  /**
   * The taint of the reference architecture's system node pool, which keeps workloads off it
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf, "system pool").
   */
  String SYSTEM_POOL_TAINT_KEY = "components.gke.io/gke-managed-components";

  /**
   * The reference architecture's private control-plane range
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf).
   */
  String REFERENCE_MASTER_CIDR = "172.16.0.32/28";

  /**
   * The OAuth scope of auto-provisioned nodes in the reference architecture
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf).
   */
  String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  /** Returns a new builder; {@code project}, {@code name} and {@code location} are required. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Returns the reference architecture's inference cluster: a regional Standard cluster named
   * {@code inf-dev} (its default name, GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/_shared_config/platform_variables.tf) on the RAPID channel with private
   * nodes and a DNS endpoint, Dataplane V2, Workload Identity, the GCS FUSE, Filestore, Persistent
   * Disk and Lustre CSI drivers, HTTP load balancing, Gateway API, Managed Prometheus with
   * automatic application monitoring, Secret Manager, the PERFORMANCE HPA profile, the
   * OPTIMIZE_UTILIZATION autoscaling profile, node auto-provisioning with no effective limit for
   * {@link #REFERENCE_ACCELERATORS}, image streaming and a tainted system node pool.
   *
   * @param project the Google Cloud project id
   * @param region the region, for example {@code us-east4}
   * @return the spec
   */
  static ClusterSpec inferenceDefaults(String project, String region) {
    Builder b = builder().project(project).name("inf-dev").location(region);
    b.masterIpv4CidrBlock(REFERENCE_MASTER_CIDR);
    for (String accelerator : REFERENCE_ACCELERATORS) {
      b.putAcceleratorLimit(accelerator, UNLIMITED);
    }
    return b.build();
  }

  /** The Google Cloud project id. */
  String project();

  /** The cluster name: a lower-case letter, then letters, digits or '-', at most 40 characters. */
  String name();

  /** The region (regional cluster, the default) or zone ({@link #zonal()} cluster). */
  String location();

  /** Whether {@link #location()} is a zone; default {@code false}: regional, for availability. */
  @Value.Default
  default boolean zonal() {
    return false;
  }

  /** The zones of the nodes; empty lets GKE choose (the default zones of the region). */
  List<String> nodeLocations();

  /** Whether the cluster is Autopilot; default {@code false}: Standard. */
  @Value.Default
  default boolean autopilot() {
    return false;
  }

  /** The release channel; default RAPID, as in the reference architecture. */
  @Value.Default
  default ReleaseChannel.Channel releaseChannel() {
    return ReleaseChannel.Channel.RAPID;
  }

  /** The VPC network name; empty uses the project's default network. */
  Optional<String> network();

  /** The subnetwork name; empty uses the network's subnetwork in the region. */
  Optional<String> subnetwork();

  /** Whether nodes have internal IP addresses only; default {@code true}. */
  @Value.Default
  default boolean privateNodes() {
    return true;
  }

  /** Whether the control plane's public IP endpoint is off; default {@code true}. */
  @Value.Default
  default boolean privateEndpoint() {
    return true;
  }

  /**
   * Whether the control plane's DNS endpoint accepts traffic from outside the VPC (how {@code
   * kubectl --dns-endpoint} reaches a private cluster); default {@code true}.
   */
  @Value.Default
  default boolean dnsEndpoint() {
    return true;
  }

  /** The control plane's private range, for example {@value #REFERENCE_MASTER_CIDR}. */
  Optional<String> masterIpv4CidrBlock();

  /** Whether Dataplane V2 (advanced datapath) is on, with its metrics; default {@code true}. */
  @Value.Default
  default boolean dataplaneV2() {
    return true;
  }

  /** Whether Workload Identity ({@code <project>.svc.id.goog}) is on; default {@code true}. */
  @Value.Default
  default boolean workloadIdentity() {
    return true;
  }

  /** The Cloud Storage FUSE CSI driver, for loading models; default on. Needs Workload Identity. */
  @Value.Default
  default boolean gcsFuseCsiDriver() {
    return true;
  }

  /** The Filestore CSI driver; default on. */
  @Value.Default
  default boolean filestoreCsiDriver() {
    return true;
  }

  /** The Compute Engine Persistent Disk CSI driver; default on. */
  @Value.Default
  default boolean persistentDiskCsiDriver() {
    return true;
  }

  /** The Managed Lustre CSI driver; default on for Standard, off for Autopilot (as the seed). */
  @Value.Default
  default boolean lustreCsiDriver() {
    return !autopilot();
  }

  /** The Ray operator add-on with its logging and monitoring; default on. */
  @Value.Default
  default boolean rayOperator() {
    return true;
  }

  /** The HTTP load balancing add-on, which the Gateway API needs; default on. */
  @Value.Default
  default boolean httpLoadBalancing() {
    return true;
  }

  /** The Gateway API on its standard channel; default on. Needs HTTP load balancing. */
  @Value.Default
  default boolean gatewayApi() {
    return true;
  }

  /** Managed Service for Prometheus; default on. */
  @Value.Default
  default boolean managedPrometheus() {
    return true;
  }

  /**
   * GKE automatic application monitoring ({@code auto_monitoring_config.scope = ALL}), which
   * scrapes known model servers without a PodMonitoring; default on. Needs Managed Prometheus.
   */
  @Value.Default
  default boolean automaticApplicationMonitoring() {
    return true;
  }

  /** The Secret Manager add-on (for {@code secrets-store-gke.csi.k8s.io}); default on. */
  @Value.Default
  default boolean secretManager() {
    return true;
  }

  /** The HPA profile; default PERFORMANCE, as in the reference architecture. */
  @Value.Default
  default PodAutoscaling.HPAProfile hpaProfile() {
    return PodAutoscaling.HPAProfile.PERFORMANCE;
  }

  /** The cluster autoscaler profile; default OPTIMIZE_UTILIZATION. */
  @Value.Default
  default ClusterAutoscaling.AutoscalingProfile autoscalingProfile() {
    return ClusterAutoscaling.AutoscalingProfile.OPTIMIZE_UTILIZATION;
  }

  /**
   * Whether node auto-provisioning is on; default on for Standard and off for Autopilot, which
   * provisions nodes itself.
   */
  @Value.Default
  default boolean nodeAutoProvisioning() {
    return !autopilot();
  }

  /** The NAP vCPU limit; empty uses {@link #UNLIMITED} when NAP is on. */
  OptionalLong napCpuLimit();

  /** The NAP memory limit in GB; empty uses {@link #UNLIMITED} when NAP is on. */
  OptionalLong napMemoryGbLimit();

  /**
   * The accelerators the workloads will use, as GKE accelerator types (for example {@code
   * nvidia-h200-141gb}, {@code tpu-v6e-slice}), each with the most NAP may provision.
   */
  Map<String, Long> acceleratorLimits();

  /** The service account of auto-provisioned and system nodes; empty uses the default one. */
  Optional<String> nodeServiceAccount();

  /** Image streaming for faster container start; default on. */
  @Value.Default
  default boolean imageStreaming() {
    return true;
  }

  /**
   * The tainted {@code system} node pool of Standard clusters ({@code n4-standard-4}, 2 to 1000
   * nodes); default on for Standard, off for Autopilot.
   */
  @Value.Default
  default boolean systemNodePool() {
    return !autopilot();
  }

  /** Extra node pools, for example GPU pools built by the accelerators module. */
  List<NodePool> nodePools();

  /** The system log components; default as in the reference architecture. */
  @Value.Default
  default List<LoggingComponentConfig.Component> loggingComponents() {
    return List.of(
        LoggingComponentConfig.Component.APISERVER,
        LoggingComponentConfig.Component.CONTROLLER_MANAGER,
        LoggingComponentConfig.Component.KCP_HPA,
        LoggingComponentConfig.Component.SCHEDULER,
        LoggingComponentConfig.Component.SYSTEM_COMPONENTS,
        LoggingComponentConfig.Component.WORKLOADS);
  }

  /** The system metric components; default as in the reference architecture (includes DCGM). */
  @Value.Default
  default List<MonitoringComponentConfig.Component> monitoringComponents() {
    return List.of(
        MonitoringComponentConfig.Component.APISERVER,
        MonitoringComponentConfig.Component.CADVISOR,
        MonitoringComponentConfig.Component.CONTROLLER_MANAGER,
        MonitoringComponentConfig.Component.DAEMONSET,
        MonitoringComponentConfig.Component.DCGM,
        MonitoringComponentConfig.Component.DEPLOYMENT,
        MonitoringComponentConfig.Component.HPA,
        MonitoringComponentConfig.Component.JOBSET,
        MonitoringComponentConfig.Component.KUBELET,
        MonitoringComponentConfig.Component.POD,
        MonitoringComponentConfig.Component.SCHEDULER,
        MonitoringComponentConfig.Component.STATEFULSET,
        MonitoringComponentConfig.Component.STORAGE,
        MonitoringComponentConfig.Component.SYSTEM_COMPONENTS);
  }

  /** Resource labels on the cluster. */
  Map<String, String> resourceLabels();

  /** Returns {@code projects/<project>/locations/<location>}. */
  default String parent() {
    return "projects/" + project() + "/locations/" + location();
  }

  /** Returns {@code projects/<project>/locations/<location>/clusters/<name>}. */
  default String resourceName() {
    return parent() + "/clusters/" + name();
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("cluster");
    ClusterRules.check(this, v);
    v.throwIfErrors();
  }

  /** Renders the create request's cluster message. */
  default Cluster cluster() {
    return ClusterRendering.render(this);
  }

  /** Renders the cluster as one {@link CloudResource} in a set. */
  @Override
  default String kind() {
    return "ClusterSpec";
  }

  @Override
  default RenderedSet render() {
    return RenderedSet.builder()
        .add(CloudResource.of(API_VERSION, KIND, name(), cluster()))
        .build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableClusterSpec.Builder {}
}
