package io.github.gkeinference.accelerators.scheduling;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Where one Pod runs: an accelerator, how many of its devices the Pod uses, and how the Pod finds
 * its node (node selectors or a ComputeClass). {@link #schedule()} turns it into the Pod's node
 * selector, device requests, tolerations and CPU/memory requests.
 *
 * <pre>{@code
 * PodScheduling s = AcceleratorPlacement.builder()
 *     .accelerator("nvidia-l4")
 *     .devices(2)                      // g2-standard-24, the only machine type with 2 L4
 *     .build()
 *     .schedule();
 * s.nodeSelector();   // {cloud.google.com/gke-accelerator=nvidia-l4}
 * s.resources();      // nvidia.com/gpu: 2, cpu and memory sized from g2-standard-24
 * }</pre>
 *
 * <p>For TPUs set {@link #tpuTopology()}; the Pod then requests the chips of one VM of the slice
 * (gke-facts.md section 2.3) and {@link #devices()} must equal that number.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableAcceleratorPlacement.class)
public interface AcceleratorPlacement {
  /** The GKE node label that selects a ComputeClass (gke-facts.md section 6). */
  String COMPUTE_CLASS_LABEL = "cloud.google.com/compute-class";

  /** The node label that carries the TPU topology (gke-facts.md section 2.1). */
  String TPU_TOPOLOGY_LABEL = "cloud.google.com/gke-tpu-topology";

  /** The well-known Kubernetes node label of the machine type. */
  String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this placement. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The accelerator label, for example {@code nvidia-h100-80gb} or {@code tpu-v6e-slice}. */
  String accelerator();

  /** The devices (GPUs, or TPU chips on the Pod's VM) the Pod requests; default 1. */
  @Value.Default
  default int devices() {
    return 1;
  }

  /**
   * The machine type. When set, the Pod also selects {@code node.kubernetes.io/instance-type}; when
   * empty, the smallest catalog machine type with exactly {@link #devices()} devices is used for
   * sizing only, so the Pod fits every machine type with that device count.
   */
  Optional<String> machineType();

  /** The TPU slice topology, for example {@code 2x4}; required for TPUs, empty for GPUs. */
  Optional<String> tpuTopology();

  /**
   * The ComputeClass to select. When set the Pod selects only {@code
   * cloud.google.com/compute-class}, and GKE takes the accelerator, topology and taints from the
   * class (refarch.md section 0); CPU and memory are still sized from the machine type.
   */
  Optional<String> computeClass();

  /**
   * CPU, in millicores, the Pod's other containers or sidecars on the same node need (for example
   * the GCS FUSE sidecar); subtracted from the node before the main container is sized. Default 0.
   */
  @Value.Default
  default long sidecarCpuMillis() {
    return 0;
  }

  /** Memory, in bytes, for sidecars; subtracted like {@link #sidecarCpuMillis()}. Default 0. */
  @Value.Default
  default long sidecarMemoryBytes() {
    return 0;
  }

  /**
   * Checks the placement against the catalog.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    v.require(devices() >= 1, "devices", devices(), "must be at least 1");
    v.require(sidecarCpuMillis() >= 0, "sidecarCpuMillis", sidecarCpuMillis(), "must be >= 0");
    v.require(
        sidecarMemoryBytes() >= 0, "sidecarMemoryBytes", sidecarMemoryBytes(), "must be >= 0");
    computeClass()
        .ifPresent(
            c ->
                v.require(
                    KubernetesNames.isDns1123Label(c),
                    "computeClass",
                    c,
                    "must be a DNS-1123 label (a ComputeClass name)"));
    if (catalog.checkLabel(v, "accelerator", accelerator()) && devices() >= 1) {
      Placements.resolve(catalog.require(accelerator()), this, v);
    }
    v.throwIfErrors();
  }

  /**
   * Returns the Pod's scheduling: node selector, device requests and limits, tolerations and CPU
   * and memory requests. Each call returns fresh fabric8 objects.
   */
  default PodScheduling schedule() {
    AcceleratorType type = AcceleratorCatalog.standard().require(accelerator());
    MachineShape shape = Placements.resolve(type, this, Violations.root());
    return PodScheduling.of(type, shape, this);
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAcceleratorPlacement.Builder {}
}
