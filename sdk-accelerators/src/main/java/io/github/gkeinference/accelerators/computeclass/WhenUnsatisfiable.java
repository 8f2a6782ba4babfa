package io.github.gkeinference.accelerators.computeclass;

/**
 * What GKE does when no priority rule can be satisfied (ComputeClass {@code whenUnsatisfiable}).
 */
public enum WhenUnsatisfiable {
  /** Leave Pods pending until a rule can be satisfied (the CRD schema's default). */
  DO_NOT_SCALE_UP("DoNotScaleUp"),
  /** Create nodes of a default machine type anyway; never useful for accelerator classes. */
  SCALE_UP_ANYWAY("ScaleUpAnyway");

  private final String value;

  WhenUnsatisfiable(String value) {
    this.value = value;
  }

  /** Returns the value GKE expects in the manifest. */
  public String value() {
    return value;
  }
}
