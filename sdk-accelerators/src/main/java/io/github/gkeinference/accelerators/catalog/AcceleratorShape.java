package io.github.gkeinference.accelerators.catalog;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.util.Locale;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An accelerator shape: an accelerator, how many of its devices, and optionally the machine type
 * and TPU topology. Pod placements ({@code AcceleratorPlacement}), ComputeClasses ({@code
 * AcceleratorComputeClass}) and node pools ({@code AcceleratorNodePool}) are shapes, a fit plan
 * gives one ({@code FitPlan.shape()}), and all resolve it the same way, once, with {@link
 * AcceleratorCatalog#resolve(AcceleratorShape, Violations)}.
 *
 * <pre>{@code
 * AcceleratorShape shape = AcceleratorShape.of("nvidia-l4", 2);
 * shape.resolved().machineType();   // g2-standard-24, the only machine type with 2 L4
 * shape.computeClassName();         // gpu-l4-x2
 * }</pre>
 *
 * <p>The specs' builders copy a shape with {@code from(shape)}, for example {@code
 * AcceleratorNodePool.builder().from(computeClass).name("pool")}.
 */
public interface AcceleratorShape {
  /**
   * Returns a shape of whole defaults: the smallest machine type with {@code devices} GPUs; TPUs
   * need {@link #of(String, int, Optional, Optional)} with a topology.
   *
   * @param accelerator the accelerator label
   * @param devices the devices
   * @return the shape, already resolved
   * @throws SdkValidationException listing every violation when the shape is not in the catalog
   */
  static AcceleratorShape of(String accelerator, int devices) {
    return of(accelerator, devices, Optional.empty(), Optional.empty());
  }

  /**
   * Returns a shape.
   *
   * @param accelerator the accelerator label
   * @param devices the devices
   * @param machineType the machine type, or empty for the catalog's choice
   * @param tpuTopology the TPU topology; required for TPUs, empty for GPUs
   * @return the shape, already resolved
   * @throws SdkValidationException listing every violation when the shape is not in the catalog
   */
  static AcceleratorShape of(
      String accelerator, int devices, Optional<String> machineType, Optional<String> tpuTopology) {
    return Shape.of(accelerator, devices, machineType, tpuTopology);
  }

  /** The accelerator label, for example {@code nvidia-h100-80gb} or {@code tpu-v6e-slice}. */
  String accelerator();

  /** GPUs, or TPU chips of one VM, per Pod or node; default 1. */
  @Value.Default
  default int devices() {
    return 1;
  }

  /**
   * The machine type. When empty: for GPUs the smallest catalog machine type with exactly {@link
   * #devices()} GPUs; for TPUs the machine type of the topology with {@code devices} chips per VM.
   */
  Optional<String> machineType();

  /** The TPU slice topology, for example {@code 2x4}; required for TPUs, empty for GPUs. */
  Optional<String> tpuTopology();

  /**
   * Returns the shape resolved against the standard catalog: computed on first use and kept
   * (Immutables {@code @Value.Lazy} in the specs), so a spec resolves its shape once for its checks
   * and every render.
   *
   * @return the resolved shape
   * @throws SdkValidationException listing every violation when the shape is not in the catalog
   */
  @Value.Lazy
  default ResolvedShape resolved() {
    return AcceleratorCatalog.standard().resolve(this);
  }

  /**
   * Returns the resolved shape, or adds its violations to {@code v}: what a spec's check calls.
   *
   * @param v the collector, at the spec's root
   * @return the resolved shape, or empty when it has violations
   */
  default Optional<ResolvedShape> resolved(Violations v) {
    try {
      return Optional.of(resolved());
    } catch (SdkValidationException e) {
      v.addAll(e.violations());
      return Optional.empty();
    }
  }

  /**
   * Returns the name of the ComputeClass for this shape: {@code gpu-<label without
   * nvidia->-x<devices>} for GPUs ({@code gpu-l4-x1}, {@code gpu-h100-80gb-x8}) and {@code <TPU
   * name>-<topology>} for TPUs ({@code tpu-v6e-2x4}, {@code tpu-v5e-2x4}, {@code tpu7x-2x2x1}). The
   * machine type is not part of the name: shapes that differ only in it share a name, so give such
   * a class its own. A Pod selects the class with {@code AcceleratorComputeClass.placement()}, so
   * the name is written in one place.
   *
   * @return a DNS-1123 label
   */
  default String computeClassName() {
    Optional<AcceleratorType> type = AcceleratorCatalog.standard().byLabel(accelerator());
    if (type.isPresent() && type.get().isTpu()) {
      // "TPU v6e (Trillium)" -> "tpu-v6e", "TPU7x (Ironwood)" -> "tpu7x"
      String display = type.get().displayName().replaceFirst(" \\(.*$", "");
      return display.toLowerCase(Locale.ROOT).replace(' ', '-')
          + "-"
          + tpuTopology().orElse("topology");
    }
    return "gpu-" + accelerator().replaceFirst("^nvidia-", "") + "-x" + devices();
  }
}
