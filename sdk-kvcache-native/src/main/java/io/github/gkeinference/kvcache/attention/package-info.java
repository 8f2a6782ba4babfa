/** Paged decode attention with grouped-query heads over the blocks of a KV cache. */
@NullMarked
package io.github.gkeinference.kvcache.attention;

import org.jspecify.annotations.NullMarked;
