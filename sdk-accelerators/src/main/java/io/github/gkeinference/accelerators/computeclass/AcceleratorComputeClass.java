package io.github.gkeinference.accelerators.computeclass;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.github.gkeinference.accelerators.catalog.AcceleratorShape;
import io.github.gkeinference.accelerators.catalog.GpuDriverVersion;
import io.github.gkeinference.accelerators.catalog.GpuSharing;
import io.github.gkeinference.accelerators.catalog.ResolvedShape;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A GKE ComputeClass for one {@link AcceleratorShape}: every priority rule gives Pods the same
 * accelerator, device count and machine type, and differs only in how capacity is obtained. The
 * shape is resolved once ({@link #resolved()}) for the checks and every render; {@link
 * #placement()} is the Pod placement that selects the class, so the class name is written once.
 *
 * <pre>{@code
 * AcceleratorComputeClass cc = AcceleratorComputeClass.builder()
 *     .accelerator("nvidia-h100-80gb")
 *     .devices(2)                                  // machine type a3-highgpu-2g
 *     .preset(ComputeClassPreset.STANDARD)         // reservation, on-demand, flex 7d, flex 1d, Spot
 *     .build();                                    // named gpu-h100-80gb-x2
 * ComputeClass resource = cc.computeClass();
 * PodScheduling pod = cc.placement().schedule();   // selects cloud.google.com/compute-class
 * }</pre>
 *
 * <p>Consistency rules, checked at {@code build()}; each violation names its field path:
 *
 * <ul>
 *   <li>the accelerator label is known; for GPUs the machine type carries exactly {@link
 *       #devices()} of it; for TPUs the topology exists on the machine type and {@code devices} is
 *       the chip count of one VM;
 *   <li>every priority's machine type and device count equal the class's ({@code
 *       priorities[i].machineType}, {@code priorities[i].gpu.count});
 *   <li>no two priorities render the same rule;
 *   <li>{@code maxRunDurationSeconds} and the flex-start lead time are positive, at most 7 days for
 *       flex-start, and the lead time is shorter than the run; Spot and flex-start exclude each
 *       other; a specific reservation names its reservation.
 * </ul>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableAcceleratorComputeClass.class)
public interface AcceleratorComputeClass extends AcceleratorShape, RenderableSpec {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this class. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * The ComputeClass name, which Pods select with {@code cloud.google.com/compute-class}; default
   * the shape's {@link #computeClassName()}.
   */
  @Value.Default
  default String name() {
    return computeClassName();
  }

  /**
   * The GPU driver; default {@link GpuDriverVersion#LATEST}, as every GPU class of the reference
   * architecture (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/custom_compute_class/templates/manifests).
   */
  @Value.Default
  default GpuDriverVersion driverVersion() {
    return GpuDriverVersion.LATEST;
  }

  /** GPU sharing (MIG, time-sharing, MPS). */
  Optional<GpuSharing> gpuSharing();

  /** The priority order used when {@link #priorities()} is empty; default STANDARD. */
  @Value.Default
  default ComputeClassPreset preset() {
    return ComputeClassPreset.STANDARD;
  }

  /** The priority rules, highest first; when empty the {@link #preset()}'s rules are used. */
  List<PriorityRule> priorities();

  /**
   * What GKE does when no rule can be satisfied; default {@code DoNotScaleUp} (the schema's
   * default, written out because the schema requires the field).
   */
  @Value.Default
  default WhenUnsatisfiable whenUnsatisfiable() {
    return WhenUnsatisfiable.DO_NOT_SCALE_UP;
  }

  /** Whether GKE may create node pools for the class in Standard clusters; default true. */
  @Value.Default
  default boolean nodePoolAutoCreation() {
    return true;
  }

  /** Whether GKE moves Pods to higher-priority rules when they free up; default true. */
  @Value.Default
  default boolean activeMigration() {
    return true;
  }

  /** Whether the class's nodes use image streaming; default true. */
  @Value.Default
  default boolean imageStreaming() {
    return true;
  }

  /** Zones for every rule that sets none; empty leaves the choice to GKE. */
  List<String> zones();

  /** Pods per node (8 to 256); the reference architecture uses 32. */
  OptionalInt maxPodsPerNode();

  /** Returns the rules in effect: {@link #priorities()} or the preset's. */
  default List<PriorityRule> effectivePriorities() {
    return priorities().isEmpty() ? preset().rules() : priorities();
  }

  /**
   * Checks every consistency rule.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(KubernetesNames.isDns1123Label(name()), "name", name(), "must be a DNS-1123 label");
    maxPodsPerNode()
        .ifPresent(
            n ->
                v.require(
                    n >= 8 && n <= 256, "maxPodsPerNode", n, "must be 8 to 256 (CRD schema)"));
    resolved(v).ifPresent(r -> ComputeClassRules.check(this, r, v));
    v.throwIfErrors();
  }

  /**
   * Returns the warnings about this class: findings that do not stop rendering, such as a
   * flex-start rule on a machine series Compute Engine does not document for flex-start. Errors
   * never appear here, because {@code build()} already rejected them.
   *
   * @return the warnings, each with its field path
   */
  default List<Violation> warnings() {
    Violations v = Violations.root();
    ComputeClassRules.warnings(this, resolved(), v);
    return v.all();
  }

  /** Returns the ComputeClass resource: a fresh object on every call. */
  default ComputeClass computeClass() {
    ResolvedShape shape = resolved();
    List<ComputeClass.Priority> priorities = new ArrayList<>();
    for (PriorityRule rule : effectivePriorities()) {
      priorities.add(ComputeClassRules.render(this, shape, rule));
    }
    ComputeClass.Spec spec =
        new ComputeClass.Spec(
            activeMigration() ? new ComputeClass.ActiveMigration(true) : null,
            new ComputeClass.Enabled(nodePoolAutoCreation()),
            imageStreaming()
                ? new ComputeClass.NodePoolConfig(new ComputeClass.Enabled(true))
                : null,
            priorities,
            whenUnsatisfiable().value());
    return new ComputeClass(
        new ObjectMetaBuilder()
            .withName(name())
            .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE))
            .build(),
        spec);
  }

  /**
   * Returns the placement of a Pod that runs on this class: the class's shape, selecting the class
   * by its name. CPU and memory are sized from the class's machine type.
   *
   * @return the placement; {@code toBuilder()} adds sidecar requests
   */
  default AcceleratorPlacement placement() {
    return AcceleratorPlacement.builder().from(this).computeClass(name()).build();
  }

  /** Returns the ComputeClass as a rendered set. */
  @Override
  default String kind() {
    return "AcceleratorComputeClass";
  }

  /** Adds the warnings of {@link #warnings()}. */
  @Override
  default void validate(Violations violations) {
    violations.addAll(warnings());
  }

  @Override
  default RenderedSet render() {
    return RenderedSet.of(computeClass());
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAcceleratorComputeClass.Builder {
    /**
     * Sets GPU sharing from a builder function.
     *
     * @param sharing fills in the sharing
     * @return this builder
     */
    public Builder gpuSharing(Consumer<GpuSharing.Builder> sharing) {
      GpuSharing.Builder b = GpuSharing.builder();
      sharing.accept(b);
      return gpuSharing(b.build());
    }

    /**
     * Adds a priority rule from a builder function.
     *
     * @param rule fills in the rule
     * @return this builder
     */
    public Builder addPriority(Consumer<PriorityRule.Builder> rule) {
      PriorityRule.Builder b = PriorityRule.builder();
      rule.accept(b);
      return addPriority(b.build());
    }
  }
}
