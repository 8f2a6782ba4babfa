package io.github.gkeinference.observability;

import java.util.Locale;
import java.util.Objects;

/**
 * One Prometheus metric of a model server, as scraped by Managed Prometheus.
 *
 * @param name the Prometheus name, for example {@code vllm:num_requests_waiting}
 * @param kind gauge, counter or histogram
 * @param unit what one unit of the value means
 */
public record ServerMetric(String name, Kind kind, Unit unit) {

  /** The Prometheus metric kinds, as Managed Prometheus suffixes them in Cloud Monitoring. */
  public enum Kind {
    /** A gauge. */
    GAUGE,
    /** A monotonic counter. */
    COUNTER,
    /** A histogram (buckets, sum and count). */
    HISTOGRAM
  }

  /** The unit of a metric's value. */
  public enum Unit {
    /** Seconds. */
    SECONDS,
    /** A fraction between 0 and 1. */
    FRACTION,
    /** A plain count (requests, tokens). */
    COUNT
  }

  /** The domain of the Cloud Monitoring metric types Managed Prometheus writes. */
  public static final String MANAGED_PROMETHEUS_DOMAIN = "prometheus.googleapis.com";

  /** Validates the components. */
  public ServerMetric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
  }

  /**
   * Returns the Cloud Monitoring metric type Managed Prometheus writes: {@code
   * prometheus.googleapis.com/<name>/<kind>}
   * (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md; the
   * GoogleCloudPlatform monitoring-dashboard-samples vLLM dashboard uses the same form).
   */
  public String cloudMonitoringType() {
    return cloudMonitoringType(name, kind);
  }

  /**
   * Returns the Cloud Monitoring metric type Managed Prometheus writes for any Prometheus metric:
   * {@code prometheus.googleapis.com/<name>/<kind>}.
   *
   * @param prometheusName the Prometheus name, for example {@code DCGM_FI_DEV_GPU_UTIL}
   * @param kind its kind
   * @return for example {@code prometheus.googleapis.com/DCGM_FI_DEV_GPU_UTIL/gauge}
   */
  public static String cloudMonitoringType(String prometheusName, Kind kind) {
    return MANAGED_PROMETHEUS_DOMAIN
        + "/"
        + prometheusName
        + "/"
        + kind.name().toLowerCase(Locale.ROOT);
  }

  /** Returns the name PromQL uses for the value: {@code name} or {@code name_bucket}. */
  public String promQlBuckets() {
    return name + "_bucket";
  }
}
