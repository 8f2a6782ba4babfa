/**
 * GKE ComputeClasses ({@code cloud.google.com/v1}) for accelerators: typed resource, builder,
 * presets and rules.
 */
@NullMarked
package io.github.gkeinference.accelerators.computeclass;

import org.jspecify.annotations.NullMarked;
