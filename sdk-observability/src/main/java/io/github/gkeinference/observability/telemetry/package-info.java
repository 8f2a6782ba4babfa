/**
 * Logging and tracing settings for model servers (structured JSON logs, OpenTelemetry trace export)
 * as container flags and environment that a server renderer applies.
 */
@NullMarked
package io.github.gkeinference.observability.telemetry;

import org.jspecify.annotations.NullMarked;
