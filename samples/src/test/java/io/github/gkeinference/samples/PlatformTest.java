package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import com.google.container.v1.ResourceLimit;
import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The platform cluster's secure and bounded defaults. */
class PlatformTest {
  private static Cluster cluster() {
    return Platform.render(SampleOptions.defaults()).cloudResources().get(0).message(Cluster.class);
  }

  private static Map<String, Long> limits(Cluster c) {
    return c.getAutoscaling().getResourceLimitsList().stream()
        .collect(Collectors.toMap(ResourceLimit::getResourceType, ResourceLimit::getMaximum));
  }

  @Test
  void dnsEndpoint_admitsNoTrafficFromOutsideTheVpc() {
    Cluster c = cluster();

    assertThat(c.getControlPlaneEndpointsConfig().getDnsEndpointConfig().getAllowExternalTraffic())
        .isFalse();
    // the control plane stays reachable from the VPC through its private endpoint
    assertThat(c.getPrivateClusterConfig().getMasterIpv4CidrBlock()).isNotEmpty();
  }

  @Test
  void napCpuAndMemoryLimits_areFinite() {
    Map<String, Long> limits = limits(cluster());

    // a cluster of 10,000 of the largest machines (a few hundred vCPUs and TB each) stays below
    assertThat(limits.get("cpu")).isPositive().isLessThan(10_000_000L);
    assertThat(limits.get("memory")).isPositive().isLessThan(100_000_000L);
  }

  /**
   * Every accelerator node pool at its largest (its max nodes of its machine type) fits in the CPU
   * and memory limits, and so does every accelerator's limit worth of that machine: the limits
   * bound NAP without blocking what the accelerator limits allow.
   */
  @Test
  void napCpuAndMemoryLimits_holdEveryAcceleratorAtItsLimit() {
    Cluster c = cluster();
    Map<String, Long> limits = limits(c);
    long vcpus = 0;
    long memoryGb = 0;
    Map<String, Long> perAcceleratorVcpus = new java.util.TreeMap<>();
    Map<String, Long> perAcceleratorMemory = new java.util.TreeMap<>();
    for (NodePool pool : c.getNodePoolsList()) {
      String machineType = pool.getConfig().getMachineType();
      java.util.Optional<MachineShape> found =
          Accelerators.catalog().all().stream()
              .flatMap(t -> t.shape(machineType).stream())
              .findFirst();
      if (found.isEmpty()) {
        continue; // the system pool: no accelerator
      }
      MachineShape shape = found.get();
      long nodes = Platform.ACCELERATOR_LIMIT / shape.devices();
      perAcceleratorVcpus.merge(shape.acceleratorLabel(), nodes * shape.vcpus(), Math::max);
      perAcceleratorMemory.merge(
          shape.acceleratorLabel(), (long) Math.ceil(nodes * shape.memoryGb()), Math::max);
    }
    for (long v : perAcceleratorVcpus.values()) {
      vcpus += v;
    }
    for (long m : perAcceleratorMemory.values()) {
      memoryGb += m;
    }

    assertThat(perAcceleratorVcpus)
        .containsOnlyKeys(
            limits.keySet().stream().filter(k -> !k.equals("cpu") && !k.equals("memory")).toList());
    assertThat(limits.get("cpu")).isGreaterThanOrEqualTo(vcpus);
    assertThat(limits.get("memory")).isGreaterThanOrEqualTo(memoryGb);
  }
}
