/** JMH benchmarks of the SDK's hot paths; results are recorded in docs/benchmarks.md. */
@NullMarked
package io.github.gkeinference.benchmarks;

import org.jspecify.annotations.NullMarked;
