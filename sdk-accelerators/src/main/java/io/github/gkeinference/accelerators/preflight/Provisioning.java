package io.github.gkeinference.accelerators.preflight;

import io.github.gkeinference.accelerators.computeclass.PriorityRule;
import io.github.gkeinference.accelerators.computeclass.ReservationAffinity;

/**
 * How a ComputeClass priority obtains its VMs, which decides the quota it consumes.
 *
 * <p>On-demand VMs consume the regular GPU/TPU quota; Spot VMs consume the preemptible quota
 * (https://cloud.google.com/compute/resource-usage#gpu_quota: "Preemptible GPU quota" applies to
 * Spot VMs), and so do flex-start VMs
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/dws; quoted so in public GKE runbooks,
 * not re-checked on the page); a specific reservation's capacity was taken from quota when it was
 * reserved, and preflight does not read reservations. A best-effort reservation ({@code
 * AnyBestEffort}) falls back to on-demand VMs when no reservation matches, so it is checked as
 * on-demand.
 */
public enum Provisioning {
  /** Regular VMs: the on-demand quota metric. */
  ON_DEMAND,
  /** Spot VMs: the preemptible quota metric. */
  SPOT,
  /** Flex-start (Dynamic Workload Scheduler): the preemptible quota metric. */
  FLEX_START,
  /** A specific reservation: no quota is consumed at deployment. */
  RESERVATION;

  /** Returns whether this consumes the preemptible quota metric. */
  public boolean preemptibleQuota() {
    return this == SPOT || this == FLEX_START;
  }

  /**
   * Returns how one ComputeClass priority provisions.
   *
   * @param rule the priority rule
   * @return its provisioning
   */
  public static Provisioning of(PriorityRule rule) {
    if (rule.flexStart()) {
      return FLEX_START;
    }
    if (rule.spot().orElse(false)) {
      return SPOT;
    }
    if (rule.reservation().orElse(ReservationAffinity.NONE) == ReservationAffinity.SPECIFIC) {
      return RESERVATION;
    }
    return ON_DEMAND;
  }
}
