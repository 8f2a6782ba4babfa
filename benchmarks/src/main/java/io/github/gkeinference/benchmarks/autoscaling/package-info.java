/** JMH benchmarks of the autoscaling module's HPA simulator. */
@NullMarked
package io.github.gkeinference.benchmarks.autoscaling;

import org.jspecify.annotations.NullMarked;
