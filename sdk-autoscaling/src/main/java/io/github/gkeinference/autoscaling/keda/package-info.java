/**
 * Typed KEDA {@code keda.sh/v1alpha1} resources (ScaledObject, TriggerAuthentication) for teams
 * that autoscale with KEDA, including scale to zero.
 */
@NullMarked
package io.github.gkeinference.autoscaling.keda;

import org.jspecify.annotations.NullMarked;
