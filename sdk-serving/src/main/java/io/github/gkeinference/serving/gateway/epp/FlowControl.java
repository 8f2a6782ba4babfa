package io.github.gkeinference.serving.gateway.epp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The picker's flow control: requests wait in the picker, served by priority band, then by the
 * band's fairness policy between flows, then by its ordering policy
 * (kubernetes-sigs/gateway-api-inference-extension v1.5.0 site-src/guides/flow-control.md and
 * apix/config/v1alpha1/endpointpickerconfig_types.go). Rendering it also turns on the {@code
 * flowControl} feature gate, without which the picker ignores the section.
 *
 * @param priorityBands the explicitly configured priority levels
 */
public record FlowControl(List<PriorityBand> priorityBands) {
  /** Copies the list. */
  public FlowControl {
    priorityBands = List.copyOf(priorityBands);
  }

  /**
   * Returns flow control with these bands.
   *
   * @param bands the bands
   * @return the configuration
   */
  public static FlowControl of(PriorityBand... bands) {
    return new FlowControl(Arrays.asList(bands));
  }

  /**
   * One priority level.
   *
   * @param priority the level; higher is served first
   * @param maxRequests the band's cap on queued requests; 0 for none
   * @param fairnessPolicyRef the fairness policy between flows, for example {@code
   *     round-robin-fairness-policy}; upstream defaults to {@code global-strict-fairness-policy}
   * @param orderingPolicyRef the ordering inside a flow; upstream defaults to {@code
   *     fcfs-ordering-policy}
   */
  public record PriorityBand(
      int priority, long maxRequests, String fairnessPolicyRef, String orderingPolicyRef) {
    /** Checks for null. */
    public PriorityBand {
      Objects.requireNonNull(fairnessPolicyRef, "fairnessPolicyRef");
      Objects.requireNonNull(orderingPolicyRef, "orderingPolicyRef");
    }

    /**
     * Returns a band with upstream's default policies and no request cap.
     *
     * @param priority the level
     * @param fairnessPolicyRef the fairness policy
     * @return the band
     */
    public static PriorityBand of(int priority, String fairnessPolicyRef) {
      return new PriorityBand(
          priority, 0, fairnessPolicyRef, KnownPlugin.FCFS_ORDERING_POLICY.type());
    }
  }
}
