package io.github.gkeinference.accelerators.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.scheduling.NodeAllocatable.Mode;
import io.github.gkeinference.accelerators.scheduling.NodeAllocatable.NodeKind;
import io.github.gkeinference.accelerators.scheduling.NodeAllocatable.SystemPod;
import org.junit.jupiter.api.Test;

class NodeAllocatableTest {
  private static final long MIB = 1L << 20;

  private static MachineShape shape(String machineType) {
    return AcceleratorCatalog.standard().byMachineType(machineType).orElseThrow();
  }

  @Test
  void systemPods_standardGpuNode_countsDevicePluginFuseCollectorAndKubeProxy() {
    assertThat(NodeAllocatable.systemPods(Mode.STANDARD, NodeKind.GPU))
        .extracting(SystemPod::name)
        .containsExactly(
            "nvidia-gpu-device-plugin", "gcsfusecsi-node", "collector (gmp-system)", "kube-proxy");
    assertThat(NodeAllocatable.systemPods(Mode.STANDARD, NodeKind.GPU))
        .allSatisfy(p -> assertThat(p.source()).isNotBlank());
  }

  @Test
  void headroom_standardGpu_isTheManifestsRequestsPlusTheMargin() {
    // 50m device plugin + 5m/10m FUSE driver/registrar + 4m/1m collector + 100m kube-proxy
    assertThat(NodeAllocatable.headroomCpuMillis(Mode.STANDARD, NodeKind.GPU))
        .isEqualTo(50 + 15 + 5 + 100 + NodeAllocatable.SAFETY_MARGIN_CPU_MILLIS);
    // 20Mi + 10Mi + 10Mi + 32M + 4M + 50Mi
    assertThat(NodeAllocatable.headroomMemory(Mode.STANDARD, NodeKind.GPU))
        .isEqualTo(
            20 * MIB + 20 * MIB + 36_000_000L + 50 * MIB + NodeAllocatable.SAFETY_MARGIN_MEMORY);
  }

  @Test
  void headroom_autopilotRunsNoKubeProxyAndTpuNodesNoGpuPlugin() {
    long standardGpu = NodeAllocatable.headroomCpuMillis(Mode.STANDARD, NodeKind.GPU);
    assertThat(NodeAllocatable.headroomCpuMillis(Mode.AUTOPILOT, NodeKind.GPU))
        .isEqualTo(standardGpu - 100);
    assertThat(NodeAllocatable.headroomCpuMillis(Mode.STANDARD, NodeKind.TPU))
        .isEqualTo(standardGpu - 50);
    assertThat(NodeAllocatable.systemPods(Mode.AUTOPILOT, NodeKind.TPU))
        .extracting(SystemPod::name)
        .containsExactly("gcsfusecsi-node", "collector (gmp-system)");
  }

  @Test
  void cpuMillis_g2Standard16_leavesCapacityMinusReserveMinusHeadroom() {
    // 16 vCPUs: reserve 6% of 1000 + 1% of 1000 + 0.5% of 2000 + 0.25% of 12000 = 110m
    long expected = 16_000 - 110 - NodeAllocatable.headroomCpuMillis(Mode.STANDARD, NodeKind.GPU);
    assertThat(NodeAllocatable.cpuMillis(shape("g2-standard-16"))).isEqualTo(expected);
    assertThat(NodeAllocatable.cpuMillis(shape("g2-standard-16"), Mode.AUTOPILOT))
        .isEqualTo(expected + 100);
  }

  @Test
  void memoryBytes_g2Standard16_leavesRoomForTheSystemPods() {
    MachineShape g2 = shape("g2-standard-16");
    long capacity = g2.memoryBytes();
    long left = NodeAllocatable.memoryBytes(g2);
    assertThat(capacity - left)
        .isEqualTo(
            NodeAllocatable.reservedMemory(capacity)
                + NodeAllocatable.EVICTION_HARD_MEMORY
                + NodeAllocatable.headroomMemory(Mode.STANDARD, NodeKind.GPU));
  }

  @Test
  void kind_tpuShape_isTpu() {
    MachineShape tpu =
        AcceleratorCatalog.standard().tpus().stream()
            .flatMap(t -> t.machineShapes().stream())
            .findFirst()
            .orElseThrow();
    assertThat(NodeAllocatable.kind(tpu)).isEqualTo(NodeKind.TPU);
    assertThat(NodeAllocatable.kind(shape("g2-standard-16"))).isEqualTo(NodeKind.GPU);
  }
}
