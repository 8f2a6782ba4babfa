/**
 * Off-heap paged KV cache with vLLM v1 block semantics and prefix caching, built on the JDK alone:
 * start from {@link io.github.gkeinference.kvcache.KvCache}.
 */
@NullMarked
package io.github.gkeinference.kvcache;

import org.jspecify.annotations.NullMarked;
