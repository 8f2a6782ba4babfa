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
   * Returns the extended resource name Pods request
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus; AI-Hypercomputer/xpk
   * src/xpk/core/system_characteristics.py; kubernetes-sigs/lws v0.10.0
   * pkg/utils/accelerators/tpu.go: {@code nvidia.com/gpu}, {@code google.com/tpu}).
   */
  public String resourceName() {
    return resourceName;
  }

  /**
   * Returns the node label whose value is the accelerator label
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus; AI-Hypercomputer/xpk
   * src/xpk/core/system_characteristics.py; kubernetes-sigs/lws v0.10.0
   * pkg/utils/accelerators/tpu.go).
   */
  public String nodeLabel() {
    return nodeLabel;
  }
}
