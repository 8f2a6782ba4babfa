/**
 * Preflight: before anything reaches a cluster, checks a project's GPU/TPU quota, enabled APIs, the
 * cluster's GKE version against each feature's floor, where the accelerator is offered and whether
 * a ComputeClass fallback chain has anywhere to go, each with the fix.
 */
@NullMarked
package io.github.gkeinference.accelerators.preflight;

import org.jspecify.annotations.NullMarked;
