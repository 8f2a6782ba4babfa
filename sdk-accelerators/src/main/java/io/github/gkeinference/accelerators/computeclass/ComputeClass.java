package io.github.gkeinference.accelerators.computeclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.core.render.CustomObject;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A GKE ComputeClass ({@code cloud.google.com/v1}), with the fields the SDK renders.
 *
 * <p>fabric8 has no model for this GKE-only kind, so this is a {@link CustomObject}: the top level
 * is mutable like fabric8's own models, the spec is made of immutable records. Field names and enum
 * values follow the GKE CRD schema ({@code schemas/crds/cloud.google.com/ComputeClass-v1.json});
 * absent fields are left out of the output. Build one with {@link AcceleratorComputeClass}.
 */
@JsonDeserialize(using = ValueDeserializer.None.class)
public final class ComputeClass extends CustomObject<ComputeClass.Spec> {
  private static final long serialVersionUID = 1L;

  /** The API version of the kind. */
  public static final String API_VERSION = "cloud.google.com/v1";

  /** The kind. */
  public static final String KIND = "ComputeClass";

  /** Creates an empty ComputeClass (for Jackson). */
  public ComputeClass() {
    super(API_VERSION, KIND);
  }

  /**
   * Creates a ComputeClass.
   *
   * @param metadata the metadata
   * @param spec the spec
   */
  public ComputeClass(ObjectMeta metadata, Spec spec) {
    super(API_VERSION, KIND, metadata, spec);
  }

  /**
   * Checks a ComputeClass however it was written (for example read from YAML): every priority asks
   * for the same GPUs or TPU chips, and a priority that names a machine type names one that carries
   * exactly that many of that accelerator. The seed's {@code gpu-h100-80gb-high-x2} class, whose
   * fallback rule uses a 1-GPU machine, fails here.
   *
   * @param violations where to add the errors, with paths such as {@code
   *     spec.priorities[3].machineType} below the given one
   */
  public void validate(Violations violations) {
    Violations v = violations.at("spec");
    Spec spec = getSpec();
    if (spec == null) {
      return;
    }
    Integer devices = null;
    String accelerator = null;
    for (int i = 0; i < spec.priorities().size(); i++) {
      Priority p = spec.priorities().get(i);
      Violations at = v.at("priorities", i);
      String type = p.gpu() != null ? p.gpu().type() : p.tpu() != null ? p.tpu().type() : null;
      Integer count = p.gpu() != null ? p.gpu().count() : p.tpu() != null ? p.tpu().count() : null;
      if (count != null) {
        if (devices == null) {
          devices = count;
          accelerator = type;
        } else {
          at.require(
              count.equals(devices) && Objects.equals(type, accelerator),
              p.gpu() != null ? "gpu.count" : "tpu.count",
              count + " " + type,
              "must be "
                  + devices
                  + " "
                  + accelerator
                  + ", as in priorities[0]: every priority must give Pods the same devices");
        }
      }
      if (p.machineType() != null && type != null && p.gpu() != null) {
        String machine = p.machineType();
        int wanted = count;
        AcceleratorCatalog.standard()
            .byMachineType(machine)
            .ifPresent(
                shape ->
                    at.require(
                        shape.acceleratorLabel().equals(type) && shape.devices() == wanted,
                        "machineType",
                        machine,
                        "carries "
                            + shape.devices()
                            + " "
                            + shape.acceleratorLabel()
                            + " but the rule asks for "
                            + wanted
                            + " "
                            + type));
      }
    }
  }

