package io.github.gkeinference.autoscaling;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A model server whose Prometheus metrics the SDK knows, with the gauge names it exports that are
 * useful for autoscaling.
 *
 * <p>Each name is taken from the server's own source or documentation:
 *
 * <ul>
 *   <li>vLLM: {@code vllm/v1/metrics/loggers.py} (gke-facts.md section 4.2); {@code
 *       vllm:gpu_cache_usage_perc} exists up to v0.11 and is gone in v0.12.0 (diff of tags v0.9.1,
 *       v0.9.2, v0.11.0, v0.12.0).
 *   <li>JetStream: {@code AI-Hypercomputer/JetStream jetstream/core/metrics/prometheus.py}.
 *   <li>TGI: {@code huggingface/text-generation-inference docs/source/reference/metrics.md} (commit
 *       53fdbe61).
 *   <li>SGLang: {@code sgl-project/sglang docs/references/production_metrics.md} (commit 00b08c49;
 *       the server needs {@code --enable-metrics}).
 * </ul>
 */
public enum ModelServer {
  /** vLLM's OpenAI-compatible server. */
  VLLM(
      Set.of(
          "vllm:num_requests_waiting",
          "vllm:num_requests_running",
          "vllm:kv_cache_usage_perc",
          "vllm:gpu_cache_usage_perc")),
  /** JetStream on TPUs (MaxText or PyTorch engines). */
  JETSTREAM(
      Set.of(
          "jetstream_prefill_backlog_size",
          "jetstream_slots_used_percentage",
          "jetstream_transfer_backlog_size",
          "jetstream_generate_backlog_size")),
  /** Hugging Face Text Generation Inference. */
  TGI(Set.of("tgi_queue_size", "tgi_batch_current_size", "tgi_batch_current_max_tokens")),
  /** SGLang. */
  SGLANG(Set.of("sglang:num_queue_reqs", "sglang:num_running_reqs", "sglang:token_usage"));

  private final Set<String> gauges;

  ModelServer(Set<String> gauges) {
    this.gauges = gauges;
  }

  /**
   * Returns whether this server exports a gauge of this Prometheus name.
   *
   * @param prometheusName for example {@code vllm:num_requests_waiting}
   * @return whether the name is one of the server's known gauges
   */
  public boolean exports(String prometheusName) {
    return gauges.contains(prometheusName);
  }

  /** Returns the known gauge names, for messages. */
  public Set<String> gauges() {
    return gauges;
  }

  /**
   * Returns the server named by a label value such as {@code vllm} (the {@code
   * ai.gke.io/inference-server} label of the reference architecture), ignoring case.
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
}
