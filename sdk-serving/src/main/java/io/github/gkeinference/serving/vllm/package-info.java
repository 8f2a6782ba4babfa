/**
 * The parts of a vLLM server spec: where the weights come from, speculative decoding, LoRA adapters
 * and the start-up estimate.
 */
@NullMarked
package io.github.gkeinference.serving.vllm;

import org.jspecify.annotations.NullMarked;
