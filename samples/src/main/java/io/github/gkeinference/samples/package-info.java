/** Sample programs, one per deployment pattern; copy one as the template for your own. */
@NullMarked
package io.github.gkeinference.samples;

import org.jspecify.annotations.NullMarked;
