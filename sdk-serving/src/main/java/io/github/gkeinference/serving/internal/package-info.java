/** Helpers shared by the serving module's feature packages; not part of the public API. */
@NullMarked
package io.github.gkeinference.serving.internal;

import org.jspecify.annotations.NullMarked;
