/** The {@code gke-inference} command-line tool. */
@NullMarked
package io.github.gkeinference.samples.cli;

import org.jspecify.annotations.NullMarked;
