package io.github.gkeinference.accelerators.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.validate.SdkValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceleratorCatalogTest {
  private final AcceleratorCatalog catalog = AcceleratorCatalog.standard();

  @Test
  void catalog_listsEveryGpuAndTpuOfTheIssue() {
    assertThat(catalog.gpus())
        .extracting(AcceleratorType::label)
        .containsExactly(
            "nvidia-tesla-t4",
            "nvidia-l4",
            "nvidia-tesla-a100",
            "nvidia-a100-80gb",
            "nvidia-h100-80gb",
            "nvidia-h100-mega-80gb",
            "nvidia-h200-141gb",
            "nvidia-b200",
            "nvidia-gb200",
            "nvidia-rtx-pro-6000");
    assertThat(catalog.tpus())
        .extracting(AcceleratorType::label)
        .containsExactly(
            "tpu-v5-lite-podslice", "tpu-v5p-slice", "tpu-v6e-slice", "tpu7x", "tpu-v4-podslice");
  }

  @Test
  void performanceFacts_fp4Peak_onlyWhereTheSourceStatesAnFp4Figure() {
    for (AcceleratorType t : catalog.all()) {
      if (t.performanceFacts().isEmpty()) {
        continue;
      }
      DevicePerformance d = t.performanceFacts().orElseThrow();
      boolean cited = d.source().citation().toLowerCase(java.util.Locale.ROOT).contains("fp4");
      assertThat(d.hasFp4TensorCores())
          .as(t.label() + ": an FP4 peak needs a cited FP4 figure")
          .isEqualTo(cited);
      if (d.hasFp4TensorCores()) {
        // Blackwell's dense FP4 rate is twice its FP8 rate (the citations' own figures)
        assertThat(d.peakFp4Flops()).as(t.label()).isEqualTo(2 * d.peak8BitFlops());
      }
    }
    assertThat(
            catalog
                .require("nvidia-h200-141gb")
                .performanceFacts()
                .orElseThrow()
                .hasFp4TensorCores())
        .isFalse();
    assertThat(catalog.require("nvidia-b200").performanceFacts().orElseThrow().hasFp4TensorCores())
        .isTrue();
  }

  @Test
  void byLabel_l4_has24GbAndItsSource() {
    AcceleratorType l4 = catalog.byLabel("nvidia-l4").orElseThrow();
    assertThat(l4.memoryBytes()).isEqualTo(24_000_000_000L);
    assertThat(l4.kind()).isEqualTo(DeviceKind.GPU);
    assertThat(l4.memorySource().confirmed()).isTrue();
    assertThat(l4.kind().resourceName()).isEqualTo("nvidia.com/gpu");
  }

  @Test
  void byLabel_unknown_isEmpty_andRequireNamesTheLabel() {
    assertThat(catalog.byLabel("nvidia-h300")).isEmpty();
    assertThatThrownBy(() -> catalog.require("nvidia-h300"))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("accelerator")
        .hasMessageContaining("nvidia-h300")
        .hasMessageContaining("nvidia-l4");
  }

  @Test
  void byMachineType_a3highgpu2g_carriesTwoH100() {
    MachineShape shape = catalog.byMachineType("a3-highgpu-2g").orElseThrow();
    assertThat(shape.acceleratorLabel()).isEqualTo("nvidia-h100-80gb");
    assertThat(shape.devices()).isEqualTo(2);
    assertThat(shape.restrictionText()).isPresent();
    assertThat(catalog.byMachineType("n2-standard-8")).isEmpty();
  }

  @Test
  void machineTypesWith_twoL4_isOnlyG2Standard24() {
    assertThat(catalog.machineTypesWith("nvidia-l4", 2))
        .extracting(MachineShape::machineType)
        .containsExactly("g2-standard-24");
    assertThat(catalog.machineTypesWith("nvidia-l4", 1))
        .extracting(MachineShape::machineType)
        .containsExactly(
            "g2-standard-4", "g2-standard-8", "g2-standard-12", "g2-standard-16", "g2-standard-32");
    assertThat(catalog.machineTypesWith("nvidia-l4", 3)).isEmpty();
    assertThat(catalog.machineTypesWith("nope", 1)).isEmpty();
  }

  @Test
  void fractionalG4_isOneDeviceWithAFractionAndAMinimumVersion() {
    MachineShape eighth = catalog.byMachineType("g4-standard-6").orElseThrow();
    assertThat(eighth.fractional()).isTrue();
    assertThat(eighth.deviceFraction()).isEqualTo(0.125);
    assertThat(eighth.minGkeVersion()).isEqualTo("1.34.5-gke.1153000");
    // fractional shapes never answer "which machine types give me 1 whole GPU"
    assertThat(catalog.machineTypesWith("nvidia-rtx-pro-6000", 1))
        .extracting(MachineShape::machineType)
        .containsExactly("g4-standard-48");
  }

  @Test
  void tpuTopology_v5e2x4_isSingleHostOn8tAndTwoVmsOn4t() {
    AcceleratorType v5e = catalog.require("tpu-v5-lite-podslice");
    TpuTopology single = v5e.topology("2x4", "ct5lp-hightpu-8t").orElseThrow();
    TpuTopology multi = v5e.topology("2x4", "ct5lp-hightpu-4t").orElseThrow();
    assertThat(single.chips()).isEqualTo(8);
    assertThat(single.multiHost()).isFalse();
    assertThat(multi.vms()).isEqualTo(2);
    assertThat(multi.multiHost()).isTrue();
  }

  @Test
  void chipsOf_multipliesDimensions_andRejectsGarbage() {
    assertThat(TpuTopology.chipsOf("2x2x4")).isEqualTo(16);
    assertThat(TpuTopology.chipsOf("16x16")).isEqualTo(256);
    assertThat(TpuTopology.chipsOf("2x")).isZero();
    assertThat(TpuTopology.chipsOf("0x4")).isZero();
    assertThat(TpuTopology.chipsOf("")).isZero();
  }

  @Test
  void tpu7x_hasMinimumGkeVersion_andGiBMemory() {
    AcceleratorType tpu7x = catalog.require("tpu7x");
    assertThat(tpu7x.minimumGkeVersion()).contains("1.34.0-gke.2201000");
    assertThat(tpu7x.memoryBytes()).isEqualTo(192L << 30);
  }

  @Test
  void everyShape_belongsToItsAccelerator_andEveryTopologyToAKnownMachineType() {
    for (AcceleratorType t : catalog.all()) {
      for (MachineShape s : t.machineShapes()) {
        assertThat(s.acceleratorLabel()).as(s.machineType()).isEqualTo(t.label());
      }
      for (TpuTopology topo : t.topologies()) {
        MachineShape vm = t.shape(topo.machineType()).orElseThrow();
        assertThat(vm.devices()).as(topo.toString()).isEqualTo(topo.chipsPerVm());
      }
    }
  }

  @Test
  void unconfirmedFacts_areListed_soTheyCanBeChecked() {
    List<String> unconfirmed = catalog.unconfirmedFacts();
    assertThat(unconfirmed).contains("nvidia-tesla-t4: memory 16 GB GDDR6");
    assertThat(unconfirmed).contains("nvidia-tesla-a100 a2-megagpu-16g: device count");
    assertThat(unconfirmed).doesNotContain("nvidia-l4 g2-standard-24: device count");
  }
}
