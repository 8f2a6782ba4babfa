package io.github.gkeinference.accelerators.catalog;

import java.util.Objects;
import java.util.Optional;

/** The plain {@link AcceleratorShape}, resolved on construction. */
record Shape(
    String accelerator,
    int devices,
    Optional<String> machineType,
    Optional<String> tpuTopology,
    ResolvedShape resolved)
    implements AcceleratorShape {
  Shape {
    Objects.requireNonNull(accelerator, "accelerator");
    Objects.requireNonNull(machineType, "machineType");
    Objects.requireNonNull(tpuTopology, "tpuTopology");
    Objects.requireNonNull(resolved, "resolved");
  }

  static Shape of(
      String accelerator, int devices, Optional<String> machineType, Optional<String> tpuTopology) {
    return new Shape(
        accelerator,
        devices,
        machineType,
        tpuTopology,
        AcceleratorCatalog.standard()
            .resolve(new Unresolved(accelerator, devices, machineType, tpuTopology)));
  }

  /** A shape as given, before resolution; {@link #resolved()} resolves it on every call. */
  record Unresolved(
      String accelerator, int devices, Optional<String> machineType, Optional<String> tpuTopology)
      implements AcceleratorShape {}
}
