package io.github.gkeinference.accelerators.scheduling;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.ResolvedShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduling of one Pod on an accelerator, ready to copy into a Pod template: the node
 * selector, the main container's resources and the tolerations.
 *
 * <h2>Tolerations</h2>
 *
 * GKE taints GPU nodes {@code nvidia.com/gpu=present:NoSchedule} and its {@code
 * ExtendedResourceToleration} admission controller adds the matching toleration to every Pod that
 * requests {@code nvidia.com/gpu} (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus), so
 * GPU Pods get none from the SDK. Nodes that GKE creates for a ComputeClass are tainted by GKE,
 * which also adds the toleration to Pods that select the class, so ComputeClass Pods get none
 * either. TPU nodes carry {@code google.com/tpu=present:NoSchedule}; the source for that taint and
 * for GKE adding the toleration is only secondary (AI-Hypercomputer/xpk
 * src/xpk/core/system_characteristics.py; kubernetes-sigs/lws v0.10.0
 * pkg/utils/accelerators/tpu.go), so the SDK adds the toleration itself in node-selector mode, as
 * the public TPU samples do. It is harmless when GKE adds it too.
 *
 * <h2>CPU and memory</h2>
 *
 * The main container requests its share of the node: (devices requested / devices of the machine
 * type) times what the node leaves for Pods (capacity minus GKE's kube-reserved CPU and memory and
 * the 100 MiB eviction threshold, minus the headroom {@link NodeAllocatable} keeps for GKE's system
 * DaemonSets on a Standard node, minus the sidecars' requests), rounded down to whole 100m and
 * whole MiB. The memory limit equals the request, so the server cannot take memory from its
 * neighbours; there is no CPU limit, so it is never throttled. A fractional G4 VM is one whole node
 * for one Pod.
 */
public final class PodScheduling {
  private static final long MIB = 1L << 20;

  private final AcceleratorType accelerator;
  private final MachineShape machine;
  private final int devices;
  private final Map<String, String> nodeSelector;
  private final boolean tpuToleration;
  private final long cpuMillis;
  private final long memoryBytes;

  private PodScheduling(
      AcceleratorType accelerator,
      MachineShape machine,
      int devices,
      Map<String, String> nodeSelector,
      boolean tpuToleration,
      long cpuMillis,
      long memoryBytes) {
    this.accelerator = accelerator;
    this.machine = machine;
    this.devices = devices;
    this.nodeSelector = Map.copyOf(nodeSelector);
    this.tpuToleration = tpuToleration;
    this.cpuMillis = cpuMillis;
    this.memoryBytes = memoryBytes;
  }

  static PodScheduling of(ResolvedShape resolved, AcceleratorPlacement p) {
    AcceleratorType type = resolved.accelerator();
    MachineShape shape = resolved.machine();
    Map<String, String> selector = new LinkedHashMap<>();
    boolean classMode = p.computeClass().isPresent();
    if (classMode) {
      selector.put(AcceleratorPlacement.COMPUTE_CLASS_LABEL, p.computeClass().get());
    } else {
      selector.put(type.kind().nodeLabel(), type.label());
      p.tpuTopology().ifPresent(t -> selector.put(AcceleratorPlacement.TPU_TOPOLOGY_LABEL, t));
      p.machineType().ifPresent(m -> selector.put(AcceleratorPlacement.INSTANCE_TYPE_LABEL, m));
    }
    double share = shape.fractional() ? 1.0 : (double) p.devices() / shape.devices();
    long cpu = (long) (share * (NodeAllocatable.cpuMillis(shape) - p.sidecarCpuMillis()));
    long memory = (long) (share * (NodeAllocatable.memoryBytes(shape) - p.sidecarMemoryBytes()));
    return new PodScheduling(
        type,
        shape,
        p.devices(),
        selector,
        type.isTpu() && !classMode,
        Math.max(0, cpu / 100 * 100),
        Math.max(0, memory / MIB * MIB));
  }

  /** Returns the accelerator. */
  public AcceleratorType accelerator() {
    return accelerator;
  }

  /** Returns the machine shape the Pod was sized for. */
  public MachineShape machine() {
    return machine;
  }

  /** Returns the devices the Pod requests. */
  public int devices() {
    return devices;
  }

  /** Returns the node selector, in a stable order. */
  public Map<String, String> nodeSelector() {
    return new LinkedHashMap<>(nodeSelector);
  }

  /** Returns the tolerations the Pod needs beyond those GKE adds (see the class comment). */
  public List<Toleration> tolerations() {
    if (!tpuToleration) {
      return List.of();
    }
    return List.of(
        new TolerationBuilder()
            .withKey(accelerator.kind().resourceName())
            .withOperator("Exists")
            .withEffect("NoSchedule")
            .build());
  }

  /** Returns the CPU request in millicores. */
  public long cpuMillis() {
    return cpuMillis;
  }

  /** Returns the memory request (and limit) in bytes; a whole number of MiB. */
  public long memoryBytes() {
    return memoryBytes;
  }

  /**
   * Returns the main container's resources: devices (request = limit), CPU request, memory request
   * = limit. A fresh object on every call.
   */
  public ResourceRequirements resources() {
    Quantity deviceCount = new Quantity(String.valueOf(devices));
    Quantity cpu = new Quantity(cpuMillis + "m");
    Quantity memory = new Quantity(memoryBytes / MIB + "Mi");
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put(accelerator.kind().resourceName(), deviceCount);
    requests.put("cpu", cpu);
    requests.put("memory", memory);
    Map<String, Quantity> limits = new LinkedHashMap<>();
    limits.put(accelerator.kind().resourceName(), new Quantity(String.valueOf(devices)));
    limits.put("memory", new Quantity(memoryBytes / MIB + "Mi"));
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  @Override
  public String toString() {
    return "PodScheduling{"
        + accelerator.label()
        + " x"
        + devices
        + " on "
        + machine.machineType()
        + ", cpu="
        + cpuMillis
        + "m, memory="
        + memoryBytes / MIB
        + "Mi, nodeSelector="
        + nodeSelector
        + '}';
  }
}
