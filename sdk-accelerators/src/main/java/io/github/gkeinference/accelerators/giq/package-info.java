/**
 * Measured serving profiles from GKE Inference Quickstart (GIQ), read into typed values the planner
 * can use instead of its estimates.
 */
@NullMarked
package io.github.gkeinference.accelerators.giq;

import org.jspecify.annotations.NullMarked;
