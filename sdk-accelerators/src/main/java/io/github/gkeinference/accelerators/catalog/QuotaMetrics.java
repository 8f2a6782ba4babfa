package io.github.gkeinference.accelerators.catalog;

import java.util.Objects;

/**
 * The Compute Engine regional quota metrics one accelerator consumes: one for on-demand VMs and one
 * for preemptible capacity (Spot VMs and flex-start), as {@code regions.get} reports them in {@code
 * quotas[].metric}. GKE node pools, including TPU slice node pools, consume Compute Engine quota
 * ({@code compute.googleapis.com}), not the Cloud TPU API's ({@code tpu.googleapis.com}):
 * https://cloud.google.com/kubernetes-engine/docs/troubleshooting/tpus.
 *
 * @param label the accelerator label, for example {@code nvidia-l4}
 * @param onDemand the on-demand metric, for example {@code NVIDIA_L4_GPUS}
 * @param preemptible the preemptible metric, for example {@code PREEMPTIBLE_NVIDIA_L4_GPUS}
 * @param source where the metric names were read
 */
public record QuotaMetrics(String label, String onDemand, String preemptible, Source source) {
  /** The Cloud Quotas service whose quotas GKE node pools consume. */
  public static final String COMPUTE_SERVICE = "compute.googleapis.com";

  /** Validates the components. */
  public QuotaMetrics {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(onDemand, "onDemand");
    Objects.requireNonNull(preemptible, "preemptible");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Returns the metric as the Cloud Quotas API names it in {@code QuotaInfo.metric}: the service
   * and the lower-case Compute Engine metric ({@code CPUS} is {@code compute.googleapis.com/cpus}
   * in the Cloud Quotas API's own example,
   * https://cloud.google.com/docs/quotas/implement-common-use-cases).
   *
   * @param metric a Compute Engine metric of this record
   * @return for example {@code compute.googleapis.com/tpu_lite_podslice_v5}
   */
  public static String cloudQuotasMetric(String metric) {
    return COMPUTE_SERVICE + "/" + metric.toLowerCase(java.util.Locale.ROOT);
  }
}
