/**
 * In-process fakes of the Cloud Monitoring gRPC services (alert policies, metrics, service
 * monitoring, dashboards), built on the generated service bases and reached through the real client
 * libraries; {@link io.github.gkeinference.testing.monitoring.FakeCloudMonitoring} starts them.
 */
@NullMarked
package io.github.gkeinference.testing.monitoring;

import org.jspecify.annotations.NullMarked;
