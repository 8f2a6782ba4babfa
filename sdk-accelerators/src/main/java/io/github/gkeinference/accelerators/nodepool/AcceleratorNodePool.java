package io.github.gkeinference.accelerators.nodepool;

import com.google.container.v1.AcceleratorConfig;
import com.google.container.v1.EphemeralStorageLocalSsdConfig;
import com.google.container.v1.GPUDriverInstallationConfig;
import com.google.container.v1.GPUSharingConfig;
import com.google.container.v1.GcfsConfig;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.NodeTaint;
import com.google.container.v1.SecondaryBootDisk;
import com.google.container.v1.VirtualNIC;
import com.google.protobuf.Duration;
import io.github.gkeinference.accelerators.catalog.AcceleratorShape;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.GpuDriverVersion;
import io.github.gkeinference.accelerators.catalog.GpuSharing;
import io.github.gkeinference.accelerators.catalog.ResolvedShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.accelerators.computeclass.PriorityRule;
import io.github.gkeinference.accelerators.computeclass.ReservationAffinity;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A GKE node pool for one {@link AcceleratorShape}, rendered as a {@code
 * com.google.container.v1.NodePool} message for {@code
 * projects.locations.clusters.nodePools.create}.
 *
 * <pre>{@code
 * NodePool pool = AcceleratorNodePool.builder()
 *     .name("l4-x2")
 *     .accelerator("nvidia-l4")
 *     .devices(2)                          // g2-standard-24
 *     .spot(true)
 *     .autoscaling(a -> a.maxNodes(4).locationPolicy(LocationPolicy.ANY))
 *     .build()
 *     .nodePool();
 * }</pre>
 *
 * <p>The shape is resolved once ({@link #resolved()}) for the checks and every render; copy a
 * ComputeClass's shape with {@code builder().from(computeClass)}. The consistency rules are the
 * ComputeClass's: the machine type carries exactly {@link #devices()} of the accelerator; a TPU
 * topology exists on its machine type and {@code devices} is the chip count of one VM; {@code
 * maxRunDurationSeconds} is positive and at most 7 days for flex-start. Besides: Spot, flex-start
 * and queued provisioning exclude each other; a multi-host TPU slice is atomic, so its pool scales
 * between 0 and exactly its VM count; multi-host TPU7x uses a workload policy instead of a topology
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/tpus; AI-Hypercomputer/xpk
 * src/xpk/core/system_characteristics.py).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableAcceleratorNodePool.class)
public interface AcceleratorNodePool extends AcceleratorShape, RenderableSpec {
  /** The reservation label key for a specific reservation (Compute Engine API reference). */
  String RESERVATION_NAME_KEY = "compute.googleapis.com/reservation-name";

  /** The API version of rendered node pools. */
  String API_VERSION = "container.googleapis.com/v1";

  /** The longest flex-start run: 7 days, as for ComputeClasses. */
  long MAX_FLEX_START_RUN_SECONDS = 604_800;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this pool. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The node pool name. */
  String name();

  /** The workload policy (resource policy) name for multi-host TPU7x slices. */
  Optional<String> tpuWorkloadPolicy();

  /**
   * The GPU driver GKE installs; default {@link GpuDriverVersion#LATEST}, like the ComputeClasses
   * (needs Container-Optimized OS, the GKE default image).
   */
  @Value.Default
  default GpuDriverVersion driverVersion() {
    return GpuDriverVersion.LATEST;
  }

  /** GPU sharing (MIG partition size, time-sharing or MPS). */
  Optional<GpuSharing> gpuSharing();

  /** Whether nodes are Spot VMs; default false. */
  @Value.Default
  default boolean spot() {
    return false;
  }

  /** How nodes use reservations; empty leaves GKE's default. */
  Optional<ReservationAffinity> reservation();

  /** The reservation name, for {@link ReservationAffinity#SPECIFIC}. */
  Optional<String> reservationName();

  /** Whether nodes are flex-start VMs; default false. */
  @Value.Default
  default boolean flexStart() {
    return false;
  }

  /** Whether nodes come only through ProvisioningRequests (queued provisioning); default false. */
  @Value.Default
  default boolean queuedProvisioning() {
    return false;
  }

  /** How long a node may run, in seconds. */
  OptionalLong maxRunDurationSeconds();

