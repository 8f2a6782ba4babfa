/**
 * Accelerators on GKE: the front door {@link io.github.gkeinference.accelerators.Accelerators} to
 * the GPU/TPU catalog, pod scheduling, ComputeClasses, node pools and the fit planner.
 */
@NullMarked
package io.github.gkeinference.accelerators;

import org.jspecify.annotations.NullMarked;
