package io.github.gkeinference.core.cluster;

import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterUpdate;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Finds the cluster fields that differ between a desired and a live cluster, and turns each into
 * the one-field {@link ClusterUpdate} GKE accepts.
 *
 * <p>A field matches when everything the desired cluster sets is also in the live one: GKE fills in
 * many values the spec leaves unset, and those are not differences. Booleans count even when false,
 * because {@code enabled: false} is a choice.
 */
final class ClusterChanges {

  /** One updatable cluster field and how to ask GKE to change it. */
  record Aspect(
      String field,
      Function<Cluster, Object> get,
      BiConsumer<ClusterUpdate.Builder, Cluster> set) {}

  static final List<Aspect> UPDATABLE =
      List.of(
          new Aspect(
              "releaseChannel",
              Cluster::getReleaseChannel,
              (u, c) -> u.setDesiredReleaseChannel(c.getReleaseChannel())),
          new Aspect(
              "addonsConfig",
              Cluster::getAddonsConfig,
              (u, c) -> u.setDesiredAddonsConfig(c.getAddonsConfig())),
          new Aspect(
              "workloadIdentityConfig",
              Cluster::getWorkloadIdentityConfig,
              (u, c) -> u.setDesiredWorkloadIdentityConfig(c.getWorkloadIdentityConfig())),
          new Aspect(
              "monitoringConfig",
              Cluster::getMonitoringConfig,
              (u, c) -> u.setDesiredMonitoringConfig(c.getMonitoringConfig())),
          new Aspect(
              "loggingConfig",
              Cluster::getLoggingConfig,
              (u, c) -> u.setDesiredLoggingConfig(c.getLoggingConfig())),
          new Aspect(
              "autoscaling",
              Cluster::getAutoscaling,
              (u, c) -> u.setDesiredClusterAutoscaling(c.getAutoscaling())),
          new Aspect(
              "podAutoscaling",
              Cluster::getPodAutoscaling,
              (u, c) -> u.setDesiredPodAutoscaling(c.getPodAutoscaling())),
          new Aspect(
              "secretManagerConfig",
              Cluster::getSecretManagerConfig,
              (u, c) -> u.setDesiredSecretManagerConfig(c.getSecretManagerConfig())),
          new Aspect(
              "networkConfig.gatewayApiConfig",
              c -> c.getNetworkConfig().getGatewayApiConfig(),
              (u, c) -> u.setDesiredGatewayApiConfig(c.getNetworkConfig().getGatewayApiConfig())),
          new Aspect(
              "networkConfig.dnsConfig",
              c -> c.getNetworkConfig().getDnsConfig(),
              (u, c) -> u.setDesiredDnsConfig(c.getNetworkConfig().getDnsConfig())),
          new Aspect(
              "nodePoolDefaults.nodeConfigDefaults.gcfsConfig",
              c -> c.getNodePoolDefaults().getNodeConfigDefaults().getGcfsConfig(),
              (u, c) ->
                  u.setDesiredGcfsConfig(
                      c.getNodePoolDefaults().getNodeConfigDefaults().getGcfsConfig())),
          new Aspect(
              "locations",
              Cluster::getLocationsList,
              (u, c) -> u.addAllDesiredLocations(c.getLocationsList())),
          new Aspect(
              "controlPlaneEndpointsConfig",
              Cluster::getControlPlaneEndpointsConfig,
              (u, c) ->
                  u.setDesiredControlPlaneEndpointsConfig(c.getControlPlaneEndpointsConfig())),
          new Aspect(
              "costManagementConfig",
              Cluster::getCostManagementConfig,
              (u, c) -> u.setDesiredCostManagementConfig(c.getCostManagementConfig())),
          new Aspect(
              "shieldedNodes",
              Cluster::getShieldedNodes,
              (u, c) -> u.setDesiredShieldedNodes(c.getShieldedNodes())),
          new Aspect(
              "securityPostureConfig",
              Cluster::getSecurityPostureConfig,
              (u, c) -> u.setDesiredSecurityPostureConfig(c.getSecurityPostureConfig())));

  /** Fields GKE cannot change on an existing cluster. */
  static final Map<String, Function<Cluster, Object>> FIXED =
      Map.of(
          "autopilot", Cluster::getAutopilot,
          "network", Cluster::getNetwork,
          "subnetwork", Cluster::getSubnetwork,
          "networkConfig.datapathProvider", c -> c.getNetworkConfig().getDatapathProvider());

  private ClusterChanges() {}

  /** Returns the updatable aspects whose desired value the live cluster does not hold. */
  static List<Aspect> updatable(Cluster desired, Cluster live) {
    List<Aspect> changed = new ArrayList<>();
    for (Aspect a : UPDATABLE) {
      if (!contains(a.get().apply(live), a.get().apply(desired))) {
        changed.add(a);
      }
    }
    return changed;
  }

  /** Returns the fixed fields whose desired value the live cluster does not hold, sorted. */
  static List<String> fixed(Cluster desired, Cluster live) {
    List<String> changed = new ArrayList<>();
    FIXED.forEach(
        (field, get) -> {
          if (!contains(get.apply(live), get.apply(desired))) {
            changed.add(field);
          }
        });
    changed.sort(null);
    return changed;
  }

  /** Returns whether {@code live} holds everything {@code desired} sets. */
  static boolean contains(Object live, Object desired) {
    if (desired instanceof Message d && live instanceof Message l) {
      return containsMessage(l, d);
    }
    if (desired instanceof List<?> d && live instanceof List<?> l) {
      return d.isEmpty() || new HashSet<>(l).equals(new HashSet<>(d));
    }
    if (desired instanceof String d) {
      return d.isEmpty() || d.equals(live);
    }
    if (desired instanceof com.google.protobuf.ProtocolMessageEnum d) {
      return d.getNumber() == 0 || desired.equals(live);
    }
    return desired.equals(live);
  }

  private static boolean containsMessage(Message live, Message desired) {
    for (FieldDescriptor f : desired.getDescriptorForType().getFields()) {
      boolean isSet;
      if (f.isRepeated()) {
        isSet = desired.getRepeatedFieldCount(f) > 0;
      } else if (f.getJavaType() == FieldDescriptor.JavaType.BOOLEAN) {
        isSet = true; // false is a choice, not an unset value
      } else if (f.hasPresence()) {
        isSet = desired.hasField(f);
      } else {
        isSet = !desired.getField(f).equals(f.getDefaultValue());
      }
      if (!isSet) {
        continue;
      }
      Object d = desired.getField(f);
      Object l = live.getField(f);
      if (f.isMapField()) {
        if (!mapEntries(l).containsAll(mapEntries(d))) {
          return false;
        }
      } else if (f.isRepeated()) {
        if (!repeatedContains((List<?>) l, (List<?>) d)) {
          return false;
        }
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (!containsMessage((Message) l, (Message) d)) {
          return false;
        }
      } else if (!d.equals(l)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> mapEntries(Object list) {
    List<String> entries = new ArrayList<>();
    for (Object e : (List<?>) list) {
      entries.add(e.toString());
    }
    return entries;
  }

  private static boolean repeatedContains(List<?> live, List<?> desired) {
    if (desired.isEmpty() || !(desired.get(0) instanceof Message)) {
      return new HashSet<>(live).equals(new HashSet<>(desired));
    }
    if (live.size() != desired.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      if (!containsMessage((Message) live.get(i), (Message) desired.get(i))) {
        return false;
      }
    }
    return true;
  }
}
