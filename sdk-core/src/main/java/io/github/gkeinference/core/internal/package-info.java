/** Code that must be public across the packages of {@code sdk-core}; not an API for users. */
@NullMarked
package io.github.gkeinference.core.internal;

import org.jspecify.annotations.NullMarked;
