/**
 * Managed Prometheus scraping: typed {@code PodMonitoring} and {@code ClusterPodMonitoring}
 * resources ({@code monitoring.googleapis.com/v1}) and presets for the model servers, the DCGM
 * exporter and the endpoint picker, with selectors taken from the rendered workload.
 */
@NullMarked
package io.github.gkeinference.observability.scrape;

import org.jspecify.annotations.NullMarked;
