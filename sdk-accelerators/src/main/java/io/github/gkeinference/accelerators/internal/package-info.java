/** Helpers shared by this module's packages; not part of the public API. */
@NullMarked
package io.github.gkeinference.accelerators.internal;

import org.jspecify.annotations.NullMarked;
