package io.github.gkeinference.autoscaling;

import static io.github.gkeinference.observability.Signal.KV_CACHE_USAGE;
import static io.github.gkeinference.observability.Signal.QUEUE_LENGTH;
import static io.github.gkeinference.observability.Signal.RUNNING_REQUESTS;

import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.ServerMetric;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One metric the autoscaler scales on, with its target average value per replica.
 *
 * <p>Model-server gauges reach the HPA through Google Cloud Managed Service for Prometheus and the
 * Custom Metrics Stackdriver Adapter, which names a Cloud Monitoring metric type with {@code |} in
 * place of {@code /}: the gauge {@code vllm:num_requests_waiting} becomes {@code
 * prometheus.googleapis.com|vllm:num_requests_waiting|gauge} (adapter README, "Metric names";
 * https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
 * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md). The presets
 * below fill in that name, the server that exports the gauge and the kind of signal it is, so that
 * the simulator can model it.
 *
 * <p>Starting targets follow GKE's autoscaling best practices for LLM inference
 * (cloud.google.com/kubernetes-engine/docs/best-practices/machine-learning/inference/autoscaling,
 * https://cloud.google.com/kubernetes-engine/docs/best-practices/machine-learning/inference/autoscaling):
 * a queue target "between 3-5", raised until latency is acceptable; a batch target slightly below
 * the server's maximum batch. The {@code
 * io.github.gkeinference.autoscaling.simulation.ScalingRecommender} can replace them with targets
 * tuned against a traffic profile.
 *
 * <pre>{@code
 * ScalingMetric queue = ScalingMetric.vllmQueue();          // target 3 waiting requests per pod
 * ScalingMetric batch = ScalingMetric.vllmBatchBelow(256);  // target 230 running requests per pod
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableScalingMetric.class)
public interface ScalingMetric {
  /**
   * The starting queue target: GKE's guidance is to "start with a value between 3-5 and gradually
   * increase it until requests reach the preferred latency"; 3 is the latency-safe end.
   */
  double DEFAULT_QUEUE_TARGET = 3;

  /**
   * The fraction of the maximum batch used as a batch target. GKE's guidance is "slightly below the
   * maximum batch size"; 0.9 is this SDK's reading of "slightly", not a GKE number.
   */
  double BATCH_TARGET_FRACTION = 0.9;

  /**
   * The starting target for fractions in 0..1 (KV-cache usage, JetStream decode slots in use). GKE
   * gives no number for these (its page does not recommend KV-cache usage); 0.8 is this SDK's
   * choice, to be tuned with the recommender.
   */
  double DEFAULT_FRACTION_TARGET = 0.8;

  /** The smallest target a Kubernetes quantity with milli-units can carry. */
  double MIN_TARGET = 0.001;

  /** The prefix of Managed Prometheus metric types in Cloud Monitoring. */
  String GMP_PREFIX = ServerMetric.MANAGED_PROMETHEUS_DOMAIN;

  /**
   * The external metric of a Pub/Sub subscription's backlog (Cloud Monitoring, via the adapter).
   */
  String PUBSUB_BACKLOG = "pubsub.googleapis.com|subscription|num_undelivered_messages";

  /** The external-metric label that selects one Pub/Sub subscription. */
  String PUBSUB_SUBSCRIPTION_LABEL = "resource.labels.subscription_id";

  /** Where the metric comes from, as the HPA's {@code metrics[].type} says it. */
  enum Source {
    /** A per-pod custom metric ({@code type: Pods}), averaged over the target's pods. */
    PODS,
    /** A metric of something outside the cluster ({@code type: External}). */
    EXTERNAL
  }

