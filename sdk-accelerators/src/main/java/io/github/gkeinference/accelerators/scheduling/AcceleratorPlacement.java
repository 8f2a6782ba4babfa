package io.github.gkeinference.accelerators.scheduling;

import io.github.gkeinference.accelerators.catalog.AcceleratorShape;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Where one Pod runs: an {@link AcceleratorShape} (the accelerator, how many of its devices the Pod
 * uses, the machine type and TPU topology) and how the Pod finds its node (node selectors or a
 * ComputeClass). {@link #schedule()} turns it into the Pod's node selector, device requests,
 * tolerations and CPU/memory requests. A Pod may use fewer GPUs than its machine type carries.
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
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/tpus; kubernetes-sigs/lws v0.10.0
 * pkg/utils/accelerators/tpu.go) and {@link #devices()} must equal that number.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableAcceleratorPlacement.class)
public interface AcceleratorPlacement extends AcceleratorShape {
  /**
   * The GKE node label that selects a ComputeClass
   * (https://cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass).
   */
  String COMPUTE_CLASS_LABEL = "cloud.google.com/compute-class";

  /**
   * The node label that carries the TPU topology (AI-Hypercomputer/xpk
   * src/xpk/core/system_characteristics.py; kubernetes-sigs/lws v0.10.0
   * pkg/utils/accelerators/tpu.go).
   */
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

  /**
   * The ComputeClass to select. When set the Pod selects only {@code
   * cloud.google.com/compute-class}, and GKE takes the accelerator, topology and taints from the
   * class (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml);
   * CPU and memory are still sized from the machine type.
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
    resolved(v);
    v.throwIfErrors();
  }

  /**
   * Returns the Pod's scheduling: node selector, device requests and limits, tolerations and CPU
   * and memory requests. Each call returns fresh fabric8 objects.
   */
  default PodScheduling schedule() {
    return PodScheduling.of(resolved(), this);
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAcceleratorPlacement.Builder {}
}