  /**
   * The ComputeClass spec.
   *
   * @param activeMigration moves workloads to higher priorities when they become available
   * @param nodePoolAutoCreation lets GKE create node pools for the class in Standard clusters
   * @param nodePoolConfig settings for the node pools GKE creates
   * @param priorities the rules, highest priority first
   * @param whenUnsatisfiable {@code ScaleUpAnyway} or {@code DoNotScaleUp}
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(
      @Nullable ActiveMigration activeMigration,
      @Nullable Enabled nodePoolAutoCreation,
      @Nullable NodePoolConfig nodePoolConfig,
      List<Priority> priorities,
      String whenUnsatisfiable) {
    /** Copies the priorities; a missing list (from Jackson) becomes empty. */
    public Spec {
      priorities = copy(priorities);
    }
  }

  /**
   * Active migration.
   *
   * @param optimizeRulePriority whether to move workloads to higher-priority rules
   */
  public record ActiveMigration(boolean optimizeRulePriority) {}

  /**
   * An {@code {enabled: true|false}} object.
   *
   * @param enabled whether the feature is on
   */
  public record Enabled(boolean enabled) {}

  /**
   * Node pool settings.
   *
   * @param imageStreaming image streaming for the class's nodes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodePoolConfig(@Nullable Enabled imageStreaming) {}

  /**
   * One priority rule.
   *
   * @param machineFamily a machine family such as {@code a3}
   * @param machineType a machine type such as {@code a3-highgpu-2g}
   * @param gpu the GPUs of the node
   * @param tpu the TPUs of the node
   * @param spot whether to use Spot VMs
   * @param reservations reservation affinity
   * @param flexStart flex-start provisioning
   * @param maxRunDurationSeconds how long a node may run before GKE removes it
   * @param maxPodsPerNode the Pods per node
   * @param location zones
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Priority(
      @Nullable String machineFamily,
      @Nullable String machineType,
      @Nullable Gpu gpu,
      @Nullable Tpu tpu,
      @Nullable Boolean spot,
      @Nullable Reservations reservations,
      @Nullable FlexStart flexStart,
      @Nullable Long maxRunDurationSeconds,
      @Nullable Integer maxPodsPerNode,
      @Nullable Location location) {}

  /**
   * GPUs of a rule.
   *
   * @param type the accelerator label
   * @param count GPUs per node
   * @param driverVersion {@code default} or {@code latest}
   * @param gpuSharing MIG, time-sharing or MPS
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gpu(
      String type, int count, @Nullable String driverVersion, @Nullable GpuSharing gpuSharing) {}

  /**
   * GPU sharing.
   *
   * @param gpuPartitionSize a MIG profile such as {@code 1g.10gb}
   * @param maxSharedClientsPerGPU clients per GPU for time-sharing or MPS
   * @param sharingStrategy {@code TIME_SHARING} or {@code MPS}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GpuSharing(
      @Nullable String gpuPartitionSize,
      @JsonProperty("maxSharedClientsPerGPU") @Nullable Integer maxSharedClientsPerGPU,
      @Nullable String sharingStrategy) {}

  /**
   * TPUs of a rule.
   *
   * @param type the TPU accelerator label
   * @param count chips per node
   * @param topology the slice topology
   */
  public record Tpu(String type, int count, String topology) {}

  /**
   * Reservation affinity.
   *
   * @param affinity {@code AnyBestEffort}, {@code Specific} or {@code None}
   * @param specific the reservations, for {@code Specific}
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Reservations(String affinity, List<SpecificReservation> specific) {
    /** Copies the reservations; a missing list (from Jackson) becomes empty. */
    public Reservations {
      specific = copy(specific);
    }
  }

  /**
   * A specific reservation.
   *
   * @param name the reservation name
   * @param project the project of a shared reservation
   * @param reservationBlock a block of the reservation
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SpecificReservation(
      String name, @Nullable String project, @Nullable Named reservationBlock) {}

  /**
   * A {@code {name: ...}} object.
   *
   * @param name the name
   */
  public record Named(String name) {}

  /**
   * Flex-start.
   *
   * @param enabled whether to use flex-start
   * @param nodeRecycling replace nodes before their run duration ends
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FlexStart(boolean enabled, @Nullable NodeRecycling nodeRecycling) {}

  /**
   * Node recycling.
   *
   * @param leadTimeSeconds how long before the end of a node's run GKE starts its replacement
   */
  public record NodeRecycling(long leadTimeSeconds) {}

  /**
   * Location of a rule.
   *
   * @param zones the zones
   */
  public record Location(List<String> zones) {
    /** Copies the zones; a missing list (from Jackson) becomes empty. */
    public Location {
      zones = copy(zones);
    }
  }

  private static <T> List<T> copy(@Nullable List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
