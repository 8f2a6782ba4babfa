/** Helpers shared by the test kit's packages; not for use outside the kit. */
@NullMarked
package io.github.gkeinference.testing.internal;

import org.jspecify.annotations.NullMarked;
