package io.github.gkeinference.accelerators.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import org.junit.jupiter.api.Test;

class AcceleratorPlacementTest {

  @Test
  void schedule_oneL4_selectsLabel_requestsOneGpu_andSizesFromG2Standard4() {
    PodScheduling s = AcceleratorPlacement.builder().accelerator("nvidia-l4").build().schedule();

    assertThat(s.machine().machineType()).isEqualTo("g2-standard-4");
    assertThat(s.nodeSelector())
        .containsExactly(entry("cloud.google.com/gke-accelerator", "nvidia-l4"));
    assertThat(s.tolerations()).isEmpty(); // GKE adds the nvidia.com/gpu toleration itself
    // CPU: 4000m - kube-reserved (6% of 1000 + 1% of 1000 + 0.5% of 2000 = 80m) - system pods
    //      (device plugin 50m + GCS FUSE node 15m + GMP collector 5m + kube-proxy 100m + 500m
    //      margin = 670m) = 3250m, rounded down to 3200m.
    assertThat(s.cpuMillis()).isEqualTo(3200);
    // Memory: 16 GiB - kube-reserved (25% of 4 + 20% of 4 + 10% of 8 = 2.6 GiB = 2662.4 MiB)
    //         - 100 MiB eviction - system pods (20 + 20 + 50 MiB + 36 MB = 34.33 MiB, + 1024 MiB
    //         margin = 1148.33 MiB) = 12473.27 MiB, rounded down to 12473 MiB.
    assertThat(s.memoryBytes()).isEqualTo(12473L << 20);
    ResourceRequirements r = s.resources();
    assertThat(r.getRequests().get("nvidia.com/gpu").toString()).isEqualTo("1");
    assertThat(r.getLimits().get("nvidia.com/gpu").toString()).isEqualTo("1");
    assertThat(r.getRequests().get("cpu").toString()).isEqualTo("3200m");
    assertThat(r.getLimits().get("memory").toString()).isEqualTo("12473Mi");
    assertThat(r.getLimits()).doesNotContainKey("cpu");
  }

  @Test
  void schedule_oneOfTwoL4OnG2Standard24_getsHalfTheNode() {
    PodScheduling s =
        AcceleratorPlacement.builder()
            .accelerator("nvidia-l4")
            .machineType("g2-standard-24")
            .build()
            .schedule();
    // CPU: 24000 - (60 + 10 + 10 + 0.25% of 20000 = 130) - 670 = 23200m; half = 11600m.
    assertThat(s.cpuMillis()).isEqualTo(11600);
    // Memory: 96 GiB - (2.6 GiB + 6% of 80 GiB = 7.4 GiB = 7577.6 MiB) - 100 - 1148.33 MiB
    //         = 89478.07 MiB; half = 44739.03 -> 44739 MiB.
    assertThat(s.memoryBytes()).isEqualTo(44739L << 20);
    assertThat(s.nodeSelector())
        .containsEntry("node.kubernetes.io/instance-type", "g2-standard-24");
  }

  @Test
  void schedule_withSidecar_subtractsItBeforeSharing() {
    PodScheduling plain =
        AcceleratorPlacement.builder().accelerator("nvidia-l4").build().schedule();
    PodScheduling withSidecar =
        AcceleratorPlacement.builder()
            .accelerator("nvidia-l4")
            .sidecarCpuMillis(1000)
            .sidecarMemoryBytes(2L << 30)
            .build()
            .schedule();
    assertThat(withSidecar.cpuMillis()).isEqualTo(plain.cpuMillis() - 1000);
    assertThat(withSidecar.memoryBytes()).isEqualTo(plain.memoryBytes() - (2L << 30));
  }

  @Test
  void schedule_computeClassMode_selectsOnlyTheClass() {
    PodScheduling s =
        AcceleratorPlacement.builder()
            .accelerator("nvidia-h100-80gb")
            .devices(2)
            .computeClass("gpu-h100-80gb-high-x2")
            .build()
            .schedule();
    assertThat(s.nodeSelector())
        .containsExactly(entry("cloud.google.com/compute-class", "gpu-h100-80gb-high-x2"));
    assertThat(s.machine().machineType()).isEqualTo("a3-highgpu-2g");
    assertThat(s.resources().getRequests().get("nvidia.com/gpu").toString()).isEqualTo("2");
    assertThat(s.tolerations()).isEmpty();
  }

  @Test
  void schedule_tpuV5e2x4OnOneVm_requestsEightChips_andTolerates() {
    PodScheduling s =
        AcceleratorPlacement.builder()
            .accelerator("tpu-v5-lite-podslice")
            .devices(8)
            .tpuTopology("2x4")
            .build()
            .schedule();
    assertThat(s.machine().machineType()).isEqualTo("ct5lp-hightpu-8t");
    assertThat(s.nodeSelector())
        .containsEntry("cloud.google.com/gke-tpu-accelerator", "tpu-v5-lite-podslice")
        .containsEntry("cloud.google.com/gke-tpu-topology", "2x4");
    assertThat(s.resources().getRequests().get("google.com/tpu").toString()).isEqualTo("8");
    assertThat(s.tolerations()).hasSize(1);
    assertThat(s.tolerations().get(0).getKey()).isEqualTo("google.com/tpu");
  }

  @Test
  void schedule_tpuMultiHost4x4_requestsTheChipsOfOneVm() {
    PodScheduling s =
        AcceleratorPlacement.builder()
            .accelerator("tpu-v6e-slice")
            .devices(4)
            .tpuTopology("4x4")
            .build()
            .schedule();
    assertThat(s.machine().machineType()).isEqualTo("ct6e-standard-4t");
    assertThat(s.resources().getRequests().get("google.com/tpu").toString()).isEqualTo("4");
  }

  @Test
  void build_withBadInput_listsEveryViolationWithItsPath() {
    assertThatThrownBy(
            () ->
                AcceleratorPlacement.builder()
                    .accelerator("nvidia-l4")
                    .devices(3)
                    .computeClass("Bad_Name")
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(((SdkValidationException) e).violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("devices", "computeClass"));
  }

  @Test
  void build_unknownAccelerator_isAViolationNotAnException() {
    assertThatThrownBy(() -> AcceleratorPlacement.builder().accelerator("nvidia-h300").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("accelerator");
  }

  @Test
  void build_tpuWithoutTopology_orImpossibleTopology_isRejected() {
    assertThatThrownBy(
            () -> AcceleratorPlacement.builder().accelerator("tpu-v6e-slice").devices(4).build())
        .hasMessageContaining("tpuTopology");
    assertThatThrownBy(
            () ->
                AcceleratorPlacement.builder()
                    .accelerator("tpu-v6e-slice")
                    .devices(4)
                    .tpuTopology("3x3")
                    .build())
        .hasMessageContaining("tpuTopology")
        .hasMessageContaining("3x3");
    assertThatThrownBy(
            () ->
                AcceleratorPlacement.builder()
                    .accelerator("tpu-v6e-slice")
                    .devices(8)
                    .machineType("ct6e-standard-4t")
                    .tpuTopology("4x4")
                    .build())
        .hasMessageContaining("devices");
  }

  @Test
  void build_gpuMachineTypeThatCarriesAnotherGpu_isRejected() {
    assertThatThrownBy(
            () ->
                AcceleratorPlacement.builder()
                    .accelerator("nvidia-l4")
                    .machineType("a3-highgpu-8g")
                    .build())
        .hasMessageContaining("machineType");
  }

  private static java.util.Map.Entry<String, String> entry(String k, String v) {
    return java.util.Map.entry(k, v);
  }
}
