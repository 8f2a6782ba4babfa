package io.github.gkeinference.core.cluster;

import com.google.container.v1.AddonsConfig;
import com.google.container.v1.AdvancedDatapathObservabilityConfig;
import com.google.container.v1.AutoMonitoringConfig;
import com.google.container.v1.Autopilot;
import com.google.container.v1.AutoprovisioningNodePoolDefaults;
import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterAutoscaling;
import com.google.container.v1.ControlPlaneEndpointsConfig;
import com.google.container.v1.CostManagementConfig;
import com.google.container.v1.DNSConfig;
import com.google.container.v1.DatapathProvider;
import com.google.container.v1.GatewayAPIConfig;
import com.google.container.v1.GcePersistentDiskCsiDriverConfig;
import com.google.container.v1.GcfsConfig;
import com.google.container.v1.GcpFilestoreCsiDriverConfig;
import com.google.container.v1.GcsFuseCsiDriverConfig;
import com.google.container.v1.HorizontalPodAutoscaling;
import com.google.container.v1.HttpLoadBalancing;
import com.google.container.v1.LoggingComponentConfig;
import com.google.container.v1.LoggingConfig;
import com.google.container.v1.LustreCsiDriverConfig;
import com.google.container.v1.ManagedPrometheusConfig;
import com.google.container.v1.MonitoringComponentConfig;
import com.google.container.v1.MonitoringConfig;
import com.google.container.v1.NetworkConfig;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeManagement;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.NodeTaint;
import com.google.container.v1.PodAutoscaling;
import com.google.container.v1.RayOperatorConfig;
import com.google.container.v1.ReleaseChannel;
import com.google.container.v1.ResourceLimit;
import com.google.container.v1.SecretManagerConfig;
import com.google.container.v1.SecurityPostureConfig;
import com.google.container.v1.ShieldedInstanceConfig;
import com.google.container.v1.ShieldedNodes;
import com.google.container.v1.WorkloadIdentityConfig;
import java.util.Map;

/** Renders a {@link ClusterSpec} as a GKE {@link Cluster} message. */
final class ClusterRendering {
  /**
   * The system pool's name (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf).
   */
  static final String SYSTEM_POOL = "system";

  /**
   * The system pool's machine type (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf).
   */
  static final String SYSTEM_POOL_MACHINE_TYPE = "n4-standard-4";

  /**
   * The system pool's total node range (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf).
   */
  static final int SYSTEM_POOL_MIN_NODES = 2;

  static final int SYSTEM_POOL_MAX_NODES = 1000;

  /**
   * The NAP default boot disk type (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/container_cluster/container_cluster.tf).
   */
  static final String NAP_DISK_TYPE = "pd-balanced";

  private ClusterRendering() {}

