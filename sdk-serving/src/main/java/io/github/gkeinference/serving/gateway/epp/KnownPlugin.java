package io.github.gkeinference.serving.gateway.epp;

import java.util.Optional;
import java.util.Set;

/**
 * Endpoint-picker plugin types the SDK knows, with what each needs to work.
 *
 * <p>Type names are the registered names of kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * ({@code pkg/epp/framework/plugins/...}, the {@code *Type} constants) and of
 * llm-d/llm-d-inference-scheduler v0.8.0 ({@code pkg/epp/framework/plugins/register.go}). The
 * server metric a scorer reads is the default metric spec of GIE v1.5.0's {@code
 * core-metrics-extractor} for vLLM (site-src/guides/epp-configuration/config-text.md, "Default
 * metric specs collected for vLLM").
 */
public enum KnownPlugin {
  /** Approximate prefix-cache scorer (GIE {@code scheduling/scorer/prefix/plugin.go}). */
  PREFIX_CACHE_SCORER("prefix-cache-scorer", PluginKind.SCORER, Origin.GIE, null, null),
  /** Waiting-queue scorer (GIE {@code scheduling/scorer/queuedepth/queue.go}). */
  QUEUE_SCORER("queue-scorer", PluginKind.SCORER, Origin.GIE, "vllm:num_requests_waiting", null),
  /**
   * KV-cache utilization scorer (GIE {@code scheduling/scorer/kvcacheutilization/
   * kvcache_utilization.go}).
   */
  KV_CACHE_UTILIZATION_SCORER(
      "kv-cache-utilization-scorer",
      PluginKind.SCORER,
      Origin.GIE,
      "vllm:kv_cache_usage_perc",
      null),
  /** Running-requests scorer (GIE {@code scheduling/scorer/runningrequests/runningrequest.go}). */
  RUNNING_REQUESTS_SIZE_SCORER(
      "running-requests-size-scorer",
      PluginKind.SCORER,
      Origin.GIE,
      "vllm:num_requests_running",
      null),
  /** LoRA-affinity scorer (GIE {@code scheduling/scorer/loraaffinity/lora_affinity.go}). */
  LORA_AFFINITY_SCORER(
      "lora-affinity-scorer", PluginKind.SCORER, Origin.GIE, "vllm:lora_requests_info", null),
  /**
   * Latency scorer (GIE {@code scheduling/scorer/latency/plugin.go}); it consumes the latency
   * prediction that only {@link #PREDICTED_LATENCY_PRODUCER} writes, and no loader adds that
   * producer for it.
   */
  LATENCY_SCORER(
      "latency-scorer", PluginKind.SCORER, Origin.GIE, null, "predicted-latency-producer"),
  /**
   * Latency-prediction data producer (GIE {@code
   * requestcontrol/requestdataproducer/predictedlatency/plugin.go}).
   */
  PREDICTED_LATENCY_PRODUCER(
      "predicted-latency-producer", PluginKind.DATA_PRODUCER, Origin.GIE, null, null),
  /** Max-score picker (GIE {@code scheduling/picker/max_score_picker.go}). */
  MAX_SCORE_PICKER("max-score-picker", PluginKind.PICKER, Origin.GIE, null, null),
  /** Random picker (GIE {@code scheduling/picker/random_picker.go}). */
  RANDOM_PICKER("random-picker", PluginKind.PICKER, Origin.GIE, null, null),
  /** Weighted-random picker (GIE {@code scheduling/picker/weighted_random_picker.go}). */
  WEIGHTED_RANDOM_PICKER("weighted-random-picker", PluginKind.PICKER, Origin.GIE, null, null),
  /** Single-profile handler (GIE {@code scheduling/profile/single_profile_handler.go}). */
  SINGLE_PROFILE_HANDLER(
      "single-profile-handler", PluginKind.PROFILE_HANDLER, Origin.GIE, null, null),
  /** Prometheus metrics source (GIE {@code datalayer/source/metrics/datasource.go}). */
  METRICS_DATA_SOURCE("metrics-data-source", PluginKind.DATA_SOURCE, Origin.GIE, null, null),
  /** Endpoint add/delete notifications (GIE {@code datalayer/source/notifications}). */
  ENDPOINT_NOTIFICATION_SOURCE(
      "endpoint-notification-source", PluginKind.DATA_SOURCE, Origin.GIE, null, null),
  /** The model-server metrics extractor (GIE {@code datalayer/extractor/metrics}). */
  CORE_METRICS_EXTRACTOR(
      "core-metrics-extractor", PluginKind.DATA_EXTRACTOR, Origin.GIE, null, null),
  /** Strict global FIFO fairness (GIE {@code flowcontrol/fairness/besthead.go}). */
  GLOBAL_STRICT_FAIRNESS_POLICY(
      "global-strict-fairness-policy", PluginKind.FLOW_CONTROL_POLICY, Origin.GIE, null, null),
  /** Round-robin fairness between flows (GIE {@code flowcontrol/fairness/roundrobin.go}). */
  ROUND_ROBIN_FAIRNESS_POLICY(
      "round-robin-fairness-policy", PluginKind.FLOW_CONTROL_POLICY, Origin.GIE, null, null),
  /** First-come first-served ordering (GIE {@code flowcontrol/ordering/fcfs.go}). */
  FCFS_ORDERING_POLICY(
      "fcfs-ordering-policy", PluginKind.FLOW_CONTROL_POLICY, Origin.GIE, null, null),
  /** Earliest-deadline-first ordering (GIE {@code flowcontrol/ordering/edf.go}). */
  EDF_ORDERING_POLICY(
      "edf-ordering-policy", PluginKind.FLOW_CONTROL_POLICY, Origin.GIE, null, null),
  /**
   * Precise prefix-cache scorer fed by the servers' KV events (llm-d {@code
   * scheduling/scorer/preciseprefixcache/precise_prefix_cache.go}).
   */
  PRECISE_PREFIX_CACHE_SCORER(
      "precise-prefix-cache-scorer", PluginKind.SCORER, Origin.LLM_D, null, null),
  /** Tokenizer data producer (llm-d {@code requestcontrol/dataproducer/tokenizer}). */
  TOKENIZER("tokenizer", PluginKind.DATA_PRODUCER, Origin.LLM_D, null, null),
  /** Keeps decode-role endpoints (llm-d {@code scheduling/filter/bylabel/roles.go}). */
  DECODE_FILTER("decode-filter", PluginKind.FILTER, Origin.LLM_D, null, null),
  /** llm-d's load-aware scorer (llm-d {@code scheduling/scorer/loadaware/load_aware.go}). */
  LOAD_AWARE_SCORER("load-aware-scorer", PluginKind.SCORER, Origin.LLM_D, null, null),
  /**
   * Keeps prefill-role endpoints: pods labelled {@code llm-d.ai/role} {@code prefill} (or a
   * combined role that includes prefill) (llm-d {@code scheduling/filter/bylabel/roles.go}).
   */
  PREFILL_FILTER("prefill-filter", PluginKind.FILTER, Origin.LLM_D, null, null),
  /**
   * The disaggregation profile handler: runs the {@code decode} profile, then the {@code prefill}
   * profile when its prefill decider says so; parameters {@code profiles} and {@code deciders}
   * (llm-d {@code scheduling/profilehandler/disagg/disagg_profile_handler.go}).
   */
  DISAGG_PROFILE_HANDLER(
      "disagg-profile-handler", PluginKind.PROFILE_HANDLER, Origin.LLM_D, null, null),
  /**
   * The P/D profile handler's legacy name, still registered (llm-d {@code
   * scheduling/profilehandler/disagg/pd_profile_handler.go}).
   */
  PD_PROFILE_HANDLER("pd-profile-handler", PluginKind.PROFILE_HANDLER, Origin.LLM_D, null, null),
  /**
   * Writes the chosen prefill endpoint into the {@code x-prefiller-host-port} header that the
   * decode pod's routing sidecar reads (llm-d {@code
   * scheduling/profilehandler/disagg/disagg_headers_handler.go}).
   */
  DISAGG_HEADERS_HANDLER(
      "disagg-headers-handler", PluginKind.PRE_REQUEST, Origin.LLM_D, null, null),
  /**
   * Disaggregates a request when its prompt's part not cached on the chosen decode endpoint reaches
   * {@code nonCachedTokens}; reads the prefix data the picker prepares with the {@code
   * prepareDataPlugins} feature gate (llm-d {@code
   * scheduling/profilehandler/disagg/prefix_based_pd_decider.go}).
   */
  PREFIX_BASED_PD_DECIDER("prefix-based-pd-decider", PluginKind.DECIDER, Origin.LLM_D, null, null),
  /**
   * Disaggregates every request (llm-d {@code
   * scheduling/profilehandler/disagg/always_disagg_pd_decider.go}).
   */
  ALWAYS_DISAGG_PD_DECIDER(
      "always-disagg-pd-decider", PluginKind.DECIDER, Origin.LLM_D, null, null);

