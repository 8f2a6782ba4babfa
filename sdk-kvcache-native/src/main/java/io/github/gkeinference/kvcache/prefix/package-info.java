/**
 * Chained block hashes of the prefix cache, with extra keys for adapters, cache salts and
 * multimodal items.
 */
@NullMarked
package io.github.gkeinference.kvcache.prefix;

import org.jspecify.annotations.NullMarked;
