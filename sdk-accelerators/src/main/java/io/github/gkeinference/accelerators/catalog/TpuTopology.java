package io.github.gkeinference.accelerators.catalog;

import java.util.Objects;

/**
 * One TPU slice shape GKE can create: a topology on a machine type.
 *
 * @param topology the topology, for example {@code 2x4} or {@code 2x2x1}, as in the node label
 *     {@code cloud.google.com/gke-tpu-topology} and {@code NodePool.placement_policy.tpu_topology}
 * @param machineType the TPU VM machine type, for example {@code ct5lp-hightpu-4t}
 * @param chipsPerVm the chips on one VM (the machine type's {@code -Nt} suffix)
 * @param source where this combination comes from
 */
public record TpuTopology(String topology, String machineType, int chipsPerVm, Source source) {
  /** Validates the components. */
  public TpuTopology {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(machineType, "machineType");
    Objects.requireNonNull(source, "source");
    if (chipsOf(topology) % chipsPerVm != 0) {
      throw new IllegalArgumentException(topology + " is not a multiple of " + chipsPerVm);
    }
  }

  /** Returns the chips of the whole slice: the product of the topology's dimensions. */
  public int chips() {
    return chipsOf(topology);
  }

  /** Returns the VMs of the slice: chips / chips per VM (xpk {@code compute_vms_per_slice}). */
  public int vms() {
    return chips() / chipsPerVm;
  }

  /**
   * Returns whether the slice spans more than one VM
   * (https://cloud.google.com/kubernetes-engine/docs/concepts/tpus; kubernetes-sigs/lws v0.10.0
   * pkg/utils/accelerators/tpu.go).
   */
  public boolean multiHost() {
    return vms() > 1;
  }

  /**
   * Returns the product of a topology's dimensions, or 0 when the text is not a topology.
   *
   * @param topology text such as {@code 2x2x1}
   * @return the chip count, 0 for malformed text
   */
  public static int chipsOf(String topology) {
    if (!topology.matches("[1-9][0-9]{0,2}(x[1-9][0-9]{0,2}){1,2}")) {
      return 0;
    }
    int chips = 1;
    for (String d : topology.split("x")) {
      chips *= Integer.parseInt(d);
    }
    return chips;
  }
}
