/** Conventions shared by every spec in the SDK: the Immutables style and common spec values. */
@NullMarked
package io.github.gkeinference.core.spec;

import org.jspecify.annotations.NullMarked;