  /** Which project registers a plugin type. */
  public enum Origin {
    /** kubernetes-sigs/gateway-api-inference-extension; the llm-d scheduler includes them. */
    GIE,
    /** llm-d/llm-d-inference-scheduler only. */
    LLM_D
  }

  private final String type;
  private final PluginKind kind;
  private final Origin origin;
  private final String serverMetric;
  private final String requiredProducer;

  KnownPlugin(
      String type,
      PluginKind kind,
      Origin origin,
      @org.jspecify.annotations.Nullable String serverMetric,
      @org.jspecify.annotations.Nullable String requiredProducer) {
    this.type = type;
    this.kind = kind;
    this.origin = origin;
    this.serverMetric = serverMetric == null ? "" : serverMetric;
    this.requiredProducer = requiredProducer == null ? "" : requiredProducer;
  }

  /** Returns the registered type name. */
  public String type() {
    return type;
  }

  /** Returns what the plugin does. */
  public PluginKind kind() {
    return kind;
  }

  /** Returns the project that registers it. */
  public Origin origin() {
    return origin;
  }

  /** Returns the server metric family the plugin reads, if it reads one. */
  public Optional<String> serverMetric() {
    return serverMetric.isEmpty() ? Optional.empty() : Optional.of(serverMetric);
  }

