package io.github.gkeinference.accelerators.computeclass;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.GpuDriverVersion;
import io.github.gkeinference.accelerators.catalog.GpuSharing;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Consistency rules and rendering of priorities; package-private helpers. */
final class ComputeClassRules {
  private ComputeClassRules() {}

  static String machineType(AcceleratorComputeClass cc, AcceleratorType type, Violations v) {
    if (type.isTpu()) {
      if (cc.tpuTopology().isEmpty()) {
        v.error("tpuTopology", null, "is required for a TPU class");
        return "";
      }
      Optional<TpuTopology> slice =
          type.topologies(cc.tpuTopology().get()).stream()
              .filter(t -> cc.machineType().map(t.machineType()::equals).orElse(true))
              .filter(t -> cc.machineType().isPresent() || t.chipsPerVm() == cc.devices())
              .findFirst();
      String machine = cc.machineType().orElse(slice.map(TpuTopology::machineType).orElse(""));
      AcceleratorCatalog.standard()
          .checkTopology(
              v, "tpuTopology", "devices", type, machine, cc.tpuTopology().get(), cc.devices());
      return machine;
    }
    v.require(
        cc.tpuTopology().isEmpty(), "tpuTopology", cc.tpuTopology().orElse(""), "is for TPUs only");
    if (cc.machineType().isPresent()) {
      AcceleratorCatalog.standard()
          .checkMachine(v, "machineType", "devices", type, cc.machineType().get(), cc.devices());
      return cc.machineType().get();
    }
    List<MachineShape> shapes = type.shapesWith(cc.devices());
    if (shapes.isEmpty()) {
      v.error(
          "devices",
          cc.devices(),
          "no machine type carries exactly " + cc.devices() + " " + type.label());
      return "";
    }
    return shapes.get(0).machineType();
  }

  static void check(AcceleratorComputeClass cc, AcceleratorType type, Violations v) {
    String machine = machineType(cc, type, v);
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
    List<ComputeClass.Priority> rendered = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      PriorityRule rule = rules.get(i);
      Violations at = v.at("priorities", i);
      checkRule(cc, type, machine, rule, at);
      ComputeClass.Priority p = render(cc, type, machine, rule);
      int first = rendered.indexOf(p);
      at.require(
          first < 0,
          "",
          describe(rule),
          "duplicates priorities[" + first + "]; every rule must differ");
      rendered.add(p);
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
    if (rule.flexStart() && (ruleMachine.startsWith("a4x-") || ruleMachine.startsWith("g4-"))) {
      at.warning(
          "flexStart",
          ruleMachine,
          "Compute Engine documents flex-start VMs for every accelerator-optimized machine type"
              + " except A4X and G4 (\"About Flex-start VMs\"); this rule may never get capacity");
    }
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
                  rule.maxRunDurationSeconds().map(run -> s < run).orElse(true),
                  "flexStart.nodeRecycling.leadTimeSeconds",
                  s,
                  "must be shorter than maxRunDurationSeconds");
            });
    rule.zones().forEach(z -> at.require(!z.isBlank(), "location.zones", z, "must not be blank"));
  }

  static ComputeClass.Priority render(
      AcceleratorComputeClass cc, AcceleratorType type, String machine, PriorityRule rule) {
    int devices = rule.devices().orElse(cc.devices());
    String ruleMachine = rule.machineType().orElse(machine);
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
                rule.nodeRecyclingLeadTimeSeconds()
                    .map(ComputeClass.NodeRecycling::new)
                    .orElse(null))
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
        rule.maxRunDurationSeconds().orElse(null),
        cc.maxPodsPerNode().orElse(null),
        zones.isEmpty() ? null : new ComputeClass.Location(List.copyOf(zones)));
  }

  private static ComputeClass.GpuSharing sharing(GpuSharing s) {
    return new ComputeClass.GpuSharing(
        s.partitionSize().orElse(null),
        s.maxSharedClients().orElse(null),
        s.strategy().map(Enum::name).orElse(null));
  }

  private static @Nullable String describe(PriorityRule rule) {
    return rule.toString();
  }
}
