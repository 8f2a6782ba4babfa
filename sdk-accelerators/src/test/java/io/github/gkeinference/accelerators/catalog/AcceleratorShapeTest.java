package io.github.gkeinference.accelerators.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcceleratorShapeTest {
  private final AcceleratorCatalog catalog = AcceleratorCatalog.standard();

  private static AcceleratorShape shape(
      String accelerator, int devices, String machineType, String topology) {
    return new Shape.Unresolved(
        accelerator, devices, Optional.ofNullable(machineType), Optional.ofNullable(topology));
  }

  private List<String> paths(AcceleratorShape shape) {
    Violations v = Violations.root();
    Optional<ResolvedShape> resolved = catalog.resolve(shape, v);
    assertThat(resolved).as("an invalid shape resolves to nothing").isEmpty();
    return v.all().stream().map(Violation::path).toList();
  }

  @Test
  void resolve_twoL4_picksTheOnlyMachineTypeWithTwo() {
    ResolvedShape r = AcceleratorShape.of("nvidia-l4", 2).resolved();

    // the catalog lists g2-standard-24 as the only G2 machine type with 2 L4
    assertThat(r.machineType()).isEqualTo("g2-standard-24");
    assertThat(r.devices()).isEqualTo(2);
    assertThat(r.tpuSlice()).isEmpty();
    assertThat(r.checkWholeMachine(Violations.root())).isTrue();
  }

  @Test
  void resolve_oneL4OnATwoGpuMachine_isAPodShapeButNoNodeShape() {
    ResolvedShape r = catalog.resolve(shape("nvidia-l4", 1, "g2-standard-24", null));
    Violations v = Violations.root();

    assertThat(r.machine().devices()).isEqualTo(2);
    assertThat(r.checkWholeMachine(v)).isFalse();
    assertThat(v.all()).extracting(Violation::path).containsExactly("devices");
  }

  @Test
  void resolve_invalidGpuShapes_nameTheField() {
    assertThat(paths(shape("nvidia-l4", 3, null, null))).containsExactly("devices");
    assertThat(paths(shape("nvidia-l4", 1, "a3-highgpu-1g", null))).containsExactly("machineType");
    assertThat(paths(shape("nvidia-l4", 4, "g2-standard-24", null))).containsExactly("devices");
    assertThat(paths(shape("nvidia-l4", 1, null, "2x4"))).containsExactly("tpuTopology");
    assertThat(paths(shape("nvidia-l4", 0, null, null))).containsExactly("devices");
    assertThat(paths(shape("nvidia-h300", 1, null, null))).containsExactly("accelerator");
  }

  @Test
  void resolve_tpuV6e2x4WithEightChips_isTheSingleHostSlice() {
    ResolvedShape r =
        AcceleratorShape.of("tpu-v6e-slice", 8, Optional.empty(), Optional.of("2x4")).resolved();

    // 2x4 exists on ct6e-standard-4t (two VMs) and ct6e-standard-8t (one VM of 8 chips)
    assertThat(r.machineType()).isEqualTo("ct6e-standard-8t");
    assertThat(r.tpuSlice()).get().extracting(TpuTopology::multiHost).isEqualTo(false);
  }

  @Test
  void resolve_invalidTpuShapes_nameTheField() {
    assertThat(paths(shape("tpu-v6e-slice", 4, null, null))).containsExactly("tpuTopology");
    assertThat(paths(shape("tpu-v6e-slice", 4, null, "3x3"))).containsExactly("tpuTopology");
    // 2x4 on ct6e-standard-4t is two VMs of 4 chips: a Pod requests the 4 chips of its VM
    assertThat(paths(shape("tpu-v6e-slice", 8, "ct6e-standard-4t", "2x4")))
        .containsExactly("devices");
  }

  @Test
  void of_invalidShape_throwsWithEveryViolation() {
    assertThatThrownBy(() -> AcceleratorShape.of("nvidia-l4", 3))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("devices")
        .hasMessageContaining("g2-standard-24 (2)");
  }

  @Test
  void computeClassName_followsTheSamplesNaming() {
    assertThat(AcceleratorShape.of("nvidia-l4", 1).computeClassName()).isEqualTo("gpu-l4-x1");
    assertThat(AcceleratorShape.of("nvidia-h100-80gb", 8).computeClassName())
        .isEqualTo("gpu-h100-80gb-x8");
    assertThat(shape("tpu-v6e-slice", 8, null, "2x4").computeClassName()).isEqualTo("tpu-v6e-2x4");
    assertThat(shape("tpu-v5-lite-podslice", 8, null, "2x4").computeClassName())
        .isEqualTo("tpu-v5e-2x4");
    assertThat(shape("tpu7x", 4, null, "2x2x1").computeClassName()).isEqualTo("tpu7x-2x2x1");
  }

  @Test
  void computeClassName_isAComputeClassNameForEveryCatalogShape() {
    for (AcceleratorType type : catalog.all()) {
      for (MachineShape m : type.machineShapes()) {
        String topology =
            type.topologies().stream()
                .filter(t -> t.machineType().equals(m.machineType()))
                .map(TpuTopology::topology)
                .findFirst()
                .orElse(null);
        String name = shape(type.label(), m.devices(), null, topology).computeClassName();
        assertThat(io.github.gkeinference.core.validate.KubernetesNames.isDns1123Label(name))
            .as(name)
            .isTrue();
      }
    }
  }
}
