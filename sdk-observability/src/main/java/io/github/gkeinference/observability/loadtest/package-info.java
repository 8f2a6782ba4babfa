/**
 * A load-test client for OpenAI-compatible endpoints: open- or closed-loop load, synthetic prompts,
 * latency percentiles (TTFT, time per output token, inter-token, end to end), throughput, errors by
 * kind, and JSON and HTML reports; {@link io.github.gkeinference.observability.loadtest.LoadTest}
 * is the entry point.
 */
@NullMarked
package io.github.gkeinference.observability.loadtest;

import org.jspecify.annotations.NullMarked;