  /** What the metric measures, which decides how the simulator models it. */
  enum SignalKind {
    /** Requests waiting in the server's queue, per replica. */
    QUEUE,
    /** Requests running in the server's batch, per replica. */
    BATCH,
    /** The fraction (0..1) of KV cache or batch slots in use, per replica. */
    OCCUPANCY,
    /** Messages waiting outside the cluster (a Pub/Sub subscription), in total. */
    BACKLOG,
    /** GPU duty cycle: not a measure of inference work (rejected as the only signal). */
    GPU_UTILIZATION,
    /** GPU memory in use: preallocated by vLLM and TGI, so it only ever rises. */
    GPU_MEMORY,
    /** Anything else; the simulator cannot model it. */
    OTHER
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this metric. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Where the metric comes from. */
  @Value.Default
  default Source source() {
    return Source.PODS;
  }

  /**
   * The metric's name in the custom or external metrics API, for example {@code
   * prometheus.googleapis.com|vllm:num_requests_waiting|gauge}.
   */
  String metricName();

  /** The Prometheus gauge behind a pod metric, for example {@code vllm:num_requests_waiting}. */
  Optional<String> prometheusName();

  /** The model server that exports the gauge, when it is a model-server metric. */
  Optional<ModelServer> server();

  /** What the metric measures. */
  @Value.Default
  default SignalKind signal() {
    return SignalKind.OTHER;
  }

  /** The target average value per replica; greater than zero. */
  double target();

  /** Label selector of an external metric, for example the Pub/Sub subscription. */
  Map<String, String> selector();

  /**
   * Checks the metric.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("metric");
    v.require(
        Double.isFinite(target()) && target() >= MIN_TARGET,
        "target",
        target(),
        "must be a number of at least " + MIN_TARGET + " (targets of zero or below never scale)");
    v.require(
        !metricName().isBlank() && metricName().indexOf('/') < 0,
        "metricName",
        metricName(),
        "must be a custom-metrics API name, with '|' where the Cloud Monitoring type has '/'");
    v.require(
        source() == Source.EXTERNAL || selector().isEmpty(),
        "selector",
        selector(),
        "is only used by external metrics");
    v.throwIfErrors();
  }

  /**
   * Returns the adapter's name of a Managed Prometheus gauge.
   *
   * @param prometheusName the gauge, for example {@code vllm:num_requests_waiting}
   * @return for example {@code prometheus.googleapis.com|vllm:num_requests_waiting|gauge}
   */
  static String gmpGauge(String prometheusName) {
    // the adapter's rule: the Cloud Monitoring type with '|' for '/' (Prometheus names have no '/')
    return ServerMetric.cloudMonitoringType(prometheusName, ServerMetric.Kind.GAUGE)
        .replace('/', '|');
  }

  /**
   * Returns a pod metric on the gauge a server exports for a signal, by the name {@link
   * ModelServer} holds for it.
   *
   * @param server the server exporting the gauge
   * @param serverSignal the server's signal; the server must export it as a gauge
   * @param signal what it measures for the autoscaler
   * @param target the target average per replica
   * @return the metric
   */
  static ScalingMetric serverGauge(
      ModelServer server,
      io.github.gkeinference.observability.Signal serverSignal,
      SignalKind signal,
      double target) {
    return serverGauge(server, server.metric(serverSignal).orElseThrow().name(), signal, target);
  }

  /**
   * Returns a pod metric on one server's gauge, by name.
   *
   * @param server the server exporting the gauge
   * @param prometheusName the gauge name, one of {@link ModelServer#gauges()}
   * @param signal what it measures
   * @param target the target average per replica
   * @return the metric
   */
  static ScalingMetric serverGauge(
      ModelServer server, String prometheusName, SignalKind signal, double target) {
    return builder()
        .metricName(gmpGauge(prometheusName))
        .prometheusName(prometheusName)
        .server(server)
        .signal(signal)
        .target(target)
        .build();
  }

