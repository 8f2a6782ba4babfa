package io.github.gkeinference.accelerators.scheduling;

import io.github.gkeinference.accelerators.catalog.MachineShape;

/**
 * What a GKE node of a machine type leaves for Pods: capacity minus GKE's kube-reserved CPU and
 * memory, minus the kubelet's hard eviction threshold, minus an estimate for GKE's own DaemonSets.
 *
 * <p>The reserve brackets are GKE's published "allocatable resources" rule for Standard nodes (GKE
 * docs "Plan GKE Standard node sizes"; the same brackets are in kubernetes/autoscaler {@code
 * cluster-autoscaler/cloudprovider/gce/reserved.go}, which predicts GKE's allocatable):
 *
 * <ul>
 *   <li>memory: 255 MiB below 1 GiB; otherwise 25% of the first 4 GiB, 20% of the next 4 GiB, 10%
 *       of the next 8 GiB, 6% of the next 112 GiB and 2% of the rest; plus a 100 MiB hard eviction
 *       threshold;
 *   <li>CPU: 6% of the first core, 1% of the second, 0.5% of the next two and 0.25% of the rest.
 * </ul>
 */
final class NodeAllocatable {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  /** The kubelet's hard eviction threshold {@code memory.available} on GKE nodes (100 MiB). */
  static final long EVICTION_HARD_MEMORY = 100 * MIB;

  /**
   * An estimate of what GKE's system DaemonSets on an accelerator node request (logging, metrics,
   * kube-proxy or dataplane, the GPU device plugin, the GCS FUSE and other CSI node plugins). Not a
   * published number: a deliberate margin so that accelerator Pods sized by the SDK never leave a
   * system Pod unschedulable.
   */
  static final long SYSTEM_DAEMONSETS_CPU_MILLIS = 500;

  /** The memory counterpart of {@link #SYSTEM_DAEMONSETS_CPU_MILLIS} (1 GiB), also an estimate. */
  static final long SYSTEM_DAEMONSETS_MEMORY = GIB;

  private NodeAllocatable() {}

  /** Returns the CPU, in millicores, left for workload Pods on one node of this shape. */
  static long cpuMillis(MachineShape shape) {
    long capacity = shape.vcpus() * 1000L;
    return Math.max(0, capacity - reservedCpuMillis(capacity) - SYSTEM_DAEMONSETS_CPU_MILLIS);
  }

  /** Returns the memory, in bytes, left for workload Pods on one node of this shape. */
  static long memoryBytes(MachineShape shape) {
    long capacity = shape.memoryBytes();
    return Math.max(
        0, capacity - reservedMemory(capacity) - EVICTION_HARD_MEMORY - SYSTEM_DAEMONSETS_MEMORY);
  }

  /** GKE's kube-reserved CPU for a capacity in millicores. */
  static long reservedCpuMillis(long capacityMillis) {
    return bracketed(
        capacityMillis, new long[] {0, 1000, 2000, 4000}, new double[] {0.06, 0.01, 0.005, 0.0025});
  }

  /** GKE's kube-reserved memory for a capacity in bytes. */
  static long reservedMemory(long capacity) {
    if (capacity < GIB) {
      return 255 * MIB;
    }
    return bracketed(
        capacity,
        new long[] {0, 4 * GIB, 8 * GIB, 16 * GIB, 128 * GIB},
        new double[] {0.25, 0.20, 0.10, 0.06, 0.02});
  }

  /**
   * Sums {@code rate[i]} over the part of {@code capacity} between {@code from[i]} and the next.
   */
  private static long bracketed(long capacity, long[] from, double[] rate) {
    double reserved = 0;
    for (int i = 0; i < from.length; i++) {
      long upper = i + 1 < from.length ? Math.min(capacity, from[i + 1]) : capacity;
      if (upper > from[i]) {
        reserved += (upper - from[i]) * rate[i];
      }
    }
    return (long) reserved;
  }
}
