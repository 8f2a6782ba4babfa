/**
 * The GKE Inference Gateway bundle: Gateway, HTTPRoute (with weighted canaries), InferencePools,
 * their endpoint pickers, GKE policies, InferenceObjectives and the namespace's NetworkPolicy.
 */
@NullMarked
package io.github.gkeinference.serving.gateway;

import org.jspecify.annotations.NullMarked;
