package io.github.gkeinference.accelerators.scheduling;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import java.util.ArrayList;
import java.util.List;

/**
 * What a GKE node of a machine type leaves for a workload Pod: capacity minus GKE's kube-reserved
 * CPU and memory, minus the kubelet's hard eviction threshold, minus the requests of the system
 * DaemonSets that run on every such node ({@link #systemPods}), minus a safety margin.
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
 *
 * <h2>System DaemonSets</h2>
 *
 * The requests of the DaemonSets whose manifests are public, per GKE mode and node kind ({@link
 * SystemPod}, each with its source), are summed. GKE's other node agents (fluentbit-gke,
 * gke-metrics-agent, gke-metadata-server, netd or anetd, the managed DCGM exporter on GPU nodes,
 * the TPU device plugin) publish no manifest; {@link #SAFETY_MARGIN_CPU_MILLIS} and {@link
 * #SAFETY_MARGIN_MEMORY} stand for them and for agents GKE adds later. The margin is an SDK
 * estimate, not a published number: a Pod sized by the SDK leaves that much room on the node so
 * that it never stays Pending behind a system Pod.
 */
public final class NodeAllocatable {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  /** The kubelet's hard eviction threshold {@code memory.available} on GKE nodes (100 MiB). */
  static final long EVICTION_HARD_MEMORY = 100 * MIB;

  /**
   * CPU kept free beyond the sourced DaemonSets, in millicores: an SDK estimate for GKE's node
   * agents without a public manifest (see the class comment).
   */
  public static final long SAFETY_MARGIN_CPU_MILLIS = 500;

  /** The memory counterpart of {@link #SAFETY_MARGIN_CPU_MILLIS} (1 GiB), also an estimate. */
  public static final long SAFETY_MARGIN_MEMORY = GIB;

  /** How the cluster is run. */
  public enum Mode {
    /** GKE Standard: node pools the user manages. */
    STANDARD,
    /**
     * GKE Autopilot: nodes GKE manages; always GKE Dataplane V2, so no kube-proxy
     * (https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2).
     */
    AUTOPILOT
  }

  /** The kind of accelerator node. */
  public enum NodeKind {
    /** A node with NVIDIA GPUs. */
    GPU,
    /** A TPU VM. */
    TPU
  }

  /**
   * One system DaemonSet's requests on a node, summed over its containers, with where they come
   * from.
   *
   * @param name the DaemonSet
   * @param cpuMillis its CPU request in millicores
   * @param memoryBytes its memory request in bytes
   * @param source the manifest the numbers come from (repository, path and commit or version)
   */
  public record SystemPod(String name, long cpuMillis, long memoryBytes, String source) {}

  /** The NVIDIA device plugin GKE deploys on GPU nodes: 50m CPU, 20Mi memory. */
  static final SystemPod NVIDIA_DEVICE_PLUGIN =
      new SystemPod(
          "nvidia-gpu-device-plugin",
          50,
          20 * MIB,
          "GoogleCloudPlatform/container-engine-accelerators cmd/nvidia_gpu/device-plugin.yaml"
              + " @189e7b13 (the file notes that GKE deploys its own copy)");

  /**
   * The Cloud Storage FUSE CSI node plugin: the driver (5m, 10Mi) and its registrar (10m, 10Mi).
   */
  static final SystemPod GCS_FUSE_CSI_NODE =
      new SystemPod(
          "gcsfusecsi-node",
          15,
          20 * MIB,
          "GoogleCloudPlatform/gcs-fuse-csi-driver deploy/base/node/node.yaml @f8d07ede");

  /**
   * The Managed Prometheus collector: prometheus (4m, 32M) and config-reloader (1m, 4M); M is 10^6
   * bytes.
   */
  static final SystemPod GMP_COLLECTOR =
      new SystemPod(
          "collector (gmp-system)",
          5,
          36_000_000L,
          "GoogleCloudPlatform/prometheus-engine manifests/operator.yaml v0.13.0 @00fc0a68");

