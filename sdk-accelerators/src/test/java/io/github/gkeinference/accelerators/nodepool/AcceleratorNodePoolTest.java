package io.github.gkeinference.accelerators.nodepool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.container.v1.NodePool;
import com.google.protobuf.util.JsonFormat;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.GpuSharing;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.accelerators.computeclass.ComputeClassPreset;
import io.github.gkeinference.accelerators.computeclass.PriorityRule;
import io.github.gkeinference.accelerators.computeclass.ReservationAffinity;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.GoldenFiles;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AcceleratorNodePoolTest {

  static Stream<AcceleratorType> accelerators() {
    return AcceleratorCatalog.standard().all().stream();
  }

  /** The JSON of a pool, parsed back strictly: proves it is valid in the API's JSON mapping. */
  private static String json(AcceleratorNodePool spec) throws Exception {
    CloudResource resource = spec.render().cloudResources().get(0);
    String json = ManifestYaml.toJson(resource);
    NodePool.Builder parsed = NodePool.newBuilder();
    JsonFormat.parser().merge(json, parsed); // rejects unknown fields
    assertThat(parsed.build()).isEqualTo(resource.message());
    return json;
  }

  @ParameterizedTest
  @MethodSource("accelerators")
  void nodePool_forEveryGpuAndTpu_isValidAndMatchesGolden(AcceleratorType type) throws Exception {
    AcceleratorNodePool.Builder b =
        AcceleratorNodePool.builder().name("np-" + type.label()).accelerator(type.label());
    if (type.isTpu()) {
      TpuTopology single =
          type.topologies().stream().filter(t -> !t.multiHost()).findFirst().orElseThrow();
      b.tpuTopology(single.topology()).devices(single.chipsPerVm());
    } else {
      b.devices(
          type.machineShapes().stream()
              .filter(s -> !s.fractional())
              .mapToInt(s -> s.devices())
              .min()
              .orElseThrow());
    }
    GoldenFiles.assertMatches("nodepool/accelerator-" + type.label() + ".json", json(b.build()));
  }

  @Test
  void nodePool_spotL4x2_withEverything_matchesGolden() throws Exception {
    AcceleratorNodePool spec =
        AcceleratorNodePool.builder()
            .name("l4-x2-spot")
            .accelerator("nvidia-l4")
            .devices(2)
            .spot(true)
            .autoscaling(a -> a.maxNodes(4).locationPolicy(LocationPolicy.ANY))
            .putNodeLabel("team", "inference")
            .addTaint(NodeTaintSpec.noSchedule("dedicated", "inference"))
            .localSsdCount(1)
            .addImageCacheDisk("projects/p/global/images/vllm-cache")
            .addZone("us-central1-a")
            .build();
    NodePool pool = spec.nodePool();
    assertThat(pool.getConfig().getMachineType()).isEqualTo("g2-standard-24");
    assertThat(pool.getConfig().getAccelerators(0).getAcceleratorCount()).isEqualTo(2);
    assertThat(pool.getAutoscaling().getTotalMaxNodeCount()).isEqualTo(4);
    GoldenFiles.assertMatches("nodepool/l4-x2-spot.json", json(spec));
  }

  @Test
  void nodePool_specificReservationFlexStartAndMig_render() throws Exception {
    NodePool reserved =
        AcceleratorNodePool.builder()
            .name("h100-reserved")
            .accelerator("nvidia-h100-80gb")
            .devices(8)
            .reservation(ReservationAffinity.SPECIFIC)
            .reservationName("h100-res")
            .build()
            .nodePool();
    assertThat(reserved.getConfig().getReservationAffinity().getKey())
        .isEqualTo("compute.googleapis.com/reservation-name");
    assertThat(reserved.getConfig().getReservationAffinity().getValuesList())
        .containsExactly("h100-res");

    NodePool flex =
        AcceleratorNodePool.builder()
            .name("h100-flex")
            .accelerator("nvidia-h100-80gb")
            .devices(8)
            .flexStart(true)
            .maxRunDurationSeconds(86400L)
            .build()
            .nodePool();
    assertThat(flex.getConfig().getFlexStart()).isTrue();
    assertThat(flex.getConfig().getMaxRunDuration().getSeconds()).isEqualTo(86400);

    NodePool mig =
        AcceleratorNodePool.builder()
            .name("a100-mig")
            .accelerator("nvidia-a100-80gb")
            .gpuSharing(
                s ->
                    s.partitionSize("1g.10gb")
                        .strategy(GpuSharing.Strategy.MPS)
                        .maxSharedClients(4))
            .build()
            .nodePool();
    assertThat(mig.getConfig().getAccelerators(0).getGpuPartitionSize()).isEqualTo("1g.10gb");
    assertThat(mig.getConfig().getAccelerators(0).getGpuSharingConfig().getMaxSharedClientsPerGpu())
        .isEqualTo(4);
    GoldenFiles.assertMatches(
        "nodepool/h100-flex.json",
        json(
            AcceleratorNodePool.builder()
                .name("h100-flex")
                .accelerator("nvidia-h100-80gb")
                .devices(8)
                .flexStart(true)
                .maxRunDurationSeconds(86400L)
                .build()));
  }

  @Test
  void nodePool_multiHostTpu_isAtomicAndCompact() {
    NodePool pool =
        AcceleratorNodePool.builder()
            .name("v6e-4x4")
            .accelerator("tpu-v6e-slice")
            .devices(4)
            .tpuTopology("4x4")
            .build()
            .nodePool();
    // 4x4 = 16 chips on ct6e-standard-4t (4 chips per VM) = 4 VMs
    assertThat(pool.getConfig().getMachineType()).isEqualTo("ct6e-standard-4t");
    assertThat(pool.getAutoscaling().getTotalMaxNodeCount()).isEqualTo(4);
    assertThat(pool.getPlacementPolicy().getTpuTopology()).isEqualTo("4x4");
    assertThat(pool.getPlacementPolicy().getType())
        .isEqualTo(NodePool.PlacementPolicy.Type.COMPACT);
    assertThat(pool.getConfig().getAcceleratorsList()).isEmpty();
  }

  @Test
  void build_multiHostTpuWithWrongNodeCount_isRejected() {
    assertThatThrownBy(
            () ->
                AcceleratorNodePool.builder()
                    .name("v6e-4x4")
                    .accelerator("tpu-v6e-slice")
                    .devices(4)
                    .tpuTopology("4x4")
                    .autoscaling(a -> a.maxNodes(3))
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("autoscaling.maxNodes");
  }

  @Test
  void build_multiHostTpu7x_needsAWorkloadPolicy_andThenUsesIt() {
    assertThatThrownBy(
            () ->
                AcceleratorNodePool.builder()
                    .name("tpu7x-2x2x2")
                    .accelerator("tpu7x")
                    .devices(4)
                    .tpuTopology("2x2x2")
                    .build())
        .hasMessageContaining("tpuWorkloadPolicy");
    NodePool pool =
        AcceleratorNodePool.builder()
            .name("tpu7x-2x2x2")
            .accelerator("tpu7x")
            .devices(4)
            .tpuTopology("2x2x2")
            .tpuWorkloadPolicy("ht-2x2x2")
            .build()
            .nodePool();
    assertThat(pool.getPlacementPolicy().getPolicyName()).isEqualTo("ht-2x2x2");
    assertThat(pool.getPlacementPolicy().getTpuTopology()).isEmpty();
  }

  @Test
  void build_sameRulesAsComputeClass_andProvisioningConflicts_listEveryViolation() {
    assertThatThrownBy(
            () ->
                AcceleratorNodePool.builder()
                    .name("bad")
                    .accelerator("nvidia-h100-80gb")
                    .devices(2)
                    .machineType("a3-highgpu-1g")
                    .spot(true)
                    .flexStart(true)
                    .maxRunDurationSeconds(700_000L)
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(((SdkValidationException) e).violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("devices", "spot", "maxRunDurationSeconds"));
  }

  @Test
  void build_gpuOnAMachineOfAnotherGpu_isRejected() {
    assertThatThrownBy(
            () ->
                AcceleratorNodePool.builder()
                    .name("bad")
                    .accelerator("nvidia-l4")
                    .machineType("a2-highgpu-1g")
                    .build())
        .hasMessageContaining("machineType")
        .hasMessageContaining("nvidia-tesla-a100");
  }

  @ParameterizedTest
  @EnumSource(ComputeClassPreset.class)
  void forPriorities_everyPreset_givesOnePoolPerRule_matchingGolden(ComputeClassPreset preset)
      throws Exception {
    List<AcceleratorNodePool> pools =
        AcceleratorNodePool.builder()
            .name("h100-x2")
            .accelerator("nvidia-h100-80gb")
            .devices(2)
            .build()
            .forPriorities(preset.rules());
    assertThat(pools).hasSize(preset.rules().size());
    StringBuilder all = new StringBuilder();
    for (AcceleratorNodePool p : pools) {
      assertThat(p.nodePool().getConfig().getMachineType()).isEqualTo("a3-highgpu-2g");
      all.append(json(p));
    }
    GoldenFiles.assertMatches(
        "nodepool/preset-" + preset.name().toLowerCase(java.util.Locale.ROOT) + ".json",
        all.toString());
  }

  @Test
  void forPriorities_seedOneGpuFallback_reportsThatPriority() {
    AcceleratorNodePool base =
        AcceleratorNodePool.builder()
            .name("h100-x2")
            .accelerator("nvidia-h100-80gb")
            .devices(2)
            .build();
    List<PriorityRule> seed =
        List.of(
            PriorityRule.anyReservation(),
            PriorityRule.onDemand(),
            PriorityRule.flexStartFor(java.time.Duration.ofDays(7)),
            PriorityRule.flexStartFor(java.time.Duration.ofDays(1)).toBuilder()
                .machineType("a3-highgpu-1g")
                .build(),
            PriorityRule.spotVms());
    assertThatThrownBy(() -> base.forPriorities(seed))
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(((SdkValidationException) e).violations())
                    .extracting(Violation::path)
                    .containsExactly("priorities[3].devices"));
  }

  @Test
  void validate_flexStartOnA4x_isAWarning() {
    AcceleratorNodePool a4x =
        AcceleratorNodePool.builder()
            .name("gb200")
            .accelerator("nvidia-gb200")
            .devices(4)
            .flexStart(true)
            .build();
    assertThat(a4x.warnings()).extracting(Violation::path).containsExactly("flexStart");
    assertThat(a4x.toBuilder().flexStart(false).build().warnings()).isEmpty();
  }
}
