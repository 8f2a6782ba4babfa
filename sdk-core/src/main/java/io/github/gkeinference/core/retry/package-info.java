/**
 * Bounded retries with jittered exponential backoff and polling, on an injected clock and sleeper:
 * the one place in the SDK that waits.
 */
@NullMarked
package io.github.gkeinference.core.retry;

import org.jspecify.annotations.NullMarked;
