package io.github.gkeinference.accelerators.nodepool;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;

/** The machine type and TPU slice of a node pool, resolved from the catalog with violations. */
final class Resolved {
  final String machineType;
  final Optional<TpuTopology> slice;

  private Resolved(String machineType, Optional<TpuTopology> slice) {
    this.machineType = machineType;
    this.slice = slice;
  }

  static Resolved of(AcceleratorNodePool p, AcceleratorType type, Violations v) {
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    if (type.isTpu()) {
      if (p.tpuTopology().isEmpty()) {
        v.error("tpuTopology", null, "is required for a TPU node pool");
        return new Resolved("", Optional.empty());
      }
      String topology = p.tpuTopology().get();
      String machine =
          p.machineType()
              .orElse(
                  type.topologies(topology).stream()
                      .filter(t -> t.chipsPerVm() == p.devices())
                      .map(TpuTopology::machineType)
                      .findFirst()
                      .orElse(""));
      return new Resolved(
          machine,
          catalog.checkTopology(v, "tpuTopology", "devices", type, machine, topology, p.devices()));
    }
    v.require(
        p.tpuTopology().isEmpty(), "tpuTopology", p.tpuTopology().orElse(""), "is for TPUs only");
    if (p.machineType().isPresent()) {
      catalog.checkMachine(v, "machineType", "devices", type, p.machineType().get(), p.devices());
      return new Resolved(p.machineType().get(), Optional.empty());
    }
    List<MachineShape> shapes = type.shapesWith(p.devices());
    if (shapes.isEmpty()) {
      v.error(
          "devices",
          p.devices(),
          "no machine type carries exactly " + p.devices() + " " + type.label());
      return new Resolved("", Optional.empty());
    }
    return new Resolved(shapes.get(0).machineType(), Optional.empty());
  }
}
