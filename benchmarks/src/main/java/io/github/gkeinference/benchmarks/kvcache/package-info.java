/** JMH benchmarks of the native paged KV cache (block pool, prefix cache, paged attention). */
@NullMarked
package io.github.gkeinference.benchmarks.kvcache;

import org.jspecify.annotations.NullMarked;
