package io.github.gkeinference.accelerators.scheduling;

import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;

/** Resolution of the machine shape; shared by {@code check} and {@code schedule}. */
final class Placements {
  private Placements() {}

  static MachineShape resolve(AcceleratorType type, AcceleratorPlacement p, Violations v) {
    MachineShape shape;
    if (type.isTpu()) {
      shape = resolveTpu(type, p, v);
    } else {
      v.require(
          p.tpuTopology().isEmpty(),
          "tpuTopology",
          p.tpuTopology().orElse(""),
          "must be empty for a GPU");
      shape = resolveGpu(type, p, v);
    }
    return shape;
  }

  private static MachineShape resolveGpu(
      AcceleratorType type, AcceleratorPlacement p, Violations v) {
    if (p.machineType().isPresent()) {
      String mt = p.machineType().get();
      Optional<MachineShape> shape = type.shape(mt);
      if (shape.isEmpty()) {
        v.error("machineType", mt, "must carry " + type.label() + "; known: " + names(type));
        return type.machineShapes().get(0);
      }
      v.require(
          p.devices() <= shape.get().devices(),
          "devices",
          p.devices(),
          "must be at most the " + shape.get().devices() + " devices of " + mt);
      return shape.get();
    }
    List<MachineShape> exact = type.shapesWith(p.devices());
    if (exact.isEmpty()) {
      v.error(
          "devices",
          p.devices(),
          "no machine type carries exactly "
              + p.devices()
              + " "
              + type.label()
              + "; machine types: "
              + names(type));
      return type.machineShapes().get(0);
    }
    return exact.get(0);
  }

  private static MachineShape resolveTpu(
      AcceleratorType type, AcceleratorPlacement p, Violations v) {
    if (p.tpuTopology().isEmpty()) {
      v.error("tpuTopology", null, "is required for a TPU; for example " + example(type));
      return type.machineShapes().get(0);
    }
    String topology = p.tpuTopology().get();
    List<TpuTopology> candidates =
        type.topologies(topology).stream()
            .filter(t -> p.machineType().map(m -> m.equals(t.machineType())).orElse(true))
            .filter(t -> p.machineType().isPresent() || t.chipsPerVm() == p.devices())
            .toList();
    if (candidates.isEmpty()) {
      v.error(
          "tpuTopology",
          topology,
          "is not a "
              + type.label()
              + " topology"
              + p.machineType()
                  .map(m -> " on " + m)
                  .orElse(" with " + p.devices() + " chips per VM")
              + "; valid: "
              + example(type));
      return type.machineShapes().get(0);
    }
    TpuTopology t = candidates.get(0);
    v.require(
        p.devices() == t.chipsPerVm(),
        "devices",
        p.devices(),
        "must equal the "
            + t.chipsPerVm()
            + " chips of one "
            + t.machineType()
            + " VM: every Pod of a TPU slice requests all chips of its VM");
    return type.shape(t.machineType()).orElseThrow();
  }

  private static String names(AcceleratorType type) {
    return String.join(
        ", ",
        type.machineShapes().stream()
            .map(s -> s.machineType() + " (" + s.devices() + ")")
            .toList());
  }

  private static String example(AcceleratorType type) {
    return String.join(
        ", ",
        type.topologies().stream().map(t -> t.topology() + " on " + t.machineType()).toList());
  }
}
