/**
 * Model servers and their Kubernetes bundles: vLLM on GPU (this first slice), later TPU, JetStream,
 * multi-host, batch, async and the Inference Gateway.
 */
@NullMarked
package io.github.gkeinference.serving;

import org.jspecify.annotations.NullMarked;