  /**
   * kube-proxy on Standard nodes without Dataplane V2: 100m CPU, 50Mi memory (the defaults of
   * {@code KUBE_PROXY_CPU_REQUEST} and {@code KUBE_PROXY_MEMORY_REQUEST}). Counted for every
   * Standard node, since the SDK does not know whether the cluster uses Dataplane V2.
   */
  static final SystemPod KUBE_PROXY =
      new SystemPod(
          "kube-proxy",
          100,
          50 * MIB,
          "kubernetes/kubernetes cluster/gce/gci/configure-helper.sh"
              + " (prepare-kube-proxy-manifest-variables)");

  private NodeAllocatable() {}

  /**
   * Returns the system DaemonSets with public requests that run on every node of a mode and kind.
   *
   * @param mode Standard or Autopilot
   * @param kind GPU or TPU node
   * @return the DaemonSets, with sources
   */
  public static List<SystemPod> systemPods(Mode mode, NodeKind kind) {
    List<SystemPod> pods = new ArrayList<>();
    if (kind == NodeKind.GPU) {
      pods.add(NVIDIA_DEVICE_PLUGIN);
    }
    pods.add(GCS_FUSE_CSI_NODE);
    pods.add(GMP_COLLECTOR);
    if (mode == Mode.STANDARD) {
      pods.add(KUBE_PROXY);
    }
    return List.copyOf(pods);
  }

  /**
   * Returns the CPU, in millicores, that the SDK keeps free on a node for system Pods: the sourced
   * DaemonSets' requests plus the safety margin.
   *
   * @param mode Standard or Autopilot
   * @param kind GPU or TPU node
   * @return the headroom in millicores
   */
  public static long headroomCpuMillis(Mode mode, NodeKind kind) {
    return SAFETY_MARGIN_CPU_MILLIS
        + systemPods(mode, kind).stream().mapToLong(SystemPod::cpuMillis).sum();
  }

  /**
   * Returns the memory, in bytes, that the SDK keeps free on a node for system Pods: the sourced
   * DaemonSets' requests plus the safety margin.
   *
   * @param mode Standard or Autopilot
   * @param kind GPU or TPU node
   * @return the headroom in bytes
   */
  public static long headroomMemory(Mode mode, NodeKind kind) {
    return SAFETY_MARGIN_MEMORY
        + systemPods(mode, kind).stream().mapToLong(SystemPod::memoryBytes).sum();
  }

  /**
   * Returns the CPU, in millicores, a node of this shape leaves for workload Pods after the
   * headroom for system Pods.
   *
   * @param shape the machine shape
   * @param mode Standard or Autopilot
   * @return the CPU left, never negative
   */
  public static long cpuMillis(MachineShape shape, Mode mode) {
    long capacity = shape.vcpus() * 1000L;
    return Math.max(
        0, capacity - reservedCpuMillis(capacity) - headroomCpuMillis(mode, kind(shape)));
  }

  /**
   * Returns the memory, in bytes, a node of this shape leaves for workload Pods after the headroom
   * for system Pods.
   *
   * @param shape the machine shape
   * @param mode Standard or Autopilot
   * @return the memory left, never negative
   */
  public static long memoryBytes(MachineShape shape, Mode mode) {
    long capacity = shape.memoryBytes();
    return Math.max(
        0,
        capacity
            - reservedMemory(capacity)
            - EVICTION_HARD_MEMORY
            - headroomMemory(mode, kind(shape)));
  }

  /** Returns {@link #cpuMillis(MachineShape, Mode)} on a Standard node, the SDK's default. */
  static long cpuMillis(MachineShape shape) {
    return cpuMillis(shape, Mode.STANDARD);
  }

  /** Returns {@link #memoryBytes(MachineShape, Mode)} on a Standard node, the SDK's default. */
  static long memoryBytes(MachineShape shape) {
    return memoryBytes(shape, Mode.STANDARD);
  }

  /** Returns whether the shape's accelerator is a GPU or a TPU. */
  static NodeKind kind(MachineShape shape) {
    return AcceleratorCatalog.standard()
            .byLabel(shape.acceleratorLabel())
            .map(AcceleratorType::isTpu)
            .orElse(shape.acceleratorLabel().startsWith("tpu"))
        ? NodeKind.TPU
        : NodeKind.GPU;
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
