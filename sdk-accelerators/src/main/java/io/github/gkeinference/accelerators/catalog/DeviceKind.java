package io.github.gkeinference.accelerators.catalog;

/** Whether an accelerator is an NVIDIA GPU or a Cloud TPU, with the GKE names that go with it. */
public enum DeviceKind {
  /** An NVIDIA GPU, requested as {@code nvidia.com/gpu}. */
  GPU("nvidia.com/gpu", "cloud.google.com/gke-accelerator"),
  /** A Cloud TPU chip, requested as {@code google.com/tpu}. */
  TPU("google.com/tpu", "cloud.google.com/gke-tpu-accelerator");

  private final String resourceName;
  private final String nodeLabel;

  DeviceKind(String resourceName, String nodeLabel) {
    this.resourceName = resourceName;
    this.nodeLabel = nodeLabel;
  }

  /**
   * Returns the extended resource name Pods request (gke-facts.md sections 1.1 and 2.1: {@code
   * nvidia.com/gpu}, {@code google.com/tpu}).
   */
  public String resourceName() {
    return resourceName;
  }

  /**
   * Returns the node label whose value is the accelerator label (gke-facts.md sections 1.1 and
   * 2.1).
   */
  public String nodeLabel() {
    return nodeLabel;
  }
}
