package io.github.gkeinference.accelerators.computeclass;

/**
 * How a priority rule uses Compute Engine reservations (ComputeClass {@code
 * reservations.affinity}).
 */
public enum ReservationAffinity {
  /** Use any matching reservation, fall back to on-demand capacity. */
  ANY_BEST_EFFORT("AnyBestEffort"),
  /** Use only the named reservations. */
  SPECIFIC("Specific"),
  /** Never use reservations. */
  NONE("None");

  private final String value;

  ReservationAffinity(String value) {
    this.value = value;
  }

  /** Returns the value GKE expects in the manifest. */
  public String value() {
    return value;
  }
}
