package io.github.gkeinference.accelerators.catalog;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Compute Engine machine type that carries an accelerator, with its device count and size.
 *
 * @param machineType the machine type, for example {@code g2-standard-24}
 * @param acceleratorLabel the accelerator label of its devices, for example {@code nvidia-l4}
 * @param devices the devices of that accelerator on one VM (the {@code count} GKE requires in the
 *     accelerator config; 1 for fractional shapes)
 * @param deviceFraction the share of one physical device the VM gets: 1 normally, 1/2, 1/4 or 1/8
 *     for fractional G4 shapes
 * @param vcpus the VM's vCPUs
 * @param memoryGb the VM's memory in GB, as Compute Engine states it
 * @param deviceSource the source for the device count
 * @param shapeSource the source for vCPUs and memory
 * @param restriction a provisioning restriction in words (for example "Spot or flex-start only"),
 *     or {@code null}
 * @param minGkeVersion the oldest GKE version that supports this machine type, or {@code null} when
 *     the catalog knows of no minimum beyond the accelerator's
 */
public record MachineShape(
    String machineType,
    String acceleratorLabel,
    int devices,
    double deviceFraction,
    int vcpus,
    double memoryGb,
    Source deviceSource,
    Source shapeSource,
    @Nullable String restriction,
    @Nullable String minGkeVersion) {

  /** Validates the components. */
  public MachineShape {
    Objects.requireNonNull(machineType, "machineType");
    Objects.requireNonNull(acceleratorLabel, "acceleratorLabel");
    Objects.requireNonNull(deviceSource, "deviceSource");
    Objects.requireNonNull(shapeSource, "shapeSource");
    if (devices < 1 || vcpus < 1 || memoryGb <= 0 || deviceFraction <= 0 || deviceFraction > 1) {
      throw new IllegalArgumentException("impossible machine shape " + machineType);
    }
  }

  /** Returns whether the VM gets only part of one physical device (fractional G4). */
  public boolean fractional() {
    return deviceFraction < 1;
  }

  /** Returns the VM's memory in bytes (Compute Engine GB are 2^30 bytes). */
  public long memoryBytes() {
    return (long) (memoryGb * (1L << 30));
  }

  /** Returns the provisioning restriction, if any. */
  public Optional<String> restrictionText() {
    return Optional.ofNullable(restriction);
  }
}
