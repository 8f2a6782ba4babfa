/**
 * The fit planner: does a model fit an accelerator, with which parallelism and KV cache capacity.
 */
@NullMarked
package io.github.gkeinference.accelerators.plan;

import org.jspecify.annotations.NullMarked;
