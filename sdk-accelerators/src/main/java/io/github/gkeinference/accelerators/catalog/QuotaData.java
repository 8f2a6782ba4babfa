package io.github.gkeinference.accelerators.catalog;

import java.util.List;

/**
 * The quota metrics of the catalog's accelerators, each with its source. Accelerators whose metric
 * names no source read for the catalog confirms are absent, so that preflight says "not checked"
 * instead of checking a guessed name.
 */
final class QuotaData {
  /** The metric list of the Compute Engine API itself, as the pinned client library ships it. */
  private static final Source COMPUTE_ENUM =
      Source.verified(
          "https://cloud.google.com/compute/resource-usage#gpu_quota; googleapis/google-cloud-java"
              + " java-compute proto-google-cloud-compute-v1 1.98.0"
              + " com.google.cloud.compute.v1.Quota.Metric");

  /**
   * Names the GPU quota page lists but the 1.98.0 {@code Quota.Metric} enum does not (the enum lags
   * the API; {@code quotas[].metric} is a string): read in public GKE runbooks that quote the page,
   * not re-checked on the page itself.
   */
  private static final Source GPU_QUOTA_PAGE =
      Source.secondary(
          "https://cloud.google.com/compute/resource-usage#gpu_quota (quoted by public GKE"
              + " runbooks; not in the Quota.Metric enum of proto-google-cloud-compute-v1 1.98.0)");

  /** The TPU metrics of the Compute Engine enum, which GKE TPU slice node pools consume. */
  private static final Source TPU_ENUM =
      Source.verified(
          "https://cloud.google.com/kubernetes-engine/docs/troubleshooting/tpus (Compute Engine"
              + " quota for GKE TPU node pools); googleapis/google-cloud-java java-compute"
              + " proto-google-cloud-compute-v1 1.98.0 com.google.cloud.compute.v1.Quota.Metric");

  private QuotaData() {}

  static List<QuotaMetrics> all() {
    return List.of(
        gpu("nvidia-tesla-t4", "NVIDIA_T4_GPUS", COMPUTE_ENUM),
        gpu("nvidia-l4", "NVIDIA_L4_GPUS", COMPUTE_ENUM),
        gpu("nvidia-tesla-a100", "NVIDIA_A100_GPUS", COMPUTE_ENUM),
        gpu("nvidia-a100-80gb", "NVIDIA_A100_80GB_GPUS", COMPUTE_ENUM),
        // PREEMPTIBLE_NVIDIA_H100_GPUS is in the enum, NVIDIA_H100_GPUS is not.
        gpu("nvidia-h100-80gb", "NVIDIA_H100_GPUS", GPU_QUOTA_PAGE),
        gpu("nvidia-h100-mega-80gb", "NVIDIA_H100_MEGA_GPUS", GPU_QUOTA_PAGE),
        gpu("nvidia-h200-141gb", "NVIDIA_H200_GPUS", GPU_QUOTA_PAGE),
        gpu("nvidia-b200", "NVIDIA_B200_GPUS", GPU_QUOTA_PAGE),
        gpu("nvidia-gb200", "NVIDIA_GB200_GPUS", GPU_QUOTA_PAGE),
        tpu("tpu-v4-podslice", "TPU_PODSLICE_V4"),
        tpu("tpu-v5-lite-podslice", "TPU_LITE_PODSLICE_V5"));
  }

  private static QuotaMetrics gpu(String label, String metric, Source source) {
    return new QuotaMetrics(label, metric, "PREEMPTIBLE_" + metric, source);
  }

  private static QuotaMetrics tpu(String label, String metric) {
    return new QuotaMetrics(label, metric, "PREEMPTIBLE_" + metric, TPU_ENUM);
  }
}
