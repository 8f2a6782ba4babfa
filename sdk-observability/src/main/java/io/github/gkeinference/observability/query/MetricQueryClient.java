package io.github.gkeinference.observability.query;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.monitoring.v3.Aggregation;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.ProjectName;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import com.google.protobuf.Timestamp;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.InferenceMonitoring;
import io.github.gkeinference.observability.ServerMetric;
import io.github.gkeinference.observability.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Typed queries of one inference service: requests per second, latency percentiles, queue, KV
 * cache, accelerator use and replicas, scoped to the service's Managed Prometheus job and
 * namespace.
 *
 * <pre>{@code
 * MetricQueryClient q = MetricQueryClient.of(spec);
 * String p99 = q.latencyPercentile(Signal.TIME_TO_FIRST_TOKEN, 0.99).promQl();
 * List<TimeSeries> kv = q.run(metricClient, q.kvCacheUsage(), Instant.now().minus(Duration.ofHours(1)), Instant.now(), Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Series from a PodMonitoring carry the labels {@code namespace} and {@code job} (the
 * PodMonitoring's name) and live on the {@code prometheus_target} resource; GKE system metrics
 * appear in PromQL as {@code kubernetes_io:<path with _>} with a {@code monitored_resource} label.
 */
public final class MetricQueryClient {
  private final InferenceMonitoring spec;
  private final String selector;

  private MetricQueryClient(InferenceMonitoring spec) {
    this.spec = spec;
    this.selector = "namespace=\"" + spec.workload().namespace() + "\",job=\"" + spec.job() + "\"";
  }

  /**
   * Returns the queries of one service.
   *
   * @param spec the service
   * @return the queries
   */
  public static MetricQueryClient of(InferenceMonitoring spec) {
    return new MetricQueryClient(spec);
  }

  /** Returns the PromQL label matchers of the service's series. */
  public String selector() {
    return selector;
  }

  /** Requests finished per second, over the spec's window. */
  public MetricQuery requestsPerSecond() {
    ServerMetric m = metric(Signal.FINISHED_REQUESTS);
    return new MetricQuery(
        "Requests per second",
        "sum(rate(" + m.name() + "{" + selector + "}[" + window() + "]))",
        filter(m));
  }

  /** Output tokens per second. */
  public MetricQuery outputTokensPerSecond() {
    ServerMetric m = metric(Signal.GENERATION_TOKENS);
    return new MetricQuery(
        "Output tokens per second",
        "sum(rate(" + m.name() + "{" + selector + "}[" + window() + "]))",
        filter(m));
  }

  /**
   * A percentile of a latency histogram, in seconds.
   *
   * @param signal a latency signal of the server
   * @param quantile between 0 and 1, for example 0.99
   * @return the query
   */
  public MetricQuery latencyPercentile(Signal signal, double quantile) {
    Violations v = Violations.root("query");
    v.require(quantile > 0 && quantile < 1, "quantile", quantile, "must be between 0 and 1");
    v.throwIfErrors();
    ServerMetric m = metric(signal);
    Violations u = Violations.root("query");
    u.require(
        m.kind() == ServerMetric.Kind.HISTOGRAM,
        "signal",
        signal,
        "must be a histogram to take percentiles of");
    u.throwIfErrors();
    return new MetricQuery(
        title(signal) + " p" + percentLabel(quantile),
        "histogram_quantile("
            + quantile
            + ", sum by (le) (rate("
            + m.promQlBuckets()
            + "{"
            + selector
            + "}["
            + window()
            + "])))",
        null);
  }

  /** Waiting requests, summed over the pods. */
  public MetricQuery queueLength() {
    ServerMetric m = metric(Signal.QUEUE_LENGTH);
    return new MetricQuery("Queue length", "sum(" + m.name() + "{" + selector + "})", filter(m));
  }

  /** Running requests (batch), summed over the pods. */
  public MetricQuery runningRequests() {
    ServerMetric m = metric(Signal.RUNNING_REQUESTS);
    return new MetricQuery(
        "Running requests", "sum(" + m.name() + "{" + selector + "})", filter(m));
  }

  /** KV-cache usage of the fullest pod, 0 to 1. */
  public MetricQuery kvCacheUsage() {
    ServerMetric m = metric(Signal.KV_CACHE_USAGE);
    return new MetricQuery("KV cache usage", "max(" + m.name() + "{" + selector + "})", filter(m));
  }

  /** The fraction of finished requests that failed, over the window. */
  public MetricQuery errorRatio() {
    ServerMetric m = metric(Signal.FINISHED_REQUESTS);
    Violations v = Violations.root("query");
    v.require(
        spec.server().hasErrorSignal(),
        "signal",
        "error ratio",
        spec.server() + " exports no metric of failed requests");
    v.throwIfErrors();
    String label = spec.server().outcomeLabel().orElseThrow();
    String failed =
        spec.server().failureOutcomes().stream().sorted().collect(Collectors.joining("|"));
    String total = "sum(rate(" + m.name() + "{" + selector + "}[" + window() + "]))";
    String bad =
        "sum(rate("
            + m.name()
            + "{"
            + selector
            + ","
            + label
            + "=~\""
            + failed
            + "\"}["
            + window()
            + "]))";
    return new MetricQuery("Error ratio", bad + " / " + total, null);
  }

  /**
   * Accelerator duty cycle (percent of time busy) of the service's containers, from GKE system
   * metrics {@code kubernetes.io/container/accelerator/duty_cycle} (GPUs and TPUs).
   */
  public MetricQuery acceleratorDutyCycle() {
    return system(
        "Accelerator duty cycle", "kubernetes.io/container/accelerator/duty_cycle", "avg");
  }

  /** Accelerator memory used by the service's containers, bytes. */
  public MetricQuery acceleratorMemoryUsed() {
    return system(
        "Accelerator memory used", "kubernetes.io/container/accelerator/memory_used", "sum");
  }

  /**
   * Available serving replicas, from GKE's kube state metrics package ({@code
   * kube_deployment_status_replicas_available}; for a LeaderWorkerSet, the ready replicas of its
   * leader StatefulSet, {@code kube_statefulset_status_replicas_ready}).
   */
  public MetricQuery availableReplicas() {
    return new MetricQuery("Available replicas", "sum(" + available() + ")", null);
  }

  /** Desired minus available serving replicas; above zero when pods are not ready. */
  public MetricQuery replicasNotReady() {
    return new MetricQuery(
        "Replicas not ready", "sum(" + desired() + ") - sum(" + available() + ")", null);
  }

  /**
   * Builds a ListTimeSeries request for a query that has a filter, aligned by {@code alignment}.
   *
   * @param query a query with a filter
   * @param start the window start
   * @param end the window end
   * @param alignment the alignment period, at least 1 minute for most metrics
   * @return the request
   */
  public ListTimeSeriesRequest request(
      MetricQuery query, Instant start, Instant end, Duration alignment) {
    Violations v = Violations.root("query");
    v.require(
        query.filter() != null,
        "filter",
        query.title(),
        "has no time-series filter; run its PromQL through the Prometheus API instead");
    v.require(end.isAfter(start), "end", end, "must be after start");
    v.throwIfErrors();
    return ListTimeSeriesRequest.newBuilder()
        .setName(ProjectName.of(spec.projectId()).toString())
        .setFilter(query.filter())
        .setInterval(
            TimeInterval.newBuilder().setStartTime(timestamp(start)).setEndTime(timestamp(end)))
        .setAggregation(
            Aggregation.newBuilder()
                .setAlignmentPeriod(
                    com.google.protobuf.Duration.newBuilder().setSeconds(alignment.toSeconds()))
                .setPerSeriesAligner(aligner(query)))
        .setView(ListTimeSeriesRequest.TimeSeriesView.FULL)
        .build();
  }

  /**
   * Runs a filter query through the MetricService and returns every series, all pages.
   *
   * @param client the caller's client; not closed
   * @param query a query with a filter
   * @param start the window start
   * @param end the window end
   * @param alignment the alignment period
   * @return the series
   * @throws SdkException naming the query when the call fails
   */
  public List<TimeSeries> run(
      MetricServiceClient client,
      MetricQuery query,
      Instant start,
      Instant end,
      Duration alignment) {
    ListTimeSeriesRequest request = request(query, start, end, alignment);
    try {
      List<TimeSeries> out = new ArrayList<>();
      client.listTimeSeries(request).iterateAll().forEach(out::add);
      return out;
    } catch (ApiException e) {
      throw new SdkException("cannot read " + query.title() + " (" + query.filter() + ")", e);
    }
  }

  /**
   * The per-series aligner: a rate for Managed Prometheus counters (types ending in {@code
   * /counter}, written as CUMULATIVE metrics), the mean otherwise. ALIGN_MEAN is valid only for
   * GAUGE and DELTA metrics, ALIGN_RATE for CUMULATIVE ones
   * (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#Aligner).
   */
  static Aggregation.Aligner aligner(MetricQuery query) {
    return query.filter() != null && query.filter().contains("/counter\"")
        ? Aggregation.Aligner.ALIGN_RATE
        : Aggregation.Aligner.ALIGN_MEAN;
  }

  private MetricQuery system(String title, String type, String reduce) {
    String promName =
        "kubernetes_io:" + type.substring("kubernetes.io/".length()).replace('/', '_');
    String podPrefix = spec.workload().name();
    return new MetricQuery(
        title,
        reduce
            + "("
            + promName
            + "{monitored_resource=\"k8s_container\",namespace_name=\""
            + spec.workload().namespace()
            + "\",pod_name=~\""
            + podPrefix
            + "-.*\"})",
        "metric.type=\""
            + type
            + "\" resource.type=\"k8s_container\" resource.labels.namespace_name=\""
            + spec.workload().namespace()
            + "\" resource.labels.pod_name=starts_with(\""
            + podPrefix
            + "-\")");
  }

  private String available() {
    String ns = spec.workload().namespace();
    String name = spec.workload().name();
    return spec.workload().kind().equals("LeaderWorkerSet")
        ? "kube_statefulset_status_replicas_ready{namespace=\""
            + ns
            + "\",statefulset=\""
            + name
            + "\"}"
        : "kube_deployment_status_replicas_available{namespace=\""
            + ns
            + "\",deployment=\""
            + name
            + "\"}";
  }

  private String desired() {
    String ns = spec.workload().namespace();
    String name = spec.workload().name();
    return spec.workload().kind().equals("LeaderWorkerSet")
        ? "kube_statefulset_replicas{namespace=\"" + ns + "\",statefulset=\"" + name + "\"}"
        : "kube_deployment_spec_replicas{namespace=\"" + ns + "\",deployment=\"" + name + "\"}";
  }

  private String filter(ServerMetric m) {
    return "metric.type=\""
        + m.cloudMonitoringType()
        + "\" resource.type=\"prometheus_target\" resource.labels.namespace=\""
        + spec.workload().namespace()
        + "\" resource.labels.job=\""
        + spec.job()
        + "\"";
  }

  private ServerMetric metric(Signal signal) {
    return spec.serverMetric(signal)
        .orElseThrow(
            () -> {
              Violations v = Violations.root("query");
              v.error("signal", signal, spec.server() + " exports no metric for this signal");
              v.throwIfErrors();
              return new IllegalStateException();
            });
  }

  private String window() {
    return spec.window().toMinutes() + "m";
  }

  private static String title(Signal signal) {
    String s = signal.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String percentLabel(double quantile) {
    double p = quantile * 100;
    return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
