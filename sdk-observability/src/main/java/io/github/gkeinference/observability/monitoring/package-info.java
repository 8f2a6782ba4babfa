/**
 * Cloud Monitoring resources of an inference service: a dashboard, alert policies and SLOs,
 * rendered as the APIs' request messages ({@link
 * io.github.gkeinference.core.render.CloudResource}).
 */
@NullMarked
package io.github.gkeinference.observability.monitoring;

import org.jspecify.annotations.NullMarked;
