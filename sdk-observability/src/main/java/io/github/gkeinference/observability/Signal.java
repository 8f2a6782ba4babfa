package io.github.gkeinference.observability;

/**
 * A serving signal the SDK charts, alerts on or queries; each model server names it its own way.
 */
public enum Signal {
  /** Requests waiting to be scheduled (the queue); a gauge. */
  QUEUE_LENGTH,
  /** Requests running in the current batch; a gauge. */
  RUNNING_REQUESTS,
  /** Fraction of the KV cache in use, 0 to 1; a gauge. */
  KV_CACHE_USAGE,
  /** Time to first token in seconds; a histogram. */
  TIME_TO_FIRST_TOKEN,
  /** Time per output token (inter-token latency) in seconds; a histogram. */
  TIME_PER_OUTPUT_TOKEN,
  /** End-to-end request latency in seconds; a histogram. */
  E2E_LATENCY,
  /** Finished requests; a counter (its rate is requests per second). */
  FINISHED_REQUESTS,
  /** Generated (output) tokens; a counter. */
  GENERATION_TOKENS
}
