/**
 * Horizontal autoscaling of model servers on model-server metrics: the {@link
 * io.github.gkeinference.autoscaling.InferenceAutoscaler} front door renders an {@code
 * autoscaling/v2} HorizontalPodAutoscaler (or a KEDA ScaledObject) from metric presets.
 */
@NullMarked
package io.github.gkeinference.autoscaling;

import org.jspecify.annotations.NullMarked;
