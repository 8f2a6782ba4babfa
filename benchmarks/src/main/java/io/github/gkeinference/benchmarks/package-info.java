/** PLACEHOLDER */
@NullMarked
package io.github.gkeinference.benchmarks;

import org.jspecify.annotations.NullMarked;
