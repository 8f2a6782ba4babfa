package io.github.gkeinference.core.render;

import java.util.Map;

/**
 * The dependency order in which Kubernetes kinds are applied: namespaces and definitions, identity,
 * configuration, workloads, services, routes, autoscalers, monitoring.
 */
final class ApplyOrder {
  static final int NAMESPACES = 0;
  static final int IDENTITY = 10;
  static final int BINDINGS = 20;
  static final int CONFIG = 30;
  static final int WORKLOADS = 40;
  static final int SERVICES = 50;
  static final int DISRUPTION = 60;
  static final int ROUTING = 70;
  static final int AUTOSCALING = 80;
  static final int MONITORING = 90;

  /** Kinds not listed here go after everything the SDK knows about. */
  static final int OTHER = 100;

  /** Google Cloud API resources come before every Kubernetes object: the cluster must exist. */
  static final int CLOUD = -10;

  private static final Map<String, Integer> RANKS =
      Map.ofEntries(
          Map.entry("Namespace", NAMESPACES),
          Map.entry("CustomResourceDefinition", NAMESPACES),
          Map.entry("ServiceAccount", IDENTITY),
          Map.entry("ClusterRole", IDENTITY),
          Map.entry("Role", IDENTITY),
          Map.entry("ClusterRoleBinding", BINDINGS),
          Map.entry("RoleBinding", BINDINGS),
          // Config Connector grants: the pods' identity must be able to read before they start
          Map.entry("IAMPolicyMember", BINDINGS),
          Map.entry("Secret", CONFIG),
          Map.entry("ConfigMap", CONFIG),
          Map.entry("PersistentVolumeClaim", CONFIG),
          Map.entry("StorageClass", CONFIG),
          Map.entry("PriorityClass", CONFIG),
          Map.entry("ComputeClass", CONFIG),
          Map.entry("NetworkPolicy", CONFIG),
          Map.entry("Deployment", WORKLOADS),
          Map.entry("StatefulSet", WORKLOADS),
          Map.entry("DaemonSet", WORKLOADS),
          Map.entry("LeaderWorkerSet", WORKLOADS),
          Map.entry("Job", WORKLOADS),
          Map.entry("JobSet", WORKLOADS),
          Map.entry("CronJob", WORKLOADS),
          Map.entry("Service", SERVICES),
          Map.entry("PodDisruptionBudget", DISRUPTION),
          Map.entry("Gateway", ROUTING),
          Map.entry("HTTPRoute", ROUTING),
          Map.entry("GRPCRoute", ROUTING),
          Map.entry("ReferenceGrant", ROUTING),
          Map.entry("InferencePool", ROUTING),
          Map.entry("InferenceObjective", ROUTING),
          Map.entry("InferenceModel", ROUTING),
          Map.entry("HealthCheckPolicy", ROUTING),
          Map.entry("GCPBackendPolicy", ROUTING),
          Map.entry("GCPGatewayPolicy", ROUTING),
          Map.entry("GCPRoutingExtension", ROUTING),
          Map.entry("APIService", AUTOSCALING),
          Map.entry("HorizontalPodAutoscaler", AUTOSCALING),
          Map.entry("ScaledObject", AUTOSCALING),
          Map.entry("PodMonitoring", MONITORING),
          Map.entry("ClusterPodMonitoring", MONITORING));

  private ApplyOrder() {}

  static int rank(String kind) {
    return RANKS.getOrDefault(kind, OTHER);
  }
}
