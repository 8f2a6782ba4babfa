/**
 * Model facts: architectures read from Hugging Face {@code config.json}, the model catalog, data
 * types and the KV-cache size a sequence needs.
 */
@NullMarked
package io.github.gkeinference.core.model;

import org.jspecify.annotations.NullMarked;