  /** Returns the plugin type that must be listed for this one to get its data, if any. */
  public Optional<String> requiredProducer() {
    return requiredProducer.isEmpty() ? Optional.empty() : Optional.of(requiredProducer);
  }

  /**
   * The pickers' one parameter, how many endpoints to pick; upstream falls back to 1 for a value of
   * 0 or less (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * pkg/epp/framework/plugins/scheduling/picker/common.go, {@code pickerParameters};
   * max_score_picker.go {@code NewMaxScorePicker}).
   */
  public static final String MAX_NUM_OF_ENDPOINTS = "maxNumOfEndpoints";

  /**
   * Returns the parameters upstream reads for this type, when the SDK checks them: none for the
   * scorers and the profile handler whose factories ignore their parameters, {@value
   * #MAX_NUM_OF_ENDPOINTS} for the pickers (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * pkg/epp/framework/plugins/scheduling/: {@code QueueScorerFactory}, {@code
   * KvCacheUtilizationScorerFactory}, {@code RunningRequestsSizeScorerFactory}, {@code
   * LoraAffinityScorerFactory}, {@code SingleProfileHandlerFactory} take {@code _ json.RawMessage};
   * the three picker factories unmarshal {@code pickerParameters}). Empty for the rest, whose
   * parameters the SDK passes on unchecked: the prefix-cache scorer's changed between releases, and
   * the llm-d plugins' are not typed here.
   *
   * @return the accepted parameter names, or empty when they are not checked
   */
  public Optional<Set<String>> parameterNames() {
    return switch (this) {
      case QUEUE_SCORER,
          KV_CACHE_UTILIZATION_SCORER,
          RUNNING_REQUESTS_SIZE_SCORER,
          LORA_AFFINITY_SCORER,
          SINGLE_PROFILE_HANDLER ->
          Optional.of(Set.of());
      case MAX_SCORE_PICKER, RANDOM_PICKER, WEIGHTED_RANDOM_PICKER ->
          Optional.of(Set.of(MAX_NUM_OF_ENDPOINTS));
      default -> Optional.empty();
    };
  }

  /**
   * Returns the known plugin of a type name.
   *
   * @param type the registered type name
   * @return the plugin, or empty for a type the SDK does not know
   */
  public static Optional<KnownPlugin> of(String type) {
    for (KnownPlugin p : values()) {
      if (p.type.equals(type)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
