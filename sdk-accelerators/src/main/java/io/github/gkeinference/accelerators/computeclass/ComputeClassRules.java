package io.github.gkeinference.accelerators.computeclass;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.GpuDriverVersion;
import io.github.gkeinference.accelerators.catalog.GpuSharing;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.ResolvedShape;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** Consistency rules and rendering of priorities; package-private helpers. */
final class ComputeClassRules {
  private ComputeClassRules() {}

  /**
   * Checks the class against its resolved shape: the shape takes whole machines, the GPU settings,
   * and every priority rule; two rules that would render the same priority are duplicates. Renders
   * nothing.
   */
  static void check(AcceleratorComputeClass cc, ResolvedShape shape, Violations v) {
    AcceleratorType type = shape.accelerator();
    shape.checkWholeMachine(v);
    if (type.isGpu()) {
      v.require(
          cc.driverVersion() != GpuDriverVersion.DISABLED,
          "driverVersion",
          cc.driverVersion(),
          "must be DEFAULT or LATEST: a ComputeClass cannot turn driver installation off");
      cc.gpuSharing().ifPresent(s -> s.check(v.at("gpuSharing"), type));
    } else {
      v.require(cc.gpuSharing().isEmpty(), "gpuSharing", "set", "is for GPUs only");
    }
    cc.zones().forEach(z -> v.require(!z.isBlank(), "zones", z, "must not be blank"));
    List<PriorityRule> rules = cc.effectivePriorities();
    List<PriorityRule> effective = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      PriorityRule rule = rules.get(i);
      Violations at = v.at("priorities", i);
      checkRule(cc, type, shape.machineType(), rule, at);
      PriorityRule e = effective(cc, shape, rule);
      int first = effective.indexOf(e);
      at.require(
          first < 0,
          "",
          describe(rule),
          "duplicates priorities[" + first + "]; every rule must differ");
      effective.add(e);
    }
  }

  /**
   * Returns a rule with everything it takes from the class filled in (machine type for GPUs, device
   * count, zones) and what rendering leaves out left out, so that two rules are equal exactly when
   * they render the same priority: the class-wide settings (driver, sharing, max Pods per node) are
   * the same in every priority, and TPU priorities carry no machine type.
   */
  private static PriorityRule effective(
      AcceleratorComputeClass cc, ResolvedShape shape, PriorityRule rule) {
    PriorityRule.Builder b =
        PriorityRule.builder().from(rule).devices(rule.devices().orElse(cc.devices()));
    if (shape.accelerator().isGpu()) {
      b.machineType(rule.machineType().orElse(shape.machineType()));
    } else {
      b.machineType(Optional.empty());
    }
    if (rule.zones().isEmpty()) {
      b.zones(cc.zones());
    }
    // what render() leaves out
    if (rule.reservation().isEmpty()) {
      b.reservationName(Optional.empty());
    }
    if (rule.reservation().isEmpty() || rule.reservationName().isEmpty()) {
      b.reservationProject(Optional.empty()).reservationBlock(Optional.empty());
    }
    if (!rule.flexStart()) {
      b.nodeRecyclingLeadTimeSeconds(OptionalLong.empty());
    }
    return b.build();
  }

  /**
   * Adds the findings that do not stop rendering: a flex-start rule on A4X or G4, which Compute
   * Engine does not document for flex-start VMs ("About Flex-start VMs",
   * https://cloud.google.com/compute/docs/instances/flex-start-vms).
   */
  static void warnings(AcceleratorComputeClass cc, ResolvedShape shape, Violations v) {
    List<PriorityRule> rules = cc.effectivePriorities();
    for (int i = 0; i < rules.size(); i++) {
      PriorityRule rule = rules.get(i);
      String ruleMachine = rule.machineType().orElse(shape.machineType());
      if (rule.flexStart() && (ruleMachine.startsWith("a4x-") || ruleMachine.startsWith("g4-"))) {
        v.at("priorities", i)
            .warning(
                "flexStart",
                ruleMachine,
                "Compute Engine documents flex-start VMs for every accelerator-optimized machine"
                    + " type except A4X and G4 (\"About Flex-start VMs\"); this rule may never get"
                    + " capacity");
      }
    }
  }

  private static void checkRule(
      AcceleratorComputeClass cc,
      AcceleratorType type,
      String machine,
      PriorityRule rule,
      Violations at) {
    String countField = type.isGpu() ? "gpu.count" : "tpu.count";
    rule.devices()
        .ifPresent(
            d ->
                at.require(
                    d == cc.devices(),
                    countField,
                    d,
                    "must be "
                        + cc.devices()
                        + ", the class's "
                        + type.label()
                        + " count: every priority must give Pods the same devices"));
    String ruleMachine = rule.machineType().orElse(machine);
    if (rule.machineType().isPresent()) {
      Optional<MachineShape> shape = AcceleratorCatalog.standard().byMachineType(ruleMachine);
      if (shape.isEmpty() || !shape.get().acceleratorLabel().equals(type.label())) {
        at.error("machineType", ruleMachine, "must carry " + type.label());
      } else if (type.isGpu() && shape.get().devices() != cc.devices()) {
        at.error(
            "machineType",
            ruleMachine,
            "carries "
                + shape.get().devices()
                + " "
                + type.label()
                + " but the class needs "
                + cc.devices()
                + " per node; use "
                + machine);
      } else if (type.isTpu()) {
        AcceleratorCatalog.standard()
            .checkTopology(
                at,
                "machineType",
                countField,
                type,
                ruleMachine,
                cc.tpuTopology().orElse(""),
                cc.devices());
      }
    }
    rule.machineFamily()
        .ifPresent(
            f ->
                at.require(
                    ruleMachine.startsWith(f + "-"),
                    "machineFamily",
                    f,
                    "must be the family of " + ruleMachine));
    at.require(
        !(rule.flexStart() && rule.spot().orElse(false)),
        "spot",
        true,
        "must not be true with flex-start: a node is either Spot or flex-start");
    Optional<ReservationAffinity> affinity = rule.reservation();
    at.require(
        affinity.orElse(null) != ReservationAffinity.SPECIFIC || rule.reservationName().isPresent(),
        "reservations.specific",
        null,
        "must name a reservation when the affinity is Specific");
    at.require(
        rule.reservationName().isEmpty() || affinity.orElse(null) == ReservationAffinity.SPECIFIC,
        "reservations.affinity",
        affinity.map(ReservationAffinity::value).orElse(null),
        "must be Specific when a reservation name is given");
    rule.maxRunDurationSeconds()
        .ifPresent(
            s -> {
              at.require(s >= 1, "maxRunDurationSeconds", s, "must be positive");
              at.require(
                  !rule.flexStart() || s <= PriorityRule.MAX_FLEX_START_RUN_SECONDS,
                  "maxRunDurationSeconds",
                  s,
                  "must be at most 604800 (7 days) for flex-start");
            });
    rule.nodeRecyclingLeadTimeSeconds()
        .ifPresent(
            s -> {
              at.require(
                  rule.flexStart(),
                  "flexStart.nodeRecycling",
                  s,
                  "needs flexStart: node recycling is a flex-start setting");
              at.require(
                  s >= 1 && s <= PriorityRule.MAX_FLEX_START_RUN_SECONDS,
                  "flexStart.nodeRecycling.leadTimeSeconds",
                  s,
                  "must be 1 to 604800 (CRD schema)");
              at.require(
                  rule.maxRunDurationSeconds().isEmpty()
                      || s < rule.maxRunDurationSeconds().getAsLong(),
                  "flexStart.nodeRecycling.leadTimeSeconds",
                  s,
                  "must be shorter than maxRunDurationSeconds");
            });
    rule.zones().forEach(z -> at.require(!z.isBlank(), "location.zones", z, "must not be blank"));
  }

  static ComputeClass.Priority render(
      AcceleratorComputeClass cc, ResolvedShape shape, PriorityRule rule) {
    AcceleratorType type = shape.accelerator();
    int devices = rule.devices().orElse(cc.devices());
    String ruleMachine = rule.machineType().orElse(shape.machineType());
    ComputeClass.Gpu gpu = null;
    ComputeClass.Tpu tpu = null;
    if (type.isGpu()) {
      gpu =
          new ComputeClass.Gpu(
              type.label(),
              devices,
              cc.driverVersion() == GpuDriverVersion.DISABLED
                  ? null
                  : cc.driverVersion().name().toLowerCase(Locale.ROOT),
              cc.gpuSharing().map(ComputeClassRules::sharing).orElse(null));
    } else {
      tpu = new ComputeClass.Tpu(type.label(), devices, cc.tpuTopology().orElse(""));
    }
    ComputeClass.Reservations reservations =
        rule.reservation()
            .map(
                a ->
                    new ComputeClass.Reservations(
                        a.value(),
                        rule.reservationName()
                            .map(
                                n ->
                                    List.of(
                                        new ComputeClass.SpecificReservation(
                                            n,
                                            rule.reservationProject().orElse(null),
                                            rule.reservationBlock()
                                                .map(ComputeClass.Named::new)
                                                .orElse(null))))
                            .orElse(List.of())))
            .orElse(null);
    ComputeClass.FlexStart flex =
        rule.flexStart()
            ? new ComputeClass.FlexStart(
                true,
                rule.nodeRecyclingLeadTimeSeconds().isPresent()
                    ? new ComputeClass.NodeRecycling(
                        rule.nodeRecyclingLeadTimeSeconds().getAsLong())
                    : null)
            : null;
    List<String> zones = rule.zones().isEmpty() ? cc.zones() : rule.zones();
    return new ComputeClass.Priority(
        rule.machineFamily().orElse(null),
        // TPU classes select by tpu{type,count,topology}; GKE derives the machine type
        type.isGpu() ? ruleMachine : null,
        gpu,
        tpu,
        rule.spot().orElse(null),
        reservations,
        flex,
        rule.maxRunDurationSeconds().isPresent() ? rule.maxRunDurationSeconds().getAsLong() : null,
        cc.maxPodsPerNode().isPresent() ? cc.maxPodsPerNode().getAsInt() : null,
        zones.isEmpty() ? null : new ComputeClass.Location(List.copyOf(zones)));
  }

  private static ComputeClass.GpuSharing sharing(GpuSharing s) {
    return new ComputeClass.GpuSharing(
        s.partitionSize().orElse(null),
        s.maxSharedClients().isPresent() ? s.maxSharedClients().getAsInt() : null,
        s.strategy().map(Enum::name).orElse(null));
  }

  private static @Nullable String describe(PriorityRule rule) {
    return rule.toString();
  }
}
