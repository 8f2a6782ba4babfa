package io.github.gkeinference.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.container.v1.AdvancedDatapathObservabilityConfig;
import com.google.container.v1.AutoMonitoringConfig;
import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterAutoscaling;
import com.google.container.v1.DNSConfig;
import com.google.container.v1.DatapathProvider;
import com.google.container.v1.GatewayAPIConfig;
import com.google.container.v1.LoggingComponentConfig;
import com.google.container.v1.MonitoringComponentConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.NodeTaint;
import com.google.container.v1.PodAutoscaling;
import com.google.container.v1.ReleaseChannel;
import com.google.container.v1.ResourceLimit;
import com.google.container.v1.SecurityPostureConfig;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.GoldenFiles;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {
  private final ClusterSpec defaults = ClusterSpec.inferenceDefaults("my-project", "us-east4");
  private final Cluster cluster = defaults.cluster();

  /**
   * Each assertion is one row of GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf (Standard column).
   */
  @Test
  void inferenceDefaults_rendersTheReferenceClusterSettings() {
    // naming and location: cluster inf-dev, regional
    assertThat(cluster.getName()).isEqualTo("inf-dev");
    assertThat(cluster.getLocation()).isEqualTo("us-east4");
    assertThat(cluster.hasAutopilot()).isFalse();
    // release channel RAPID
    assertThat(cluster.getReleaseChannel().getChannel()).isEqualTo(ReleaseChannel.Channel.RAPID);
    // Dataplane V2 with observability metrics on and relay off
    assertThat(cluster.getNetworkConfig().getDatapathProvider())
        .isEqualTo(DatapathProvider.ADVANCED_DATAPATH);
    AdvancedDatapathObservabilityConfig dpv2 =
        cluster.getMonitoringConfig().getAdvancedDatapathObservabilityConfig();
    assertThat(dpv2.getEnableMetrics()).isTrue();
    assertThat(dpv2.getRelayMode())
        .isEqualTo(AdvancedDatapathObservabilityConfig.RelayMode.DISABLED);
    // private nodes, private endpoint, master CIDR, no global access, DNS endpoint with external
    // traffic
    assertThat(cluster.getNetworkConfig().getDefaultEnablePrivateNodes()).isTrue();
    assertThat(
            cluster
                .getControlPlaneEndpointsConfig()
                .getIpEndpointsConfig()
                .getEnablePublicEndpoint())
        .isFalse();
    assertThat(cluster.getControlPlaneEndpointsConfig().getIpEndpointsConfig().getGlobalAccess())
        .isFalse();
    assertThat(cluster.getPrivateClusterConfig().getMasterIpv4CidrBlock())
        .isEqualTo("172.16.0.32/28");
    assertThat(
            cluster
                .getControlPlaneEndpointsConfig()
                .getDnsEndpointConfig()
                .getAllowExternalTraffic())
        .isTrue();
    // workload identity <project>.svc.id.goog
    assertThat(cluster.getWorkloadIdentityConfig().getWorkloadPool())
        .isEqualTo("my-project.svc.id.goog");
    // addons: GCS FUSE, Filestore, PD, Lustre CSI, HPA, Ray with logging and monitoring
    var addons = cluster.getAddonsConfig();
    assertThat(addons.getGcsFuseCsiDriverConfig().getEnabled()).isTrue();
    assertThat(addons.getGcpFilestoreCsiDriverConfig().getEnabled()).isTrue();
    assertThat(addons.getGcePersistentDiskCsiDriverConfig().getEnabled()).isTrue();
    assertThat(addons.getLustreCsiDriverConfig().getEnabled()).isTrue();
    assertThat(addons.getHorizontalPodAutoscaling().getDisabled()).isFalse();
    assertThat(addons.getRayOperatorConfig().getEnabled()).isTrue();
    assertThat(addons.getRayOperatorConfig().getRayClusterLoggingConfig().getEnabled()).isTrue();
    assertThat(addons.getRayOperatorConfig().getRayClusterMonitoringConfig().getEnabled()).isTrue();
    assertThat(addons.getHttpLoadBalancing().getDisabled()).isFalse();
    // gateway API standard channel
    assertThat(cluster.getNetworkConfig().getGatewayApiConfig().getChannel())
        .isEqualTo(GatewayAPIConfig.Channel.CHANNEL_STANDARD);
    // secret manager add-on
    assertThat(cluster.getSecretManagerConfig().getEnabled()).isTrue();
    // HPA profile PERFORMANCE
    assertThat(cluster.getPodAutoscaling().getHpaProfile())
        .isEqualTo(PodAutoscaling.HPAProfile.PERFORMANCE);
    // autoscaling profile OPTIMIZE_UTILIZATION, NAP on with its defaults
    ClusterAutoscaling autoscaling = cluster.getAutoscaling();
    assertThat(autoscaling.getAutoscalingProfile())
        .isEqualTo(ClusterAutoscaling.AutoscalingProfile.OPTIMIZE_UTILIZATION);
    assertThat(autoscaling.getEnableNodeAutoprovisioning()).isTrue();
    var napDefaults = autoscaling.getAutoprovisioningNodePoolDefaults();
    assertThat(napDefaults.getDiskType()).isEqualTo("pd-balanced");
    assertThat(napDefaults.getOauthScopesList())
        .containsExactly("https://www.googleapis.com/auth/cloud-platform");
    assertThat(napDefaults.getManagement().getAutoRepair()).isTrue();
    assertThat(napDefaults.getManagement().getAutoUpgrade()).isTrue();
    assertThat(napDefaults.getShieldedInstanceConfig().getEnableSecureBoot()).isTrue();
    assertThat(napDefaults.getShieldedInstanceConfig().getEnableIntegrityMonitoring()).isTrue();
    assertThat(napDefaults.getUpgradeSettings().getMaxSurge()).isZero();
    assertThat(napDefaults.getUpgradeSettings().getMaxUnavailable()).isEqualTo(1);
    // NAP limits: cpu, memory and the seed's accelerators, plus the two it forgot; min 0, max 2^63
    // - 2
    Map<String, ResourceLimit> limits =
        autoscaling.getResourceLimitsList().stream()
            .collect(Collectors.toMap(ResourceLimit::getResourceType, l -> l));
    assertThat(limits.keySet())
        .containsExactlyInAnyOrder(
            "cpu",
            "memory",
            "nvidia-a100-80gb",
            "nvidia-h100-80gb",
            "nvidia-h100-mega-80gb",
            "nvidia-l4",
            "nvidia-tesla-a100",
            "nvidia-tesla-k80",
            "nvidia-tesla-p4",
            "nvidia-tesla-p100",
            "nvidia-tesla-t4",
            "nvidia-tesla-v100",
            "tpu-v4-podslice",
            "tpu-v5-lite-podslice",
            "tpu-v5p-slice",
            "tpu-v6e-slice",
            "nvidia-h200-141gb",
            "nvidia-rtx-pro-6000");
    assertThat(limits.values())
        .allSatisfy(
            l -> {
              assertThat(l.getMinimum()).isZero();
              assertThat(l.getMaximum()).isEqualTo(Long.MAX_VALUE - 1);
            });
    // image streaming as the node pool default
    assertThat(cluster.getNodePoolDefaults().getNodeConfigDefaults().getGcfsConfig().getEnabled())
        .isTrue();
    // monitoring and logging components, managed Prometheus with auto monitoring ALL
    assertThat(cluster.getMonitoringConfig().getComponentConfig().getEnableComponentsList())
        .containsExactly(
            MonitoringComponentConfig.Component.APISERVER,
                MonitoringComponentConfig.Component.CADVISOR,
            MonitoringComponentConfig.Component.CONTROLLER_MANAGER,
                MonitoringComponentConfig.Component.DAEMONSET,
            MonitoringComponentConfig.Component.DCGM,
                MonitoringComponentConfig.Component.DEPLOYMENT,
            MonitoringComponentConfig.Component.HPA, MonitoringComponentConfig.Component.JOBSET,
            MonitoringComponentConfig.Component.KUBELET, MonitoringComponentConfig.Component.POD,
            MonitoringComponentConfig.Component.SCHEDULER,
                MonitoringComponentConfig.Component.STATEFULSET,
            MonitoringComponentConfig.Component.STORAGE,
                MonitoringComponentConfig.Component.SYSTEM_COMPONENTS);
    assertThat(cluster.getMonitoringConfig().getManagedPrometheusConfig().getEnabled()).isTrue();
    assertThat(
            cluster
                .getMonitoringConfig()
                .getManagedPrometheusConfig()
                .getAutoMonitoringConfig()
                .getScope())
        .isEqualTo(AutoMonitoringConfig.Scope.ALL);
    assertThat(cluster.getLoggingConfig().getComponentConfig().getEnableComponentsList())
        .containsExactly(
            LoggingComponentConfig.Component.APISERVER,
                LoggingComponentConfig.Component.CONTROLLER_MANAGER,
            LoggingComponentConfig.Component.KCP_HPA, LoggingComponentConfig.Component.SCHEDULER,
            LoggingComponentConfig.Component.SYSTEM_COMPONENTS,
                LoggingComponentConfig.Component.WORKLOADS);
    // other: cost management, Cloud DNS cluster scope, shielded nodes, security posture
    assertThat(cluster.getCostManagementConfig().getEnabled()).isTrue();
    assertThat(cluster.getNetworkConfig().getDnsConfig().getClusterDns())
        .isEqualTo(DNSConfig.Provider.CLOUD_DNS);
    assertThat(cluster.getNetworkConfig().getDnsConfig().getClusterDnsScope())
        .isEqualTo(DNSConfig.DNSScope.CLUSTER_SCOPE);
    assertThat(cluster.getShieldedNodes().getEnabled()).isTrue();
    assertThat(cluster.getSecurityPostureConfig().getMode())
        .isEqualTo(SecurityPostureConfig.Mode.BASIC);
    assertThat(cluster.getSecurityPostureConfig().getVulnerabilityMode())
        .isEqualTo(SecurityPostureConfig.VulnerabilityMode.VULNERABILITY_ENTERPRISE);
    // system pool: n4-standard-4, BALANCED, total 2..1000, label, taint, image streaming
    assertThat(cluster.getNodePoolsList()).singleElement().satisfies(this::isReferenceSystemPool);
  }

  private void isReferenceSystemPool(NodePool pool) {
    assertThat(pool.getName()).isEqualTo("system");
    assertThat(pool.getConfig().getMachineType()).isEqualTo("n4-standard-4");
    assertThat(pool.getAutoscaling().getLocationPolicy())
        .isEqualTo(NodePoolAutoscaling.LocationPolicy.BALANCED);
    assertThat(pool.getAutoscaling().getTotalMinNodeCount()).isEqualTo(2);
    assertThat(pool.getAutoscaling().getTotalMaxNodeCount()).isEqualTo(1000);
    assertThat(pool.getConfig().getLabelsMap()).containsEntry("resource-type", "system");
    assertThat(pool.getConfig().getTaintsList())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("components.gke.io/gke-managed-components");
              assertThat(t.getValue()).isEqualTo("true");
              assertThat(t.getEffect()).isEqualTo(NodeTaint.Effect.NO_SCHEDULE);
            });
    assertThat(pool.getConfig().getGcfsConfig().getEnabled()).isTrue();
  }

  @Test
  void inferenceDefaults_jsonMatchesGoldenFile() {
    CloudResource resource = defaults.render().cloudResources().get(0);

    GoldenFiles.assertMatches("cluster/inference-defaults.json", ManifestYaml.toJson(resource));
  }

  @Test
  void render_returnsOneClusterResource() {
    RenderedSet set = defaults.render();

    assertThat(set.cloudResources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.apiVersion()).isEqualTo("container.googleapis.com/v1");
              assertThat(r.kind()).isEqualTo("Cluster");
              assertThat(r.name()).isEqualTo("inf-dev");
              assertThat(r.message(Cluster.class)).isEqualTo(cluster);
            });
    assertThat(set.kubernetesResources()).isEmpty();
  }

  @Test
  void acceleratorLimits_onlyTheAcceleratorsTheCallerUses() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .project("my-project")
            .name("serving")
            .location("us-central1")
            .putAcceleratorLimit("nvidia-h200-141gb", 64)
            .putAcceleratorLimit("nvidia-rtx-pro-6000", 16)
            .napCpuLimit(2000)
            .build();

    Map<String, Long> limits =
        spec.cluster().getAutoscaling().getResourceLimitsList().stream()
            .collect(Collectors.toMap(ResourceLimit::getResourceType, ResourceLimit::getMaximum));
    assertThat(limits)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "cpu", 2000L,
                "memory", ClusterSpec.UNLIMITED,
                "nvidia-h200-141gb", 64L,
                "nvidia-rtx-pro-6000", 16L));
  }

  @Test
  void autopilot_rendersWithoutNodePoolsOrNap() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .project("my-project")
            .name("ap")
            .location("us-east4")
            .autopilot(true)
            .build();

    Cluster c = spec.cluster();
    assertThat(c.getAutopilot().getEnabled()).isTrue();
    assertThat(c.getNodePoolsList()).isEmpty();
    assertThat(c.getAutoscaling().getEnableNodeAutoprovisioning()).isFalse();
    assertThat(c.getAutoscaling().getResourceLimitsList()).isEmpty();
    assertThat(c.getAddonsConfig().hasLustreCsiDriverConfig()).isFalse();
  }

  @Test
  void zonal_acceptsZoneAndNodeLocationsInItsRegion() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .project("my-project")
            .name("dev")
            .location("us-east4-a")
            .zonal(true)
            .addNodeLocation("us-east4-b")
            .build();

    assertThat(spec.cluster().getLocation()).isEqualTo("us-east4-a");
    assertThat(spec.resourceName())
        .isEqualTo("projects/my-project/locations/us-east4-a/clusters/dev");
  }

  @Test
  void build_contradictions_listEveryViolationWithItsPath() {
    assertThatThrownBy(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("Inference_1")
                    .location("us-east4-a")
                    .autopilot(true)
                    .nodeAutoProvisioning(true)
                    .addNodePool(NodePool.newBuilder().setName("gpu").build())
                    .putAcceleratorLimit("nvidia-l4", 8)
                    .workloadIdentity(false)
                    .httpLoadBalancing(false)
                    .addNodeLocation("europe-west4-a")
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "cluster.name",
                        "cluster.location",
                        "cluster.nodeLocations[0]",
                        "cluster.nodePools",
                        "cluster.nodeAutoProvisioning",
                        "cluster.acceleratorLimits",
                        "cluster.workloadIdentity",
                        "cluster.httpLoadBalancing"))
        .hasMessageContaining("is a zone, but a regional cluster needs a region");
  }

  @Test
  void build_badAcceleratorTypeAndLimit_areViolations() {
    assertThatThrownBy(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("c")
                    .location("us-east4")
                    .putAcceleratorLimit("H100", 8)
                    .putAcceleratorLimit("nvidia-l4", 0)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "cluster.acceleratorLimits[H100]", "cluster.acceleratorLimits[nvidia-l4]"));
  }

  @Test
  void build_duplicateNodePoolName_isAViolation() {
    assertThatThrownBy(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("c")
                    .location("us-east4")
                    .nodePools(List.of(NodePool.newBuilder().setName("system").build()))
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("cluster.nodePools[0].name"));
  }

  private static java.util.List<Violation> violations(Runnable build) {
    try {
      build.run();
    } catch (SdkValidationException e) {
      return e.violations();
    }
    return java.util.List.of();
  }

  @Test
  void build_regionOfNoGeography_isOneViolation() {
    java.util.List<Violation> found =
        violations(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("c")
                    .location("mars-central1")
                    .build());

    assertThat(found).singleElement().extracting(Violation::path).isEqualTo("cluster.location");
    assertThat(found.get(0).message()).contains("not a Google Cloud region");
  }

  @Test
  void build_zonalClusterInAZoneOfNoGeography_isOneViolation() {
    java.util.List<Violation> found =
        violations(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("c")
                    .location("mars-central1-a")
                    .zonal(true)
                    .build());

    assertThat(found).singleElement().extracting(Violation::path).isEqualTo("cluster.location");
  }

  @Test
  void build_nodePoolLabelKeyWithASpace_isOneViolationAtTheLabel() {
    NodePool pool =
        NodePool.newBuilder()
            .setName("gpu")
            .setConfig(
                com.google.container.v1.NodeConfig.newBuilder().putLabels("Bad Key", "x").build())
            .build();

    java.util.List<Violation> found =
        violations(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("c")
                    .location("us-east4")
                    .nodePools(List.of(pool))
                    .build());

    assertThat(found)
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("cluster.nodePools[0].config.labels[Bad Key]");
  }

  @Test
  void build_masterRangeWithHostBits_isOneViolation() {
    java.util.List<Violation> found =
        violations(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("c")
                    .location("us-east4")
                    .masterIpv4CidrBlock("172.16.0.33/28")
                    .build());

    assertThat(found)
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("cluster.masterIpv4CidrBlock");
  }
}
