package io.github.gkeinference.accelerators.computeclass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.GpuSharing;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AcceleratorComputeClassTest {
  private static final SchemaValidator SCHEMAS = SchemaValidator.forTests();

  static Stream<AcceleratorType> accelerators() {
    return AcceleratorCatalog.standard().all().stream();
  }

  /** The smallest class of each accelerator: one GPU (or its smallest count) or one TPU VM. */
  static AcceleratorComputeClass smallest(AcceleratorType type) {
    AcceleratorComputeClass.Builder b =
        AcceleratorComputeClass.builder().name("cc-" + type.label()).accelerator(type.label());
    if (type.isTpu()) {
      TpuTopology single =
          type.topologies().stream().filter(t -> !t.multiHost()).findFirst().orElseThrow();
      return b.tpuTopology(single.topology()).devices(single.chipsPerVm()).build();
    }
    int devices =
        type.machineShapes().stream()
            .filter(s -> !s.fractional())
            .mapToInt(s -> s.devices())
            .min()
            .orElseThrow();
    return b.devices(devices).build();
  }

  @ParameterizedTest
  @MethodSource("accelerators")
  void computeClass_forEveryGpuAndTpu_isSchemaValidAndMatchesGolden(AcceleratorType type) {
    ComputeClass cc = smallest(type).computeClass();
    SCHEMAS.assertValid(cc);
    GoldenFiles.assertMatches(
        "computeclass/accelerator-" + type.label() + ".yaml", ManifestYaml.toYaml(cc));
  }

  @ParameterizedTest
  @EnumSource(ComputeClassPreset.class)
  void computeClass_forEveryPreset_isSchemaValidAndMatchesGolden(ComputeClassPreset preset) {
    ComputeClass cc =
        AcceleratorComputeClass.builder()
            .name("gpu-h100-80gb-high-x2")
            .accelerator("nvidia-h100-80gb")
            .devices(2)
            .preset(preset)
            .maxPodsPerNode(32)
            .build()
            .computeClass();
    SCHEMAS.assertValid(cc);
    GoldenFiles.assertMatches(
        "computeclass/preset-" + preset.name().toLowerCase(java.util.Locale.ROOT) + ".yaml",
        ManifestYaml.toYaml(cc));
  }

  @Test
  void computeClass_standardPreset_hasTheSeedsOrder() {
    List<ComputeClass.Priority> p =
        AcceleratorComputeClass.builder()
            .name("gpu-l4-24gb-x2")
            .accelerator("nvidia-l4")
            .devices(2)
            .build()
            .computeClass()
            .getSpec()
            .priorities();
    assertThat(p).hasSize(5);
    assertThat(p.get(0).reservations().affinity()).isEqualTo("AnyBestEffort");
    assertThat(p.get(1).spot()).isFalse();
    assertThat(p.get(2).maxRunDurationSeconds()).isEqualTo(604800L);
    assertThat(p.get(3).maxRunDurationSeconds()).isEqualTo(86400L);
    assertThat(p.get(4).spot()).isTrue();
    assertThat(p).allSatisfy(r -> assertThat(r.machineType()).isEqualTo("g2-standard-24"));
    assertThat(p).allSatisfy(r -> assertThat(r.gpu().count()).isEqualTo(2));
  }

  /**
   * The seed's gpu-h100-80gb-high-x2 class (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/custom_compute_class/templates/manifests;
   * GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/offline-batch-inference-gpu):
   * its 1-day flex-start rule, the fourth priority, uses a3-highgpu-1g with one GPU.
   */
  @Test
  void build_seedH100x2WithOneGpuFallbackRule_reportsThatPriority() {
    AcceleratorComputeClass.Builder seed =
        AcceleratorComputeClass.builder()
            .name("gpu-h100-80gb-high-x2")
            .accelerator("nvidia-h100-80gb")
            .devices(2)
            .machineType("a3-highgpu-2g")
            .addPriority(PriorityRule.anyReservation())
            .addPriority(PriorityRule.onDemand())
            .addPriority(PriorityRule.flexStartFor(Duration.ofDays(7)))
            .addPriority(
                PriorityRule.flexStartFor(Duration.ofDays(1)).toBuilder()
                    .machineType("a3-highgpu-1g")
                    .devices(1)
                    .build())
            .addPriority(PriorityRule.spotVms());

    assertThatThrownBy(seed::build)
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(((SdkValidationException) e).violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "priorities[3].gpu.count", "priorities[3].machineType"))
        .hasMessageContaining("a3-highgpu-1g")
        .hasMessageContaining("carries 1 nvidia-h100-80gb but the class needs 2");
  }

  @Test
  void build_duplicateRules_reportsTheSecond() {
    assertThatThrownBy(
            () ->
                AcceleratorComputeClass.builder()
                    .name("dup")
                    .accelerator("nvidia-l4")
                    .addPriority(PriorityRule.onDemand())
                    .addPriority(PriorityRule.spotVms())
                    .addPriority(PriorityRule.onDemand())
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("priorities[2]")
        .hasMessageContaining("duplicates priorities[0]");
  }

  private static ComputeClass.Priority onlyPriority(PriorityRule rule) {
    return AcceleratorComputeClass.builder()
        .accelerator("nvidia-l4")
        .zones(List.of("us-central1-a"))
        .addPriority(rule)
        .build()
        .computeClass()
        .getSpec()
        .priorities()
        .get(0);
  }

  @Test
  void build_rulesThatRenderTheSamePriority_areDuplicatesWithoutBeingRendered() {
    // each pair differs only in what the class fills in or what rendering leaves out
    PriorityRule onDemand = PriorityRule.onDemand();
    List<PriorityRule> sameAsOnDemand =
        List.of(
            onDemand.toBuilder().machineType("g2-standard-4").build(), // the class's machine
            onDemand.toBuilder().devices(1).build(), // the class's count
            onDemand.toBuilder().addZone("us-central1-a").build(), // the class's zones
            onDemand.toBuilder().reservationProject("p").build()); // no reservation: not rendered
    for (PriorityRule twin : sameAsOnDemand) {
      assertThat(onlyPriority(twin)).as(twin.toString()).isEqualTo(onlyPriority(onDemand));
      assertThatThrownBy(
              () ->
                  AcceleratorComputeClass.builder()
                      .accelerator("nvidia-l4")
                      .zones(List.of("us-central1-a"))
                      .addPriority(onDemand)
                      .addPriority(twin)
                      .build())
          .as(twin.toString())
          .isInstanceOf(SdkValidationException.class)
          .hasMessageContaining("duplicates priorities[0]");
    }
    // a rule that renders differently is no duplicate
    PriorityRule otherZone = onDemand.toBuilder().addZone("us-central1-b").build();
    assertThat(onlyPriority(otherZone)).isNotEqualTo(onlyPriority(onDemand));
    assertThat(
            AcceleratorComputeClass.builder()
                .accelerator("nvidia-l4")
                .addPriority(onDemand)
                .addPriority(otherZone)
                .build()
                .effectivePriorities())
        .hasSize(2);
  }

  @Test
  void build_flexStartLongerThanSevenDays_orWithSpot_isRejected() {
    assertThatThrownBy(
            () ->
                AcceleratorComputeClass.builder()
                    .name("flex")
                    .accelerator("nvidia-l4")
                    .addPriority(
                        PriorityRule.flexStartFor(Duration.ofDays(8)).toBuilder()
                            .spot(true)
                            .build())
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(((SdkValidationException) e).violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "priorities[0].maxRunDurationSeconds", "priorities[0].spot"));
  }

  @Test
  void build_specificReservationWithoutName_andNameWithoutSpecific_areRejected() {
    assertThatThrownBy(
            () ->
                AcceleratorComputeClass.builder()
                    .name("res")
                    .accelerator("nvidia-l4")
                    .addPriority(p -> p.reservation(ReservationAffinity.SPECIFIC))
                    .addPriority(p -> p.reservationName("my-res"))
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("priorities[0].reservations.specific")
        .hasMessageContaining("priorities[1].reservations.affinity");
  }

  @Test
  void computeClass_specificReservationWithBlock_isSchemaValid() {
    ComputeClass cc =
        AcceleratorComputeClass.builder()
            .name("h200-reserved")
            .accelerator("nvidia-h200-141gb")
            .devices(8)
            .addPriority(
                PriorityRule.specificReservation("h200-res").toBuilder()
                    .reservationBlock("block-1")
                    .build())
            .addPriority(PriorityRule.onDemand())
            .addZone("us-central1-b")
            .whenUnsatisfiable(WhenUnsatisfiable.DO_NOT_SCALE_UP)
            .build()
            .computeClass();
    SCHEMAS.assertValid(cc);
    assertThat(cc.getSpec().priorities().get(0).reservations().specific().get(0).name())
        .isEqualTo("h200-res");
    assertThat(cc.getSpec().priorities().get(1).location().zones())
        .containsExactly("us-central1-b");
  }

  @Test
  void computeClass_migTimeSharing_isSchemaValid_andUnknownProfileIsRejected() {
    ComputeClass cc =
        AcceleratorComputeClass.builder()
            .name("a100-mig")
            .accelerator("nvidia-tesla-a100")
            .gpuSharing(
                s ->
                    s.partitionSize("1g.5gb")
                        .strategy(GpuSharing.Strategy.TIME_SHARING)
                        .maxSharedClients(2))
            .build()
            .computeClass();
    SCHEMAS.assertValid(cc);
    assertThatThrownBy(
            () ->
                AcceleratorComputeClass.builder()
                    .name("a100-mig")
                    .accelerator("nvidia-tesla-a100")
                    .gpuSharing(s -> s.partitionSize("1g.10gb"))
                    .build())
        .hasMessageContaining("gpuSharing.partitionSize");
  }

  @Test
  void build_tpuTopologyThatDoesNotMatchTheChipCount_isRejected() {
    assertThatThrownBy(
            () ->
                AcceleratorComputeClass.builder()
                    .name("tpu")
                    .accelerator("tpu-v6e-slice")
                    .tpuTopology("2x4")
                    .machineType("ct6e-standard-4t")
                    .devices(8)
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("devices");
    assertThatThrownBy(
            () ->
                AcceleratorComputeClass.builder()
                    .name("tpu")
                    .accelerator("tpu-v6e-slice")
                    .tpuTopology("3x5")
                    .devices(4)
                    .build())
        .hasMessageContaining("tpuTopology");
  }

  @Test
  void computeClass_multiHostTpu_requestsChipsPerVm() {
    ComputeClass cc =
        AcceleratorComputeClass.builder()
            .name("tpu-v5e-4x4")
            .accelerator("tpu-v5-lite-podslice")
            .tpuTopology("4x4")
            .devices(4)
            .preset(ComputeClassPreset.NO_SPOT)
            .build()
            .computeClass();
    SCHEMAS.assertValid(cc);
    assertThat(cc.getSpec().priorities())
        .allSatisfy(
            p ->
                assertThat(p.tpu())
                    .isEqualTo(new ComputeClass.Tpu("tpu-v5-lite-podslice", 4, "4x4")));
  }

  @Test
  void build_unknownAccelerator_isAViolation() {
    assertThatThrownBy(
            () -> AcceleratorComputeClass.builder().name("x").accelerator("nvidia-h300").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("accelerator");
  }

  @Test
  void render_putsACopyInARenderedSet_thatWritesTheSameYaml() {
    AcceleratorComputeClass spec =
        AcceleratorComputeClass.builder().name("gpu-l4-24gb-x1").accelerator("nvidia-l4").build();
    io.github.gkeinference.core.render.RenderedSet set = spec.render();
    ComputeClass copy = set.kubernetesObjects(ComputeClass.class).get(0);
    assertThat(copy).isEqualTo(spec.computeClass());
    assertThat(ManifestYaml.toYaml(set)).isEqualTo(ManifestYaml.toYaml(spec.computeClass()));
  }

  @Test
  void validate_flexStartOnG4_isAWarningNamingTheRule() {
    AcceleratorComputeClass g4 =
        AcceleratorComputeClass.builder()
            .name("gpu-rtx-pro-6000-96gb-x1")
            .accelerator("nvidia-rtx-pro-6000")
            .build();
    assertThat(g4.warnings())
        .extracting(Violation::path)
        .containsExactly("priorities[2].flexStart", "priorities[3].flexStart");
    assertThat(g4.warnings()).noneMatch(Violation::isError);
    assertThat(
            AcceleratorComputeClass.builder()
                .name("gpu-l4")
                .accelerator("nvidia-l4")
                .build()
                .warnings())
        .isEmpty();
  }
}
