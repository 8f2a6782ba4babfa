/** A trace-driven simulator of several KV caches behind a router, with a seeded trace generator. */
@NullMarked
package io.github.gkeinference.kvcache.sim;

import org.jspecify.annotations.NullMarked;
