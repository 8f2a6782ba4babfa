/** JMH benchmarks of the accelerators module's fit planner. */
@NullMarked
package io.github.gkeinference.benchmarks.plan;

import org.jspecify.annotations.NullMarked;
