/**
 * Prefill/decode disaggregation: separate vLLM prefill and decode pools that hand the KV cache over
 * with a KV connector, llm-d's routing sidecar on the decode pods, and an endpoint picker with the
 * P/D profile handler.
 */
@NullMarked
package io.github.gkeinference.serving.disagg;

import org.jspecify.annotations.NullMarked;
