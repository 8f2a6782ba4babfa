package io.github.gkeinference.accelerators.preflight;

import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import org.immutables.value.Value;

/**
 * What one service asks of a region: an accelerator, devices (GPUs or TPU chips) per replica, how
 * many replicas, and how the VMs are obtained, in priority order (a ComputeClass's fallback chain).
 *
 * <pre>{@code
 * AcceleratorDemand.of("vllm", computeClass, 1, 4);   // priorities from the ComputeClass
 * AcceleratorDemand.builder().name("vllm").accelerator("nvidia-l4").devices(1).maxReplicas(4).build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
public interface AcceleratorDemand {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this demand. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * The demand of a service that runs on a ComputeClass: its accelerator, device count and the
   * provisioning of each of its priorities, in order.
   *
   * @param name the service
   * @param computeClass the class its pods select
   * @param minReplicas replicas that must start
   * @param maxReplicas replicas the autoscaler may reach
   * @return the demand
   */
  static AcceleratorDemand of(
      String name, AcceleratorComputeClass computeClass, int minReplicas, int maxReplicas) {
    return builder()
        .name(name)
        .accelerator(computeClass.accelerator())
        .devices(computeClass.devices())
        .minReplicas(minReplicas)
        .maxReplicas(maxReplicas)
        .computeClass(computeClass.name())
        .priorities(
            computeClass.effectivePriorities().stream().map(Provisioning::of).distinct().toList())
        .build();
  }

  /** The service, for the report. */
  String name();

  /** The accelerator label, for example {@code nvidia-l4}; must be in the catalog. */
  String accelerator();

  /** GPUs or TPU chips per replica (for a multi-host TPU slice, the chips of the whole slice). */
  int devices();

  /** Replicas that must start; default 1. */
  @Value.Default
  default int minReplicas() {
    return 1;
  }

  /** Replicas the autoscaler may reach; default {@link #minReplicas()}. */
  @Value.Default
  default int maxReplicas() {
    return minReplicas();
  }

  /** The ComputeClass whose chain this is, if any, for the report. */
  java.util.Optional<String> computeClass();

  /** How VMs are obtained, highest priority first; default on-demand only. */
  @Value.Default
  default List<Provisioning> priorities() {
    return List.of(Provisioning.ON_DEMAND);
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(devices() > 0, "devices", devices(), "must be positive");
    v.require(minReplicas() >= 0, "minReplicas", minReplicas(), "must not be negative");
    v.require(
        maxReplicas() >= Math.max(1, minReplicas()),
        "maxReplicas",
        maxReplicas(),
        "must be at least 1 and at least minReplicas (" + minReplicas() + ")");
    v.require(!priorities().isEmpty(), "priorities", priorities(), "must name at least one");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAcceleratorDemand.Builder {}
}
