/** PLACEHOLDER */
@NullMarked
package io.github.gkeinference.observability;

import org.jspecify.annotations.NullMarked;
