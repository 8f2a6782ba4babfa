/**
 * Block metadata of the paged KV cache: free list, reference counts, prefix-cache hash map and
 * events.
 */
@NullMarked
package io.github.gkeinference.kvcache.pool;

import org.jspecify.annotations.NullMarked;
