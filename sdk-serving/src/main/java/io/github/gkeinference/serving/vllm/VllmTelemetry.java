package io.github.gkeinference.serving.vllm;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Structured logs and OpenTelemetry tracing of a vLLM server ({@code VllmServer.telemetry}): the
 * flags and environment variables its container gets, each checked against the release its image
 * runs (the release table, {@code core.server.VllmReleases}).
 *
 * <pre>{@code
 * VllmServer.builder()
 *     ...
 *     .telemetry(t -> t
 *         .otlpTracesEndpoint("grpc://otel-collector.observability.svc:4317")
 *         .serviceName("llama-8b")
 *         .insecure(true))
 *     .build();
 * }</pre>
 *
 * <p>Sources: {@code --otlp-traces-endpoint} and {@code --collect-detailed-traces} ({@code model},
 * {@code worker} or {@code all}) are vLLM engine arguments (vllm-project/vllm {@code
 * vllm/engine/arg_utils.py} at v0.11.2); {@code OTEL_SERVICE_NAME} and {@code
 * OTEL_EXPORTER_OTLP_TRACES_INSECURE} come from vLLM's OpenTelemetry example ({@code
 * examples/online_serving/opentelemetry/README.md} at v0.11.2). JSON logs are {@code
 * --logging-config.formatter=json} (docs.vllm.ai/en/v0.32.0 logging configuration), which the v0.11
 * releases do not have: on them a spec asking for JSON logs is rejected. Tracing needs the
 * OpenTelemetry packages in the image, which the stock vLLM image does not install.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableVllmTelemetry.class)
public interface VllmTelemetry {
  /** The values {@code --collect-detailed-traces} accepts. */
  Set<String> DETAILED_TRACE_MODULES = Set.of("model", "worker", "all");

  /** The flag that selects vLLM's built-in JSON log formatter. */
  String JSON_LOGS_FLAG = "--logging-config.formatter=json";

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

  /**
   * Where to export traces over OTLP, an http, https or grpc URL such as {@code
   * grpc://collector:4317}; empty: no traces.
   */
  Optional<String> otlpTracesEndpoint();

  /** The service name on the traces ({@code OTEL_SERVICE_NAME}); required with an endpoint. */
  Optional<String> serviceName();

  /** Whether the OTLP connection is plaintext (an in-cluster collector); default false. */
  @Value.Default
  default boolean insecure() {
    return false;
  }

  /** Modules with detailed (costly) spans: {@code model}, {@code worker} or {@code all}. */
  Optional<String> collectDetailedTraces();

  /**
   * Checks every field; the caller checks the flags against the image's release ({@link
   * #validate(Violations, VllmRelease)}).
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("telemetry");
    otlpTracesEndpoint()
        .ifPresent(
            u ->
                v.require(
                    isEndpoint(u),
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

  private static boolean isEndpoint(String u) {
    try {
      URI uri = new URI(u);
      return Set.of("http", "https", "grpc").contains(String.valueOf(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * Reports, under {@code v}, each option whose flag the release does not accept, at the option's
   * path ({@code telemetry.jsonLogs}).
   *
   * @param v where to report, for example {@code v.at("telemetry")}
   * @param release the release the server's image runs
   */
  default void validate(Violations v, VllmRelease release) {
    flagsByAttribute()
        .forEach(
            (attribute, flag) ->
                release.unsupported(flag).ifPresent(why -> v.require(false, attribute, flag, why)));
  }

  /** Returns the vLLM command-line flags, in the order they are rendered. */
  default List<String> args() {
    return new ArrayList<>(flagsByAttribute().values());
  }

  private Map<String, String> flagsByAttribute() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (jsonLogs()) {
      flags.put("jsonLogs", JSON_LOGS_FLAG);
    }
    otlpTracesEndpoint()
        .ifPresent(u -> flags.put("otlpTracesEndpoint", VllmFlags.OTLP_TRACES_ENDPOINT + "=" + u));
    collectDetailedTraces()
        .ifPresent(
            m -> flags.put("collectDetailedTraces", VllmFlags.COLLECT_DETAILED_TRACES + "=" + m));
    return flags;
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

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableVllmTelemetry.Builder {}
}
