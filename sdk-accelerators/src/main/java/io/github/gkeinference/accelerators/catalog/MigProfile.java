package io.github.gkeinference.accelerators.catalog;

import java.util.Objects;

/**
 * One multi-instance GPU (MIG) partition size GKE accepts for a GPU.
 *
 * @param name the partition size, for example {@code 1g.10gb}, as used in {@code
 *     AcceleratorConfig.gpu_partition_size} and the node label {@code
 *     cloud.google.com/gke-gpu-partition-size}
 * @param maxInstances how many partitions of this size one GPU holds
 */
public record MigProfile(String name, int maxInstances) {
  /** Validates the components. */
  public MigProfile {
    Objects.requireNonNull(name, "name");
  }
}
