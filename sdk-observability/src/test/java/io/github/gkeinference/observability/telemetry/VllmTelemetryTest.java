package io.github.gkeinference.observability.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class VllmTelemetryTest {

  @Test
  void applyTo_addsFlagsAndEnv_withoutChangingTheInput() {
    Container vllm = new ContainerBuilder().withName("vllm").withArgs("--model=m").build();
    Container traced =
        VllmTelemetry.builder()
            .jsonLogs(true)
            .otlpTracesEndpoint(URI.create("grpc://otel-collector.observability.svc:4317"))
            .serviceName("llama")
            .insecure(true)
            .collectDetailedTraces("model")
            .build()
            .applyTo(vllm);

    assertThat(traced.getArgs())
        .containsExactly(
            "--model=m",
            "--logging-config.formatter=json",
            "--otlp-traces-endpoint=grpc://otel-collector.observability.svc:4317",
            "--collect-detailed-traces=model");
    assertThat(traced.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("OTEL_SERVICE_NAME", "llama"),
            org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "true"));
    assertThat(vllm.getArgs()).containsExactly("--model=m");
  }

  @Test
  void defaults_changeNothing() {
    VllmTelemetry none = VllmTelemetry.builder().build();
    assertThat(none.args()).isEmpty();
    assertThat(none.env()).isEmpty();
  }

  @Test
  void badInput_reportsEveryField() {
    assertThatThrownBy(
            () ->
                VllmTelemetry.builder()
                    .otlpTracesEndpoint(URI.create("ftp://x"))
                    .collectDetailedTraces("everything")
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("telemetry.otlpTracesEndpoint")
        .hasMessageContaining("telemetry.serviceName")
        .hasMessageContaining("telemetry.collectDetailedTraces");
  }
}
