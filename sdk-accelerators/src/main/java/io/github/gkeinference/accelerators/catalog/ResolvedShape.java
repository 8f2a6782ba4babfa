package io.github.gkeinference.accelerators.catalog;

import io.github.gkeinference.core.validate.Violations;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AcceleratorShape} resolved against the catalog by {@link
 * AcceleratorCatalog#resolve(AcceleratorShape, Violations)}: the accelerator, the machine type
 * (given or chosen), the devices a Pod or node uses and, for TPUs, the slice.
 *
 * @param accelerator the accelerator
 * @param machine the machine type's shape
 * @param devices the devices of the shape; at most the machine's
 * @param slice the TPU slice, or {@code null} for GPUs
 */
public record ResolvedShape(
    AcceleratorType accelerator, MachineShape machine, int devices, @Nullable TpuTopology slice) {
  /** Validates the components. */
  public ResolvedShape {
    Objects.requireNonNull(accelerator, "accelerator");
    Objects.requireNonNull(machine, "machine");
  }

  /** Returns the machine type. */
  public String machineType() {
    return machine.machineType();
  }

  /** Returns the TPU slice; empty for GPUs. */
  public Optional<TpuTopology> tpuSlice() {
    return Optional.ofNullable(slice);
  }

  /**
   * Checks that the shape takes every device of its machine type: GKE requires a node pool's and a
   * ComputeClass's accelerator count to equal the machine type's GPU count ("Run GPUs in GKE
   * Standard node pools", https://cloud.google.com/kubernetes-engine/docs/how-to/gpus). A Pod may
   * use fewer devices than its node carries; a node may not.
   *
   * @param v the collector; the violation is at {@code devices}
   * @return whether the shape takes the whole machine
   */
  public boolean checkWholeMachine(Violations v) {
    boolean whole = devices == machine.devices();
    v.require(
        whole,
        "devices",
        devices,
        "must be "
            + machine.devices()
            + ", the "
            + accelerator.label()
            + " count of "
            + machine.machineType());
    return whole;
  }
}
