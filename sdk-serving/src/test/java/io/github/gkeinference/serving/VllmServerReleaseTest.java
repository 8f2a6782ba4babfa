package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's flags and telemetry checked against the release its image runs (the release table,
 * {@code core.server.VllmReleases}).
 */
class VllmServerReleaseTest {
  private static final String V0112 = "vllm/vllm-openai:v0.11.2";
  private static final String V0320 = "vllm/vllm-openai:v0.32.0";

  private static Container container(VllmServer server) {
    return server
        .render()
        .kubernetesObjects(Deployment.class)
        .get(0)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static List<Violation> violations(Runnable build) {
    try {
      build.run();
      return List.of();
    } catch (SdkValidationException e) {
      return e.violations();
    }
  }

  @Test
  void defaultImage_isThePinnedRelease_andEveryRenderedFlagIsAccepted() {
    VllmServer server = VllmServerTest.l4Llama8b();
    assertThat(server.image()).isEqualTo(V0112);
    Violations v = Violations.root();
    server.validate(v);
    assertThat(v.all()).isEmpty();
  }

  @Test
  void extraArg_theReleaseLacks_isOneViolationAtItsIndex() {
    List<Violation> found =
        violations(
            () ->
                VllmServerTest.l4Llama8b().toBuilder()
                    .extraArgs(List.of("--trust-remote-code", "--logging-config.formatter=json"))
                    .build());

    assertThat(found).as(found.toString()).hasSize(1);
    assertThat(found.get(0).path()).isEqualTo("extraArgs[1]");
    assertThat(found.get(0).message()).contains("vLLM 0.11.2", "--logging-config", "0.32.0");
    // accepted by a release that has it
    assertThat(
            container(
                    VllmServerTest.l4Llama8b().toBuilder()
                        .image(V0320)
                        .extraArgs(List.of("--logging-config.formatter=json"))
                        .build())
                .getArgs())
        .endsWith("--logging-config.formatter=json");
  }

  @Test
  void extraArg_repeatingAModelledFlag_isReportedOnceAsARepeat() {
    List<Violation> found =
        violations(
            () ->
                VllmServerTest.l4Llama8b().toBuilder()
                    .extraArgs(List.of("--logging-config=x"))
                    .build());

    assertThat(found).as(found.toString()).hasSize(1);
    assertThat(found.get(0).message()).contains("repeats a flag the spec models");
  }

  @Test
  void imageWhoseTagNamesNoRelease_buildsWithAWarning() {
    // the reference architecture's Gemma 4 overlays use this tag
    VllmServer latest =
        VllmServerTest.l4Llama8b().toBuilder().image("vllm/vllm-openai:gemma4").build();
    Violations v = Violations.root();
    latest.validate(v);

    assertThat(v.all()).hasSize(1);
    assertThat(v.all().get(0).severity()).isEqualTo(Severity.WARNING);
    assertThat(v.all().get(0).path()).isEqualTo("image");
  }

  @Test
  void telemetry_tracingIsRenderedIntoTheServerContainer() {
    VllmServer traced =
        VllmServerTest.l4Llama8b().toBuilder()
            .telemetry(
                t ->
                    t.otlpTracesEndpoint("grpc://otel-collector.observability.svc:4317")
                        .serviceName("llama")
                        .insecure(true)
                        .collectDetailedTraces("model"))
            .build();

    Container c = container(traced);
    assertThat(c.getArgs())
        .contains(
            "--otlp-traces-endpoint=grpc://otel-collector.observability.svc:4317",
            "--collect-detailed-traces=model")
        .doesNotContain("--logging-config.formatter=json");
    assertThat(c.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("OTEL_SERVICE_NAME", "llama"),
            org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "true"));
    traced.render().kubernetesObjects().forEach(SchemaValidator.forTests()::assertValid);
  }

  @Test
  void telemetry_jsonLogs_isRejectedOnV011_andRenderedOnARelaseWithLoggingConfig() {
    List<Violation> found =
        violations(
            () -> VllmServerTest.l4Llama8b().toBuilder().telemetry(t -> t.jsonLogs(true)).build());

    assertThat(found).as(found.toString()).hasSize(1);
    assertThat(found.get(0).path()).isEqualTo("telemetry.jsonLogs");
    assertThat(found.get(0).message()).contains("vLLM 0.11.2", "--logging-config");

    VllmServer json =
        VllmServerTest.l4Llama8b().toBuilder()
            .image(V0320)
            .telemetry(t -> t.jsonLogs(true))
            .build();
    assertThat(container(json).getArgs()).contains("--logging-config.formatter=json");
  }

  @Test
  void telemetry_badInput_reportsEveryField() {
    assertThatThrownBy(
            () ->
                VllmServerTest.l4Llama8b().toBuilder()
                    .telemetry(
                        t -> t.otlpTracesEndpoint("ftp://x").collectDetailedTraces("everything"))
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("telemetry.otlpTracesEndpoint")
        .hasMessageContaining("telemetry.serviceName")
        .hasMessageContaining("telemetry.collectDetailedTraces");
  }

  @Test
  void defaultGpuMemoryUtilization_followsTheImagesRelease() {
    assertThat(VllmServerTest.l4Llama8b().vllmVersion().orElseThrow().defaultGpuMemoryUtilization())
        .isEqualTo(0.90);
    assertThat(
            VllmServerTest.l4Llama8b().toBuilder()
                .image("vllm/vllm-openai:v0.21.0")
                .build()
                .vllmVersion()
                .orElseThrow()
                .defaultGpuMemoryUtilization())
        .isEqualTo(0.92);
  }

  private static final String SPEC_FILE =
      """
      kind: VllmServer
      spec:
        name: chat
        namespace: inference
        modelId: meta-llama/Llama-3.1-8B-Instruct
        image: IMAGE
        placement: {accelerator: nvidia-l4, devices: 1, machineType: g2-standard-8}
        telemetry:
          jsonLogs: true
          otlpTracesEndpoint: grpc://otel-collector.observability.svc:4317
          serviceName: chat
      """;

  @Test
  void specFile_bindsTelemetry_andChecksItAgainstTheImagesRelease() {
    List<RenderableSpec> specs = SpecFiles.standard().read(SPEC_FILE.replace("IMAGE", V0320));
    VllmServer server = (VllmServer) specs.get(0);
    assertThat(server.telemetry().orElseThrow().jsonLogs()).isTrue();
    assertThat(container(server).getArgs())
        .contains(
            "--logging-config.formatter=json",
            "--otlp-traces-endpoint=grpc://otel-collector.observability.svc:4317");

    assertThatThrownBy(() -> SpecFiles.standard().read(SPEC_FILE.replace("IMAGE", V0112)))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("telemetry.jsonLogs")
        .hasMessageContaining("vLLM 0.11.2 does not accept --logging-config");
  }
}
