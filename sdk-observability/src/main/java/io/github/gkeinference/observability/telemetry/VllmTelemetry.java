package io.github.gkeinference.observability.telemetry;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Structured logs and OpenTelemetry tracing for a vLLM container, as flags and environment
 * variables a server renderer adds to its container.
 *
 * <pre>{@code
 * Container traced = VllmTelemetry.builder()
 *     .jsonLogs(true)
 *     .otlpTracesEndpoint(URI.create("grpc://otel-collector.observability.svc:4317"))
 *     .serviceName("llama-8b")
 *     .insecure(true)
 *     .build()
 *     .applyTo(container);
 * }</pre>
 *
 * <p>Sources: vLLM's logging guide ({@code --logging-config.formatter json}, one JSON object per
 * vLLM and Uvicorn record; in the v0.32 docs, not in v0.11, whose logs are configured through
 * {@code VLLM_LOGGING_CONFIG_PATH} instead); vLLM's OpenTelemetry example ({@code
 * --otlp-traces-endpoint}, {@code OTEL_SERVICE_NAME}, {@code OTEL_EXPORTER_OTLP_TRACES_INSECURE});
 * {@code --collect-detailed-traces} takes {@code model}, {@code worker} or {@code all}. Tracing
 * needs the OpenTelemetry packages in the image, which the stock vLLM image does not install.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableVllmTelemetry.class)
public interface VllmTelemetry {
  /** The values {@code --collect-detailed-traces} accepts. */
  Set<String> DETAILED_TRACE_MODULES = Set.of("model", "worker", "all");

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Whether vLLM writes one JSON object per log record; default false. */
  @Value.Default
  default boolean jsonLogs() {
    return false;
  }

  /** Where to export traces over OTLP, for example {@code grpc://collector:4317}; empty: none. */
  Optional<URI> otlpTracesEndpoint();

  /** The service name on the traces ({@code OTEL_SERVICE_NAME}); required with an endpoint. */
  Optional<String> serviceName();

  /** Whether the OTLP connection is plaintext (an in-cluster collector); default false. */
  @Value.Default
  default boolean insecure() {
    return false;
  }

  /** Modules with detailed (costly) spans: {@code model}, {@code worker} or {@code all}. */
  Optional<String> collectDetailedTraces();

  /** Checks every field at once. */
  @Value.Check
  default void check() {
    Violations v = Violations.root("telemetry");
    otlpTracesEndpoint()
        .ifPresent(
            u ->
                v.require(
                    Set.of("http", "https", "grpc").contains(String.valueOf(u.getScheme()))
                        && u.getHost() != null,
                    "otlpTracesEndpoint",
                    u,
                    "must be an http, https or grpc URL with a host"));
    v.require(
        otlpTracesEndpoint().isEmpty() || serviceName().filter(s -> !s.isBlank()).isPresent(),
        "serviceName",
        serviceName().orElse(null),
        "is required when traces are exported, so that spans can be told apart");
    collectDetailedTraces()
        .ifPresent(
            m ->
                v.require(
                    DETAILED_TRACE_MODULES.contains(m),
                    "collectDetailedTraces",
                    m,
                    "must be one of model, worker, all"));
    v.require(
        collectDetailedTraces().isEmpty() || otlpTracesEndpoint().isPresent(),
        "collectDetailedTraces",
        collectDetailedTraces().orElse(null),
        "needs otlpTracesEndpoint");
    v.require(
        !insecure() || otlpTracesEndpoint().isPresent(),
        "insecure",
        insecure(),
        "needs otlpTracesEndpoint");
    v.throwIfErrors();
  }

  /** Returns the vLLM command-line flags. */
  default List<String> args() {
    List<String> args = new ArrayList<>();
    if (jsonLogs()) {
      args.add("--logging-config.formatter=json");
    }
    otlpTracesEndpoint().ifPresent(u -> args.add("--otlp-traces-endpoint=" + u));
    collectDetailedTraces().ifPresent(m -> args.add("--collect-detailed-traces=" + m));
    return args;
  }

  /** Returns the environment variables. */
  default List<EnvVar> env() {
    List<EnvVar> env = new ArrayList<>();
    if (otlpTracesEndpoint().isPresent()) {
      env.add(new EnvVar("OTEL_SERVICE_NAME", serviceName().orElseThrow(), null));
      if (insecure()) {
        env.add(new EnvVar("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "true", null));
      }
    }
    return env;
  }

  /**
   * Returns a copy of a vLLM container with these flags appended to its args and these variables
   * added to its environment; the container passed in is not changed.
   *
   * @param container the vLLM container
   * @return the new container
   */
  default Container applyTo(Container container) {
    return new ContainerBuilder(container).addAllToArgs(args()).addAllToEnv(env()).build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableVllmTelemetry.Builder {}
}
