/**
 * Observability for GKE inference servers: Managed Prometheus scraping, Cloud Monitoring
 * dashboards, alert policies and SLOs, metric queries and a load-test client; {@link
 * io.github.gkeinference.observability.InferenceMonitoring} is the front door.
 */
@NullMarked
package io.github.gkeinference.observability;

import org.jspecify.annotations.NullMarked;