  /**
   * Returns a pod metric on any Managed Prometheus gauge, classified by its name: NVIDIA DCGM and
   * GKE accelerator duty-cycle and memory metrics are recognised as GPU signals.
   *
   * @param prometheusName the gauge
   * @param target the target average per replica
   * @return the metric
   */
  static ScalingMetric prometheusGauge(String prometheusName, double target) {
    return builder()
        .metricName(gmpGauge(prometheusName))
        .prometheusName(prometheusName)
        .signal(classify(prometheusName))
        .target(target)
        .build();
  }

  /** vLLM queue: {@code vllm:num_requests_waiting}, target {@link #DEFAULT_QUEUE_TARGET}. */
  static ScalingMetric vllmQueue() {
    return vllmQueue(DEFAULT_QUEUE_TARGET);
  }

  /**
   * vLLM queue: {@code vllm:num_requests_waiting}, for throughput at the lowest cost within a
   * latency target.
   *
   * @param target waiting requests per replica
   * @return the metric
   */
  static ScalingMetric vllmQueue(double target) {
    return serverGauge(ModelServer.VLLM, QUEUE_LENGTH, SignalKind.QUEUE, target);
  }

  /**
   * vLLM batch: {@code vllm:num_requests_running}, for lower latency than a queue target gives.
   *
   * @param target running requests per replica
   * @return the metric
   */
  static ScalingMetric vllmBatch(double target) {
    return serverGauge(ModelServer.VLLM, RUNNING_REQUESTS, SignalKind.BATCH, target);
  }

  /**
   * vLLM batch with GKE's starting target: {@link #BATCH_TARGET_FRACTION} of the maximum batch.
   *
   * @param maxNumSeqs the server's {@code --max-num-seqs}
   * @return the metric
   */
  static ScalingMetric vllmBatchBelow(int maxNumSeqs) {
    return vllmBatch(Math.max(1, Math.floor(maxNumSeqs * BATCH_TARGET_FRACTION)));
  }

  /**
   * vLLM KV-cache usage (0..1): {@code vllm:kv_cache_usage_perc}, the name since v0.9.2.
   *
   * @param target the fraction per replica
   * @return the metric
   */
  static ScalingMetric vllmKvCache(double target) {
    return serverGauge(ModelServer.VLLM, KV_CACHE_USAGE, SignalKind.OCCUPANCY, target);
  }

  /**
   * vLLM KV-cache usage under the name a given vLLM release exports, from the release table ({@code
   * core.server.VllmReleases}): {@code vllm:gpu_cache_usage_perc} before v0.9.2 (renamed then,
   * removed in v0.12.0), {@code vllm:kv_cache_usage_perc} from v0.9.2. A version that names no
   * release counts as the SDK's default release.
   *
   * @param vllmVersion for example {@code 0.8.5} or {@code v0.11.2}
   * @param target the fraction per replica
   * @return the metric
   */
  static ScalingMetric vllmKvCache(String vllmVersion, double target) {
    VllmRelease release = VllmReleases.named(Optional.of(vllmVersion));
    return serverGauge(
        ModelServer.VLLM,
        ModelServer.VLLM.metric(KV_CACHE_USAGE, release).orElseThrow().name(),
        SignalKind.OCCUPANCY,
        target);
  }

  /** JetStream prefill queue: {@code jetstream_prefill_backlog_size}, target 3. */
  static ScalingMetric jetstreamPrefillBacklog() {
    return jetstreamPrefillBacklog(DEFAULT_QUEUE_TARGET);
  }

  /**
   * JetStream prefill queue: {@code jetstream_prefill_backlog_size} (GKE's TPU autoscaling page
   * uses it as the queue signal).
   *
   * @param target waiting prefill requests per replica
   * @return the metric
   */
  static ScalingMetric jetstreamPrefillBacklog(double target) {
    return serverGauge(ModelServer.JETSTREAM, QUEUE_LENGTH, SignalKind.QUEUE, target);
  }

