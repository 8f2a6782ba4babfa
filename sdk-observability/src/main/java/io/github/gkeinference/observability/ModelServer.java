package io.github.gkeinference.observability;

import io.github.gkeinference.observability.ServerMetric.Kind;
import io.github.gkeinference.observability.ServerMetric.Unit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model server whose Prometheus metrics the SDK knows, with the name of each {@link Signal}.
 *
 * <p>Sources: vLLM names from {@code vllm/v1/metrics/loggers.py} (gke-facts.md section 4.2) and the
 * GoogleCloudPlatform monitoring-dashboard-samples vLLM dashboard; the {@code finished_reason}
 * label values ({@code stop, length, abort, error, repetition}) from {@code
 * vllm/v1/engine/__init__.py}; JetStream names and units from {@code
 * jetstream/core/metrics/prometheus.py} (histograms documented "in seconds"; the Python client adds
 * {@code _total} to counter names).
 */
public enum ModelServer {
  /** vLLM's OpenAI-compatible server; metrics on its HTTP port at {@code /metrics}. */
  VLLM(
      metrics(
          Signal.QUEUE_LENGTH,
          new ServerMetric("vllm:num_requests_waiting", Kind.GAUGE, Unit.COUNT),
          Signal.RUNNING_REQUESTS,
          new ServerMetric("vllm:num_requests_running", Kind.GAUGE, Unit.COUNT),
          Signal.KV_CACHE_USAGE,
          new ServerMetric("vllm:kv_cache_usage_perc", Kind.GAUGE, Unit.FRACTION),
          Signal.TIME_TO_FIRST_TOKEN,
          new ServerMetric("vllm:time_to_first_token_seconds", Kind.HISTOGRAM, Unit.SECONDS),
          Signal.TIME_PER_OUTPUT_TOKEN,
          new ServerMetric("vllm:inter_token_latency_seconds", Kind.HISTOGRAM, Unit.SECONDS),
          Signal.E2E_LATENCY,
          new ServerMetric("vllm:e2e_request_latency_seconds", Kind.HISTOGRAM, Unit.SECONDS),
          Signal.FINISHED_REQUESTS,
          new ServerMetric("vllm:request_success_total", Kind.COUNTER, Unit.COUNT),
          Signal.GENERATION_TOKENS,
          new ServerMetric("vllm:generation_tokens_total", Kind.COUNTER, Unit.COUNT)),
      "finished_reason",
      Set.of("abort", "error")),

  /** JetStream on TPUs; metrics on its {@code --prometheus_port}. It has no KV-cache gauge. */
  JETSTREAM(
      metrics(
          Signal.QUEUE_LENGTH,
          new ServerMetric("jetstream_prefill_backlog_size", Kind.GAUGE, Unit.COUNT),
          Signal.RUNNING_REQUESTS,
          new ServerMetric("jetstream_slots_used_percentage", Kind.GAUGE, Unit.FRACTION),
          Signal.TIME_TO_FIRST_TOKEN,
          new ServerMetric("jetstream_time_to_first_token", Kind.HISTOGRAM, Unit.SECONDS),
          Signal.TIME_PER_OUTPUT_TOKEN,
          new ServerMetric("jetstream_time_per_output_token", Kind.HISTOGRAM, Unit.SECONDS),
          Signal.E2E_LATENCY,
          new ServerMetric("jetstream_time_per_request", Kind.HISTOGRAM, Unit.SECONDS),
          Signal.FINISHED_REQUESTS,
          new ServerMetric("jetstream_request_success_count_total", Kind.COUNTER, Unit.COUNT)),
      null,
      Set.of());

  private final Map<Signal, ServerMetric> metrics;
  private final @org.jspecify.annotations.Nullable String outcomeLabel;
  private final Set<String> failureOutcomes;

  ModelServer(
      Map<Signal, ServerMetric> metrics,
      @org.jspecify.annotations.Nullable String outcomeLabel,
      Set<String> failureOutcomes) {
    this.metrics = metrics;
    this.outcomeLabel = outcomeLabel;
    this.failureOutcomes = failureOutcomes;
  }

  /**
   * Returns the metric for a signal, or empty when this server does not export it.
   *
   * @param signal the signal
   * @return the metric
   */
  public Optional<ServerMetric> metric(Signal signal) {
    return Optional.ofNullable(metrics.get(signal));
  }

  /** Returns every signal this server exports. */
  public Set<Signal> signals() {
    return Collections.unmodifiableSet(metrics.keySet());
  }

  /**
   * Returns the label of {@link Signal#FINISHED_REQUESTS} that tells failed requests apart ({@code
   * finished_reason} on vLLM), or empty when the server exports no error signal.
   */
  public Optional<String> outcomeLabel() {
    return Optional.ofNullable(outcomeLabel);
  }

  /**
   * Returns the outcome label values counted as errors ({@code abort} and {@code error} on vLLM).
   */
  public Set<String> failureOutcomes() {
    return failureOutcomes;
  }

  /** Returns whether this server exports a signal for error rates. */
  public boolean hasErrorSignal() {
    return outcomeLabel != null && metrics.containsKey(Signal.FINISHED_REQUESTS);
  }

  private static Map<Signal, ServerMetric> metrics(Object... pairs) {
    Map<Signal, ServerMetric> map = new EnumMap<>(Signal.class);
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((Signal) pairs[i], (ServerMetric) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
