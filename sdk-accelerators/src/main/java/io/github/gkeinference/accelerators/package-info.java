/** PLACEHOLDER */
@NullMarked
package io.github.gkeinference.accelerators;

import org.jspecify.annotations.NullMarked;
