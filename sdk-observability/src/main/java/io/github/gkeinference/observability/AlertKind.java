package io.github.gkeinference.observability;

/** The alert policies the SDK renders for an inference service. */
public enum AlertKind {
  /** The p99 of the latency signal is above the objective. */
  LATENCY_P99,
  /** The fraction of failed requests is above the threshold (servers with an error signal). */
  ERROR_RATE,
  /** The KV cache is nearly full (servers with a KV-cache gauge). */
  KV_CACHE_NEAR_FULL,
  /** The queue is above the threshold and still growing. */
  QUEUE_GROWING,
  /** Fewer serving pods are available than desired. */
  PODS_NOT_READY
}