  static Cluster render(ClusterSpec s) {
    Cluster.Builder c = Cluster.newBuilder().setName(s.name()).setLocation(s.location());
    c.addAllLocations(s.nodeLocations());
    s.network().ifPresent(c::setNetwork);
    s.subnetwork().ifPresent(c::setSubnetwork);
    c.putAllResourceLabels(s.resourceLabels());
    if (s.autopilot()) {
      c.setAutopilot(Autopilot.newBuilder().setEnabled(true));
    }
    c.setReleaseChannel(ReleaseChannel.newBuilder().setChannel(s.releaseChannel()));

    NetworkConfig.Builder network = NetworkConfig.newBuilder();
    network.setDefaultEnablePrivateNodes(s.privateNodes());
    if (s.dataplaneV2()) {
      network.setDatapathProvider(DatapathProvider.ADVANCED_DATAPATH);
    }
    if (s.gatewayApi()) {
      network.setGatewayApiConfig(
          GatewayAPIConfig.newBuilder().setChannel(GatewayAPIConfig.Channel.CHANNEL_STANDARD));
    }
    network.setDnsConfig(
        DNSConfig.newBuilder()
            .setClusterDns(DNSConfig.Provider.CLOUD_DNS)
            .setClusterDnsScope(DNSConfig.DNSScope.CLUSTER_SCOPE));
    c.setNetworkConfig(network);

    ControlPlaneEndpointsConfig.Builder endpoints = ControlPlaneEndpointsConfig.newBuilder();
    endpoints.getDnsEndpointConfigBuilder().setAllowExternalTraffic(s.dnsEndpoint());
    endpoints
        .getIpEndpointsConfigBuilder()
        .setEnabled(true)
        .setEnablePublicEndpoint(!s.privateEndpoint())
        .setGlobalAccess(false);
    c.setControlPlaneEndpointsConfig(endpoints);
    s.masterIpv4CidrBlock()
        .ifPresent(cidr -> c.getPrivateClusterConfigBuilder().setMasterIpv4CidrBlock(cidr));

    if (s.workloadIdentity()) {
      c.setWorkloadIdentityConfig(
          WorkloadIdentityConfig.newBuilder().setWorkloadPool(s.project() + ".svc.id.goog"));
    }
    c.setAddonsConfig(addons(s));
    c.setSecretManagerConfig(SecretManagerConfig.newBuilder().setEnabled(s.secretManager()));
    c.setPodAutoscaling(PodAutoscaling.newBuilder().setHpaProfile(s.hpaProfile()));
    c.setAutoscaling(autoscaling(s));
    if (s.imageStreaming() && !s.autopilot()) {
      c.getNodePoolDefaultsBuilder()
          .getNodeConfigDefaultsBuilder()
          .setGcfsConfig(GcfsConfig.newBuilder().setEnabled(true));
    }
    c.setLoggingConfig(
        LoggingConfig.newBuilder()
            .setComponentConfig(
                LoggingComponentConfig.newBuilder().addAllEnableComponents(s.loggingComponents())));
    MonitoringConfig.Builder monitoring =
        MonitoringConfig.newBuilder()
            .setComponentConfig(
                MonitoringComponentConfig.newBuilder()
                    .addAllEnableComponents(s.monitoringComponents()));
    ManagedPrometheusConfig.Builder prometheus =
        ManagedPrometheusConfig.newBuilder().setEnabled(s.managedPrometheus());
    if (s.managedPrometheus()) {
      prometheus.setAutoMonitoringConfig(
          AutoMonitoringConfig.newBuilder()
              .setScope(
                  s.automaticApplicationMonitoring()
                      ? AutoMonitoringConfig.Scope.ALL
                      : AutoMonitoringConfig.Scope.NONE));
    }
    monitoring.setManagedPrometheusConfig(prometheus);
    if (s.dataplaneV2()) {
      monitoring.setAdvancedDatapathObservabilityConfig(
          AdvancedDatapathObservabilityConfig.newBuilder()
              .setEnableMetrics(true)
              .setRelayMode(AdvancedDatapathObservabilityConfig.RelayMode.DISABLED));
    }
    c.setMonitoringConfig(monitoring);
    c.setCostManagementConfig(CostManagementConfig.newBuilder().setEnabled(true));
    c.setShieldedNodes(ShieldedNodes.newBuilder().setEnabled(true));
    c.setSecurityPostureConfig(
        SecurityPostureConfig.newBuilder()
            .setMode(SecurityPostureConfig.Mode.BASIC)
            .setVulnerabilityMode(
                SecurityPostureConfig.VulnerabilityMode.VULNERABILITY_ENTERPRISE));
    if (s.systemNodePool()) {
      c.addNodePools(systemPool(s));
    }
    c.addAllNodePools(s.nodePools());
    return c.build();
  }