  /** The autoscaling; default 0 to 1 node (for multi-host TPU: 0 to the slice's VMs). */
  Optional<Autoscaling> autoscaling();

  /** Node labels. */
  Map<String, String> nodeLabels();

  /** Node taints beyond those GKE adds (GKE taints GPU and TPU nodes itself). */
  List<NodeTaintSpec> taints();

  /** Local SSDs for ephemeral storage (model and compile caches). */
  OptionalInt localSsdCount();

  /** Whether to use gVNIC; default true (needed for the network bandwidth of A3 and G2). */
  @Value.Default
  default boolean gvnic() {
    return true;
  }

  /** Whether to use image streaming; default true. */
  @Value.Default
  default boolean imageStreaming() {
    return true;
  }

  /** Disk images used as secondary boot disks in {@code CONTAINER_IMAGE_CACHE} mode. */
  List<String> imageCacheDisks();

  /** Zones of the node pool; empty uses the cluster's. */
  List<String> zones();

  /**
   * Checks every consistency rule.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        KubernetesNames.isDns1035Label(name(), 40),
        "name",
        name(),
        "must be lower-case letters, digits and '-', starting with a letter, at most 40 characters");
    resolved(v)
        .ifPresent(
            r -> {
              AcceleratorType type = r.accelerator();
              r.checkWholeMachine(v);
              if (type.isGpu()) {
                v.require(
                    tpuWorkloadPolicy().isEmpty(), "tpuWorkloadPolicy", "set", "is for TPUs only");
                gpuSharing().ifPresent(s -> s.check(v.at("gpuSharing"), type));
              } else {
                v.require(gpuSharing().isEmpty(), "gpuSharing", "set", "is for GPUs only");
                r.tpuSlice().ifPresent(s -> checkTpuSlice(v, type, s));
              }
            });
    int provisioning = (spot() ? 1 : 0) + (flexStart() ? 1 : 0) + (queuedProvisioning() ? 1 : 0);
    v.require(
        provisioning <= 1,
        "spot",
        spot(),
        "Spot, flex-start and queued provisioning exclude each other; choose one");
    v.require(
        reservation().orElse(null) != ReservationAffinity.SPECIFIC || reservationName().isPresent(),
        "reservationName",
        null,
        "is required for a Specific reservation");
    v.require(
        reservationName().isEmpty() || reservation().orElse(null) == ReservationAffinity.SPECIFIC,
        "reservation",
        reservation().orElse(null),
        "must be SPECIFIC when a reservation name is given");
    maxRunDurationSeconds()
        .ifPresent(
            s -> {
              v.require(s >= 1, "maxRunDurationSeconds", s, "must be positive");
              v.require(
                  !flexStart() || s <= MAX_FLEX_START_RUN_SECONDS,
                  "maxRunDurationSeconds",
                  s,
                  "must be at most 604800 (7 days) for flex-start");
            });
    autoscaling().ifPresent(a -> a.check(v.at("autoscaling")));
    localSsdCount().ifPresent(n -> v.require(n >= 1, "localSsdCount", n, "must be at least 1"));
    v.throwIfErrors();
  }

  private void checkTpuSlice(Violations v, AcceleratorType type, TpuTopology slice) {
    if (slice.multiHost()) {
      autoscaling()
          .ifPresent(
              a -> {
                v.require(
                    a.maxNodes() == slice.vms(),
                    "autoscaling.maxNodes",
                    a.maxNodes(),
                    "must be "
                        + slice.vms()
                        + ": a multi-host TPU slice is atomic, its pool has exactly its VMs");
                v.require(
                    a.minNodes() == 0 || a.minNodes() == slice.vms(),
                    "autoscaling.minNodes",
                    a.minNodes(),
                    "must be 0 or " + slice.vms() + " for an atomic multi-host slice");
              });
      boolean tpu7x = type.label().equals("tpu7x");
      v.require(
          !tpu7x || tpuWorkloadPolicy().isPresent(),
          "tpuWorkloadPolicy",
          null,
          "is required for multi-host TPU7x: GKE takes a workload policy instead of a topology");
    }
    v.require(
        tpuWorkloadPolicy().isEmpty() || (slice.multiHost() && type.label().equals("tpu7x")),
        "tpuWorkloadPolicy",
        tpuWorkloadPolicy().orElse(null),
        "is only for multi-host TPU7x slices");
  }

  /**
   * Returns the warnings about this pool: findings that do not stop rendering. Today: flex-start on
   * A4X or G4, which Compute Engine does not document for flex-start VMs ("About Flex-start VMs").
   *
   * @return the warnings, each with its field path
   */
  default List<Violation> warnings() {
    Violations v = Violations.root();
    String machine = resolved().machineType();
    if (flexStart() && (machine.startsWith("a4x-") || machine.startsWith("g4-"))) {
      v.warning(
          "flexStart",
          machine,
          "Compute Engine documents flex-start VMs for every accelerator-optimized machine type"
              + " except A4X and G4; this pool may never get capacity");
    }
    return v.all();
  }

