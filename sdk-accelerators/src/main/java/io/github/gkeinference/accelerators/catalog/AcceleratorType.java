package io.github.gkeinference.accelerators.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One GKE accelerator: its label value, device memory, machine types, MIG profiles and TPU
 * topologies, each fact with its source.
 *
 * @param label the accelerator label value, for example {@code nvidia-l4} or {@code tpu-v6e-slice}
 * @param displayName a human name, for example {@code NVIDIA L4}
 * @param kind GPU or TPU
 * @param memoryBytes the memory of one device (GPU) or chip (TPU) in bytes, converted from the unit
 *     its source states (GB = 10^9 bytes, GiB = 2^30 bytes)
 * @param memoryText the memory as its source states it, for example {@code 24 GB GDDR6}
 * @param memorySource the source for the memory
 * @param labelSource the source for the label value
 * @param machineShapes the machine types that carry this accelerator (for TPUs, one per VM type)
 * @param migProfiles the MIG partition sizes GKE accepts; empty when the GPU has none or is a TPU
 * @param topologies the TPU slice shapes; empty for GPUs
 * @param minGkeVersion the oldest GKE version that supports this accelerator, or {@code null} when
 *     the facts sheet gives none
 * @param performance the device's peak speeds for the performance model, or {@code null} when the
 *     catalog has none
 */
public record AcceleratorType(
    String label,
    String displayName,
    DeviceKind kind,
    long memoryBytes,
    String memoryText,
    Source memorySource,
    Source labelSource,
    List<MachineShape> machineShapes,
    List<MigProfile> migProfiles,
    List<TpuTopology> topologies,
    @Nullable String minGkeVersion,
    @Nullable DevicePerformance performance) {

  /** Validates the components and copies the lists. */
  public AcceleratorType {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(memoryText, "memoryText");
    Objects.requireNonNull(memorySource, "memorySource");
    Objects.requireNonNull(labelSource, "labelSource");
    machineShapes = List.copyOf(machineShapes);
    migProfiles = List.copyOf(migProfiles);
    topologies = List.copyOf(topologies);
  }

  /** Returns whether this is a GPU. */
  public boolean isGpu() {
    return kind == DeviceKind.GPU;
  }

  /** Returns whether this is a TPU. */
  public boolean isTpu() {
    return kind == DeviceKind.TPU;
  }

  /**
   * Returns the machine shape of a machine type, when it carries this accelerator.
   *
   * @param machineType the machine type
   * @return the shape, or empty
   */
  public Optional<MachineShape> shape(String machineType) {
    return machineShapes.stream().filter(s -> s.machineType().equals(machineType)).findFirst();
  }

  /**
   * Returns the machine types that carry exactly {@code devices} whole devices, smallest VM first.
   *
   * @param devices the device count
   * @return the shapes, possibly empty
   */
  public List<MachineShape> shapesWith(int devices) {
    return machineShapes.stream()
        .filter(s -> s.devices() == devices && !s.fractional())
        .sorted(Comparator.comparingInt(MachineShape::vcpus))
        .toList();
  }

  /** Returns the largest whole-device count one VM of this accelerator carries. */
  public int maxDevicesPerMachine() {
    return machineShapes.stream()
        .filter(s -> !s.fractional())
        .mapToInt(MachineShape::devices)
        .max()
        .orElse(0);
  }

  /**
   * Returns the TPU topology with this name on this machine type.
   *
   * @param topology the topology text
   * @param machineType the machine type
   * @return the topology, or empty
   */
  public Optional<TpuTopology> topology(String topology, String machineType) {
    return topologies.stream()
        .filter(t -> t.topology().equals(topology) && t.machineType().equals(machineType))
        .findFirst();
  }

  /**
   * Returns the TPU topologies with this name, on any machine type.
   *
   * @param topology the topology text
   * @return the topologies, possibly empty
   */
  public List<TpuTopology> topologies(String topology) {
    return topologies.stream().filter(t -> t.topology().equals(topology)).toList();
  }

  /**
   * Returns the MIG profile with this name.
   *
   * @param name for example {@code 1g.10gb}
   * @return the profile, or empty
   */
  public Optional<MigProfile> migProfile(String name) {
    return migProfiles.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Returns the device's peak speeds, if the catalog has them. */
  public Optional<DevicePerformance> performanceFacts() {
    return Optional.ofNullable(performance);
  }

  /** Returns the minimum GKE version, if the facts sheet gives one. */
  public Optional<String> minimumGkeVersion() {
    return Optional.ofNullable(minGkeVersion);
  }
}
