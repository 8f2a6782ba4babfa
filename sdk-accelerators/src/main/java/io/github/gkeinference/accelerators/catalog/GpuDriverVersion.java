package io.github.gkeinference.accelerators.catalog;

/**
 * Which NVIDIA driver GKE installs on GPU nodes
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus#installing_drivers: gcloud {@code
 * gpu-driver-version}, API {@code GPUDriverInstallationConfig.GPUDriverVersion}, ComputeClass
 * {@code gpu.driverVersion}).
 */
public enum GpuDriverVersion {
  /** The default driver of the GKE version. */
  DEFAULT,
  /** The latest driver; Container-Optimized OS only. */
  LATEST,
  /** No driver: you install it yourself. Node pools only; a ComputeClass cannot say this. */
  DISABLED
}
