/**
 * The Custom Metrics Stackdriver Adapter, which serves Cloud Monitoring (and Managed Prometheus)
 * metrics to the HPA through the custom and external metrics APIs.
 */
@NullMarked
package io.github.gkeinference.autoscaling.adapter;

import org.jspecify.annotations.NullMarked;
