package io.github.gkeinference.accelerators;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorShape;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.nodepool.AcceleratorNodePool;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Placement, ComputeClass and node pool resolve a shape with the one resolver of the catalog. */
class ShapeResolutionTest {

  @Test
  void everySingleHostCatalogShape_resolvesToTheSameMachineInEverySpec() {
    int checked = 0;
    for (AcceleratorType type : AcceleratorCatalog.standard().all()) {
      for (MachineShape m : type.machineShapes()) {
        Optional<String> topology =
            type.topologies().stream()
                .filter(t -> t.machineType().equals(m.machineType()) && !t.multiHost())
                .map(TpuTopology::topology)
                .findFirst();
        if (type.isTpu() && topology.isEmpty()) {
          continue;
        }
        AcceleratorShape shape =
            AcceleratorShape.of(type.label(), m.devices(), Optional.of(m.machineType()), topology);
        AcceleratorComputeClass cc = AcceleratorComputeClass.builder().from(shape).build();
        AcceleratorNodePool pool = AcceleratorNodePool.builder().from(cc).name("pool").build();
        AcceleratorPlacement placement = cc.placement();

        assertThat(cc.resolved()).as(m.machineType()).isEqualTo(shape.resolved());
        assertThat(pool.resolved()).as(m.machineType()).isEqualTo(shape.resolved());
        assertThat(placement.resolved()).as(m.machineType()).isEqualTo(shape.resolved());
        assertThat(pool.nodePool().getConfig().getMachineType()).isEqualTo(m.machineType());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(40);
  }

  @Test
  void computeClassPlacement_selectsTheClassByItsNameWithItsShape() {
    AcceleratorComputeClass cc =
        AcceleratorComputeClass.builder()
            .accelerator("nvidia-l4")
            .devices(1)
            .machineType("g2-standard-16")
            .build();

    PodScheduling pod = cc.placement().schedule();

    assertThat(cc.name()).isEqualTo("gpu-l4-x1");
    assertThat(cc.computeClass().getMetadata().getName()).isEqualTo("gpu-l4-x1");
    assertThat(pod.nodeSelector())
        .containsExactly(
            java.util.Map.entry(AcceleratorPlacement.COMPUTE_CLASS_LABEL, "gpu-l4-x1"));
    // sized from the class's machine type, not the smallest one with one L4
    assertThat(pod.machine().machineType()).isEqualTo("g2-standard-16");
  }

  @Test
  void computeClassName_anExplicitNameWins() {
    AcceleratorComputeClass cc =
        Accelerators.computeClass("gpu-h100-80gb-high-x4", "nvidia-h100-80gb").devices(4).build();

    assertThat(cc.name()).isEqualTo("gpu-h100-80gb-high-x4");
    assertThat(cc.placement().computeClass()).contains("gpu-h100-80gb-high-x4");
  }
}
