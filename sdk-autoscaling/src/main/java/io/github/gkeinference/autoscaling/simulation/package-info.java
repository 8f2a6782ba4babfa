/**
 * A deterministic, discrete-time simulation of the Kubernetes HPA algorithm driving model-server
 * replicas against a traffic profile, and a recommender that uses it to pick replica limits and a
 * metric target for a latency objective.
 */
@NullMarked
package io.github.gkeinference.autoscaling.simulation;

import org.jspecify.annotations.NullMarked;