  /** Returns the node pool message. */
  default NodePool nodePool() {
    ResolvedShape r = resolved();
    AcceleratorType type = r.accelerator();
    NodeConfig.Builder config =
        NodeConfig.newBuilder()
            .setMachineType(r.machineType())
            .setSpot(spot())
            .putAllLabels(nodeLabels())
            .putLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    if (flexStart()) {
      config.setFlexStart(true); // optional field: only written when on
    }
    if (type.isGpu()) {
      AcceleratorConfig.Builder acc =
          AcceleratorConfig.newBuilder()
              .setAcceleratorType(type.label())
              .setAcceleratorCount(devices())
              .setGpuDriverInstallationConfig(
                  GPUDriverInstallationConfig.newBuilder()
                      .setGpuDriverVersion(
                          switch (driverVersion()) {
                            case DEFAULT -> GPUDriverInstallationConfig.GPUDriverVersion.DEFAULT;
                            case LATEST -> GPUDriverInstallationConfig.GPUDriverVersion.LATEST;
                            case DISABLED ->
                                GPUDriverInstallationConfig.GPUDriverVersion.INSTALLATION_DISABLED;
                          }));
      gpuSharing()
          .ifPresent(
              s -> {
                s.partitionSize().ifPresent(acc::setGpuPartitionSize);
                s.strategy()
                    .ifPresent(
                        st ->
                            acc.setGpuSharingConfig(
                                GPUSharingConfig.newBuilder()
                                    .setGpuSharingStrategy(
                                        GPUSharingConfig.GPUSharingStrategy.valueOf(st.name()))
                                    .setMaxSharedClientsPerGpu(s.maxSharedClients().orElse(2))));
              });
      config.addAccelerators(acc);
    }
    reservation()
        .ifPresent(
            a -> {
              com.google.container.v1.ReservationAffinity.Builder ra =
                  com.google.container.v1.ReservationAffinity.newBuilder()
                      .setConsumeReservationType(
                          switch (a) {
                            case ANY_BEST_EFFORT ->
                                com.google.container.v1.ReservationAffinity.Type.ANY_RESERVATION;
                            case SPECIFIC ->
                                com.google.container.v1.ReservationAffinity.Type
                                    .SPECIFIC_RESERVATION;
                            case NONE ->
                                com.google.container.v1.ReservationAffinity.Type.NO_RESERVATION;
                          });
              reservationName().ifPresent(n -> ra.setKey(RESERVATION_NAME_KEY).addValues(n));
              config.setReservationAffinity(ra);
            });
    maxRunDurationSeconds()
        .ifPresent(s -> config.setMaxRunDuration(Duration.newBuilder().setSeconds(s)));
    for (NodeTaintSpec t : taints()) {
      config.addTaints(
          NodeTaint.newBuilder().setKey(t.key()).setValue(t.value()).setEffect(t.effect()));
    }
    localSsdCount()
        .ifPresent(
            n ->
                config.setEphemeralStorageLocalSsdConfig(
                    EphemeralStorageLocalSsdConfig.newBuilder().setLocalSsdCount(n)));
    if (gvnic()) {
      config.setGvnic(VirtualNIC.newBuilder().setEnabled(true));
    }
    if (imageStreaming()) {
      config.setGcfsConfig(GcfsConfig.newBuilder().setEnabled(true));
    }
    for (String disk : imageCacheDisks()) {
      config.addSecondaryBootDisks(
          SecondaryBootDisk.newBuilder()
              .setDiskImage(disk)
              .setMode(SecondaryBootDisk.Mode.CONTAINER_IMAGE_CACHE));
    }
    NodePool.Builder pool =
        NodePool.newBuilder().setName(name()).setConfig(config).addAllLocations(zones());
    int defaultMax = r.tpuSlice().filter(TpuTopology::multiHost).map(TpuTopology::vms).orElse(1);
    Autoscaling a = autoscaling().orElse(Autoscaling.builder().maxNodes(defaultMax).build());
    NodePoolAutoscaling.Builder as =
        NodePoolAutoscaling.newBuilder()
            .setEnabled(true)
            .setTotalMinNodeCount(a.minNodes())
            .setTotalMaxNodeCount(a.maxNodes());
    a.locationPolicy()
        .ifPresent(p -> as.setLocationPolicy(NodePoolAutoscaling.LocationPolicy.valueOf(p.name())));
    pool.setAutoscaling(as).setInitialNodeCount(a.minNodes());
    r.tpuSlice()
        .ifPresent(
            s -> {
              NodePool.PlacementPolicy.Builder placement = NodePool.PlacementPolicy.newBuilder();
              if (tpuWorkloadPolicy().isPresent()) {
                placement.setPolicyName(tpuWorkloadPolicy().get());
              } else {
                placement.setTpuTopology(s.topology());
                if (s.multiHost()) {
                  placement.setType(NodePool.PlacementPolicy.Type.COMPACT);
                }
              }
              pool.setPlacementPolicy(placement);
            });
    if (queuedProvisioning()) {
      pool.setQueuedProvisioning(NodePool.QueuedProvisioning.newBuilder().setEnabled(true));
    }
    return pool.build();
  }