  /**
   * JetStream decode slots in use (0..1): {@code jetstream_slots_used_percentage}, the batch
   * signal.
   *
   * @param target the fraction per replica
   * @return the metric
   */
  static ScalingMetric jetstreamSlotsUsed(double target) {
    return serverGauge(ModelServer.JETSTREAM, RUNNING_REQUESTS, SignalKind.OCCUPANCY, target);
  }

  /**
   * TGI queue: {@code tgi_queue_size}.
   *
   * @param target waiting requests per replica
   * @return the metric
   */
  static ScalingMetric tgiQueue(double target) {
    return serverGauge(ModelServer.TGI, QUEUE_LENGTH, SignalKind.QUEUE, target);
  }

  /**
   * TGI batch: {@code tgi_batch_current_size}.
   *
   * @param target running requests per replica
   * @return the metric
   */
  static ScalingMetric tgiBatch(double target) {
    return serverGauge(ModelServer.TGI, RUNNING_REQUESTS, SignalKind.BATCH, target);
  }

  /**
   * SGLang queue: {@code sglang:num_queue_reqs}.
   *
   * @param target waiting requests per replica
   * @return the metric
   */
  static ScalingMetric sglangQueue(double target) {
    return serverGauge(ModelServer.SGLANG, QUEUE_LENGTH, SignalKind.QUEUE, target);
  }

  /**
   * SGLang batch: {@code sglang:num_running_reqs}.
   *
   * @param target running requests per replica
   * @return the metric
   */
  static ScalingMetric sglangBatch(double target) {
    return serverGauge(ModelServer.SGLANG, RUNNING_REQUESTS, SignalKind.BATCH, target);
  }

  /**
   * SGLang KV-token usage (0..1): {@code sglang:token_usage}.
   *
   * @param target the fraction per replica
   * @return the metric
   */
  static ScalingMetric sglangTokenUsage(double target) {
    return serverGauge(ModelServer.SGLANG, KV_CACHE_USAGE, SignalKind.OCCUPANCY, target);
  }

  /**
   * Pub/Sub backlog as an external metric, for asynchronous inference that pulls requests from a
   * subscription: {@code pubsub.googleapis.com|subscription|num_undelivered_messages} selected by
   * {@code resource.labels.subscription_id}, as GKE's Pub/Sub HPA sample names them
   * (cloud.google.com/kubernetes-engine/docs/samples/container-pubsub-horizontal-pod-autoscaler;
   * tutorial "Optimize Pod autoscaling based on metrics").
   *
   * @param subscriptionId the subscription's id (not its full path)
   * @param targetPerReplica undelivered messages per replica
   * @return the metric
   */
  static ScalingMetric pubsubBacklog(String subscriptionId, double targetPerReplica) {
    return builder()
        .source(Source.EXTERNAL)
        .metricName(PUBSUB_BACKLOG)
        .signal(SignalKind.BACKLOG)
        .putSelector(PUBSUB_SUBSCRIPTION_LABEL, subscriptionId)
        .target(targetPerReplica)
        .build();
  }

  /**
   * Returns the signal a metric name stands for: GPU duty cycle ({@code DCGM_FI_DEV_GPU_UTIL},
   * {@code accelerator/duty_cycle}) and GPU memory ({@code DCGM_FI_DEV_FB_USED}, {@code
   * accelerator/memory_used}) are recognised; anything else is {@link SignalKind#OTHER}.
   *
   * @param name a Prometheus or Cloud Monitoring metric name
   * @return the signal
   */
  static SignalKind classify(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.contains("dcgm_fi_dev_gpu_util") || lower.contains("duty_cycle")) {
      return SignalKind.GPU_UTILIZATION;
    }
    if (lower.contains("dcgm_fi_dev_fb_used")
        || lower.contains("accelerator|memory_used")
        || lower.contains("accelerator/memory_used")
        || lower.contains("accelerator_memory_used")) {
      return SignalKind.GPU_MEMORY;
    }
    return SignalKind.OTHER;
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableScalingMetric.Builder {}
}
