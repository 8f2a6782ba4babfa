/**
 * Typed metric queries of one inference service: PromQL for Cloud Monitoring's Prometheus API,
 * dashboards and alerts, and Cloud Monitoring time-series filters run through the MetricService.
 */
@NullMarked
package io.github.gkeinference.observability.query;

import org.jspecify.annotations.NullMarked;