  /**
   * Returns one node pool per priority rule, named {@code <name>-1}, {@code <name>-2} and so on:
   * the node-pool equivalent of a ComputeClass with these rules (for clusters that do not use
   * ComputeClasses). Each pool keeps this pool's accelerator, device count and settings and takes
   * the rule's Spot, reservation, flex-start, max run duration, machine type and zones; flex-start
   * node recycling has no node-pool equivalent and is left out.
   *
   * @param rules the rules, for example {@code ComputeClassPreset.STANDARD.rules()}
   * @return the pools, in rule order
   * @throws SdkValidationException listing every violation, with paths {@code priorities[i]...}
   */
  default List<AcceleratorNodePool> forPriorities(List<PriorityRule> rules) {
    Violations v = Violations.root();
    List<AcceleratorNodePool> pools = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      PriorityRule rule = rules.get(i);
      Builder b =
          builder()
              .from(this)
              .name(name() + "-" + (i + 1))
              .spot(rule.spot().orElse(false))
              .flexStart(rule.flexStart())
              .reservation(rule.reservation())
              .reservationName(rule.reservationName())
              .maxRunDurationSeconds(rule.maxRunDurationSeconds())
              .devices(rule.devices().orElse(devices()));
      rule.machineType().ifPresent(b::machineType);
      if (!rule.zones().isEmpty()) {
        b.zones(rule.zones());
      }
      try {
        pools.add(b.build());
      } catch (SdkValidationException e) {
        v.at("priorities", i).addAll(e.violations());
      }
    }
    v.throwIfErrors();
    return pools;
  }

  /** Returns the node pool as a rendered set with one cloud resource. */
  @Override
  default String kind() {
    return "AcceleratorNodePool";
  }

  /** Adds the warnings of {@link #warnings()}. */
  @Override
  default void validate(Violations violations) {
    violations.addAll(warnings());
  }

  @Override
  default RenderedSet render() {
    return RenderedSet.builder()
        .add(CloudResource.of(API_VERSION, "NodePool", name(), nodePool()))
        .build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAcceleratorNodePool.Builder {
    /**
     * Sets the autoscaling from a builder function.
     *
     * @param autoscaling fills in the autoscaling
     * @return this builder
     */
    public Builder autoscaling(Consumer<Autoscaling.Builder> autoscaling) {
      Autoscaling.Builder b = Autoscaling.builder();
      autoscaling.accept(b);
      return autoscaling(b.build());
    }

    /**
     * Sets GPU sharing from a builder function.
     *
     * @param sharing fills in the sharing
     * @return this builder
     */
    public Builder gpuSharing(Consumer<GpuSharing.Builder> sharing) {
      GpuSharing.Builder b = GpuSharing.builder();
      sharing.accept(b);
      return gpuSharing(b.build());
    }
  }
}
