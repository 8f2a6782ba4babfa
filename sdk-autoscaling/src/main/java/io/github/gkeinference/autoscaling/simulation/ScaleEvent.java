package io.github.gkeinference.autoscaling.simulation;

/**
 * One change of the target's replica count by the HPA.
 *
 * @param second when, in seconds from the start
 * @param from replicas before
 * @param to replicas after
 */
public record ScaleEvent(long second, int from, int to) {
  /** Returns whether this event added replicas. */
  public boolean isScaleUp() {
    return to > from;
  }
}
