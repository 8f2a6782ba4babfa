package io.github.gkeinference.observability;

import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.observability.ServerMetric.Kind;
import io.github.gkeinference.observability.ServerMetric.Unit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A model server whose Prometheus metrics the SDK knows: the name of each {@link Signal} it
 * exports, and every gauge it exports that is useful for autoscaling. The autoscaling module
 * rejects HPA metrics a server does not export through {@link #exports(String)}; the scrape,
 * dashboard, alert and query renderers read the signals.
 *
 * <p>vLLM's names are data: the release table ({@code core.server.VllmReleases}, {@code
 * vllm-releases.yaml}) holds the name of each signal per release with its source; {@link
 * #metric(Signal)} gives the SDK's default release's names and {@link #metric(Signal, VllmRelease)}
 * those of any release.
 *
 * <p>Sources:
 *
 * <ul>
 *   <li>vLLM: {@code vllm/v1/metrics/loggers.py} (vllm-project/vllm vllm/v1/metrics/loggers.py) and
 *       the GoogleCloudPlatform monitoring-dashboard-samples vLLM dashboard; the {@code
 *       finished_reason} label values ({@code stop, length, abort, error, repetition}) from {@code
 *       vllm/v1/engine/__init__.py}. {@code vllm:gpu_cache_usage_perc} is the KV-cache gauge's name
 *       before v0.9.2; it was kept as a deprecated alias up to v0.11 and is gone in v0.12.0 (diff
 *       of tags v0.9.1, v0.9.2, v0.11.0, v0.12.0; vllm-project/vllm vllm/v1/metrics/loggers.py).
 *   <li>JetStream: {@code AI-Hypercomputer/JetStream jetstream/core/metrics/prometheus.py}
 *       (histograms documented "in seconds"; the Python client adds {@code _total} to counter
 *       names).
 *   <li>TGI: {@code huggingface/text-generation-inference docs/source/reference/metrics.md} (commit
 *       53fdbe61).
 *   <li>SGLang: {@code sgl-project/sglang docs/references/production_metrics.md} (commit 00b08c49;
 *       the server needs {@code --enable-metrics}).
 * </ul>
 *
 * <p>Dashboards, alerts, SLOs and queries ({@link InferenceMonitoring}) and the scrape preset
 * ({@code ScrapeConfigs.modelServer}) cover the servers that export every {@link #MONITORED_SIGNALS
 * monitored signal}: vLLM and JetStream. TGI and SGLang are known by their gauges only, for
 * autoscaling.
 */
public enum ModelServer {
  /** vLLM's OpenAI-compatible server; metrics on its HTTP port at {@code /metrics}. */
  VLLM(
      metrics(
          Signal.QUEUE_LENGTH,
          vllm(Signal.QUEUE_LENGTH, Kind.GAUGE, Unit.COUNT),
          Signal.RUNNING_REQUESTS,
          vllm(Signal.RUNNING_REQUESTS, Kind.GAUGE, Unit.COUNT),
          Signal.KV_CACHE_USAGE,
          vllm(Signal.KV_CACHE_USAGE, Kind.GAUGE, Unit.FRACTION),
          Signal.TIME_TO_FIRST_TOKEN,
          vllm(Signal.TIME_TO_FIRST_TOKEN, Kind.HISTOGRAM, Unit.SECONDS),
          Signal.TIME_PER_OUTPUT_TOKEN,
          vllm(Signal.TIME_PER_OUTPUT_TOKEN, Kind.HISTOGRAM, Unit.SECONDS),
          Signal.E2E_LATENCY,
          vllm(Signal.E2E_LATENCY, Kind.HISTOGRAM, Unit.SECONDS),
          Signal.FINISHED_REQUESTS,
          vllm(Signal.FINISHED_REQUESTS, Kind.COUNTER, Unit.COUNT),
          Signal.GENERATION_TOKENS,
          vllm(Signal.GENERATION_TOKENS, Kind.COUNTER, Unit.COUNT)),
      List.of(new ServerMetric("vllm:gpu_cache_usage_perc", Kind.GAUGE, Unit.FRACTION)),
      "finished_reason",
      Set.of("abort", "error")),

  /** JetStream on TPUs; metrics on its Prometheus port. It has no KV-cache gauge. */
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
      List.of(
          new ServerMetric("jetstream_transfer_backlog_size", Kind.GAUGE, Unit.COUNT),
          new ServerMetric("jetstream_generate_backlog_size", Kind.GAUGE, Unit.COUNT)),
      null,
      Set.of()),

  /**
   * Hugging Face Text Generation Inference; known by its queue and batch gauges only (no dashboard,
   * alert or scrape preset).
   */
  TGI(
      metrics(
          Signal.QUEUE_LENGTH,
          new ServerMetric("tgi_queue_size", Kind.GAUGE, Unit.COUNT),
          Signal.RUNNING_REQUESTS,
          new ServerMetric("tgi_batch_current_size", Kind.GAUGE, Unit.COUNT)),
      List.of(new ServerMetric("tgi_batch_current_max_tokens", Kind.GAUGE, Unit.COUNT)),
      null,
      Set.of()),

  /**
   * SGLang; known by its queue, batch and token-usage gauges only (no dashboard, alert or scrape
   * preset). {@code sglang:token_usage} is the fraction (0 to 1) of the KV-cache token pool in use.
   */
  SGLANG(
      metrics(
          Signal.QUEUE_LENGTH,
          new ServerMetric("sglang:num_queue_reqs", Kind.GAUGE, Unit.COUNT),
          Signal.RUNNING_REQUESTS,
          new ServerMetric("sglang:num_running_reqs", Kind.GAUGE, Unit.COUNT),
          Signal.KV_CACHE_USAGE,
          new ServerMetric("sglang:token_usage", Kind.GAUGE, Unit.FRACTION)),
      List.of(),
      null,
      Set.of());

  /**
   * The signals the dashboard, alerts and SLOs of {@link InferenceMonitoring} need a server to
   * export.
   */
  public static final Set<Signal> MONITORED_SIGNALS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              List.of(
                  Signal.QUEUE_LENGTH,
                  Signal.RUNNING_REQUESTS,
                  Signal.TIME_TO_FIRST_TOKEN,
                  Signal.TIME_PER_OUTPUT_TOKEN,
                  Signal.FINISHED_REQUESTS)));

  private final Map<Signal, ServerMetric> metrics;
  private final Set<String> gauges;
  private final @Nullable String outcomeLabel;
  private final Set<String> failureOutcomes;

  ModelServer(
      Map<Signal, ServerMetric> metrics,
      List<ServerMetric> otherGauges,
      @Nullable String outcomeLabel,
      Set<String> failureOutcomes) {
    this.metrics = metrics;
    Set<String> names = new LinkedHashSet<>();
    for (ServerMetric m : metrics.values()) {
      if (m.kind() == Kind.GAUGE) {
        names.add(m.name());
      }
    }
    for (ServerMetric m : otherGauges) {
      names.add(m.name());
    }
    this.gauges = Collections.unmodifiableSet(names);
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
   * Returns the names of every gauge the SDK knows this server exports, in a stable order: the
   * gauges of its signals, then others useful for autoscaling (vLLM's pre-v0.9.2 {@code
   * vllm:gpu_cache_usage_perc}, JetStream's transfer and generate backlogs, TGI's {@code
   * tgi_batch_current_max_tokens}).
   */
  public Set<String> gauges() {
    return gauges;
  }

  /**
   * Returns whether this server exports a gauge of this Prometheus name.
   *
   * @param prometheusName for example {@code vllm:num_requests_waiting}
   * @return whether the name is one of {@link #gauges()}
   */
  public boolean exports(String prometheusName) {
    return gauges.contains(prometheusName);
  }

  /**
   * Returns whether this server exports every {@link #MONITORED_SIGNALS monitored signal}, so
   * {@link InferenceMonitoring} can chart it and alert on it.
   */
  public boolean monitored() {
    return metrics.keySet().containsAll(MONITORED_SIGNALS);
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

  /**
   * Returns the server named by a label value such as {@code vllm} (the {@code
   * ai.gke.io/inference-server} label of the reference architecture), ignoring case and {@code -}.
   *
   * @param labelValue the label value
   * @return the server, or empty when the value names none of them
   */
  public static Optional<ModelServer> fromLabel(String labelValue) {
    String upper = labelValue.trim().toUpperCase(Locale.ROOT).replace("-", "");
    for (ModelServer s : values()) {
      if (s.name().equals(upper)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the metric of a signal in one vLLM release, named as that release exports it (the
   * release table, {@code core.server.VllmReleases}); for servers other than vLLM, {@link
   * #metric(Signal)}.
   *
   * @param signal the signal
   * @param release the vLLM release the server runs
   * @return the metric, or empty when that release exports none for the signal
   */
  public Optional<ServerMetric> metric(Signal signal, VllmRelease release) {
    Optional<ServerMetric> current = metric(signal);
    if (this != VLLM) {
      return current;
    }
    return current.flatMap(
        m -> release.metric(signal.name()).map(name -> new ServerMetric(name, m.kind(), m.unit())));
  }

  /**
   * Returns whether one vLLM release exports a metric of this name (the release table); for servers
   * other than vLLM, {@link #exports(String)}.
   *
   * @param prometheusName for example {@code vllm:gpu_cache_usage_perc}
   * @param release the vLLM release the server runs
   * @return whether that release exports it
   */
  public boolean exports(String prometheusName, VllmRelease release) {
    return this == VLLM ? release.metrics().contains(prometheusName) : exports(prometheusName);
  }

  /**
   * Returns the gauge a release exports for the signal that a default-release gauge carries: the
   * presets name vLLM's gauges as the SDK's default release does, and a server on another release
   * exports the same signal under that release's name ({@code vllm:kv_cache_usage_perc} becomes
   * {@code vllm:gpu_cache_usage_perc} on v0.9.1). For servers other than vLLM, and for a name that
   * is not the default release's name of a signal, the name itself.
   *
   * @param prometheusName a gauge name, for example {@code vllm:kv_cache_usage_perc}
   * @param release the vLLM release the server runs
   * @return the name that release exports for the same signal, or the name itself when the release
   *     exports none for it (the callers report that)
   */
  public String gaugeIn(String prometheusName, VllmRelease release) {
    if (this != VLLM) {
      return prometheusName;
    }
    for (Map.Entry<Signal, ServerMetric> e : metrics.entrySet()) {
      if (e.getValue().name().equals(prometheusName)) {
        return release.metric(e.getKey().name()).orElse(prometheusName);
      }
    }
    return prometheusName;
  }

  /**
   * Returns vLLM's metric for a signal as the SDK's default release names it (the release table).
   */
  private static ServerMetric vllm(Signal signal, Kind kind, Unit unit) {
    return new ServerMetric(
        VllmReleases.defaultRelease().metric(signal.name()).orElseThrow(), kind, unit);
  }

  private static Map<Signal, ServerMetric> metrics(Object... pairs) {
    Map<Signal, ServerMetric> map = new EnumMap<>(Signal.class);
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((Signal) pairs[i], (ServerMetric) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
