/** The validate step: violations with field paths, collected before anything is rendered. */
@NullMarked
package io.github.gkeinference.core.validate;

import org.jspecify.annotations.NullMarked;