  private static AddonsConfig addons(ClusterSpec s) {
    AddonsConfig.Builder a = AddonsConfig.newBuilder();
    a.setGcsFuseCsiDriverConfig(
        GcsFuseCsiDriverConfig.newBuilder().setEnabled(s.gcsFuseCsiDriver()));
    a.setGcpFilestoreCsiDriverConfig(
        GcpFilestoreCsiDriverConfig.newBuilder().setEnabled(s.filestoreCsiDriver()));
    a.setGcePersistentDiskCsiDriverConfig(
        GcePersistentDiskCsiDriverConfig.newBuilder().setEnabled(s.persistentDiskCsiDriver()));
    if (s.lustreCsiDriver()) {
      a.setLustreCsiDriverConfig(LustreCsiDriverConfig.newBuilder().setEnabled(true));
    }
    a.setHttpLoadBalancing(HttpLoadBalancing.newBuilder().setDisabled(!s.httpLoadBalancing()));
    a.setHorizontalPodAutoscaling(HorizontalPodAutoscaling.newBuilder().setDisabled(false));
    if (s.rayOperator()) {
      RayOperatorConfig.Builder ray = RayOperatorConfig.newBuilder().setEnabled(true);
      ray.getRayClusterLoggingConfigBuilder().setEnabled(true);
      ray.getRayClusterMonitoringConfigBuilder().setEnabled(true);
      a.setRayOperatorConfig(ray);
    }
    return a.build();
  }

  private static ClusterAutoscaling autoscaling(ClusterSpec s) {
    ClusterAutoscaling.Builder a =
        ClusterAutoscaling.newBuilder().setAutoscalingProfile(s.autoscalingProfile());
    if (!s.nodeAutoProvisioning()) {
      return a.build();
    }
    a.setEnableNodeAutoprovisioning(true);
    a.addResourceLimits(limit("cpu", s.napCpuLimit().orElse(ClusterSpec.UNLIMITED)));
    a.addResourceLimits(limit("memory", s.napMemoryGbLimit().orElse(ClusterSpec.UNLIMITED)));
    s.acceleratorLimits().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> a.addResourceLimits(limit(e.getKey(), e.getValue())));
    AutoprovisioningNodePoolDefaults.Builder d =
        AutoprovisioningNodePoolDefaults.newBuilder()
            .setDiskType(NAP_DISK_TYPE)
            .addOauthScopes(ClusterSpec.CLOUD_PLATFORM_SCOPE)
            .setManagement(NodeManagement.newBuilder().setAutoRepair(true).setAutoUpgrade(true))
            .setShieldedInstanceConfig(
                ShieldedInstanceConfig.newBuilder()
                    .setEnableSecureBoot(true)
                    .setEnableIntegrityMonitoring(true));
    d.getUpgradeSettingsBuilder().setMaxSurge(0).setMaxUnavailable(1);
    s.nodeServiceAccount().ifPresent(d::setServiceAccount);
    a.setAutoprovisioningNodePoolDefaults(d);
    return a.build();
  }

  private static ResourceLimit limit(String type, long max) {
    return ResourceLimit.newBuilder().setResourceType(type).setMinimum(0).setMaximum(max).build();
  }

  private static NodePool systemPool(ClusterSpec s) {
    NodeConfig.Builder config =
        NodeConfig.newBuilder()
            .setMachineType(SYSTEM_POOL_MACHINE_TYPE)
            .putLabels("resource-type", "system")
            .addTaints(
                NodeTaint.newBuilder()
                    .setKey(ClusterSpec.SYSTEM_POOL_TAINT_KEY)
                    .setValue("true")
                    .setEffect(NodeTaint.Effect.NO_SCHEDULE))
            .setShieldedInstanceConfig(
                ShieldedInstanceConfig.newBuilder()
                    .setEnableSecureBoot(true)
                    .setEnableIntegrityMonitoring(true));
    if (s.imageStreaming()) {
      config.setGcfsConfig(GcfsConfig.newBuilder().setEnabled(true));
    }
    s.nodeServiceAccount().ifPresent(config::setServiceAccount);
    return NodePool.newBuilder()
        .setName(SYSTEM_POOL)
        .setInitialNodeCount(1)
        .setConfig(config)
        .setAutoscaling(
            NodePoolAutoscaling.newBuilder()
                .setEnabled(true)
                .setLocationPolicy(NodePoolAutoscaling.LocationPolicy.BALANCED)
                .setTotalMinNodeCount(SYSTEM_POOL_MIN_NODES)
                .setTotalMaxNodeCount(SYSTEM_POOL_MAX_NODES))
        .setManagement(NodeManagement.newBuilder().setAutoRepair(true).setAutoUpgrade(true))
        .build();
  }
}
