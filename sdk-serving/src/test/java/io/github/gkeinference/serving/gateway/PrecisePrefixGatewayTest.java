package io.github.gkeinference.serving.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.gateway.epp.EndpointPickerConfig;
import io.github.gkeinference.serving.gateway.epp.EppApiGroup;
import io.github.gkeinference.serving.gateway.epp.EppCompatibility;
import io.github.gkeinference.serving.gateway.epp.EppPlugin;
import io.github.gkeinference.serving.gateway.epp.KnownPlugin;
import io.github.gkeinference.serving.gateway.epp.PrecisePrefixRouting;
import io.github.gkeinference.serving.gateway.epp.SchedulingProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrecisePrefixGatewayTest {
  private static final PrecisePrefixRouting ROUTING =
      PrecisePrefixRouting.builder().modelName("meta-llama/Llama-3.1-8B-Instruct").build();

  /** Two replicas of Llama-3.1-8B publishing KV events. */
  static VllmServer server() {
    return InferenceGatewayTest.v1().toBuilder()
        .name("llama")
        .replicas(2)
        .precisePrefixRouting(ROUTING)
        .build();
  }

  static InferenceGateway gateway() {
    return InferenceGateway.builder()
        .name("llama")
        .namespace("inference")
        .eppImage(EppCompatibility.LLM_D_V0_8_0.eppImage())
        .addPool(
            p ->
                p.name("llama")
                    .matchLabels(server().selectorLabels())
                    .epp(EndpointPickerConfig.precisePrefix(ROUTING)))
        .proxyOnlySubnet("10.129.0.0/23")
        .build();
  }

  @Test
  void render_precisePrefix_matchesGoldenAndEveryObjectIsSchemaValid() {
    RenderedSet set = server().render().plus(gateway().render());
    BundleAssertions.assertBundle(set, "gateway/precise-prefix.yaml");
  }

  @Test
  void render_server_publishesKvEventsWithTheSharedBlockSizeAndSeed() {
    Deployment d = server().render().find(Deployment.class, "llama").orElseThrow();
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs())
        .contains("--block-size=64", "--kv-events-config=" + ROUTING.kvEventsConfigJson());
    assertThat(c.getEnv()).extracting(EnvVar::getName).contains("PYTHONHASHSEED", "POD_IP");
    assertThat(c.getEnv().stream().filter(e -> e.getName().equals("PYTHONHASHSEED")).findFirst())
        .get()
        .extracting(EnvVar::getValue)
        .isEqualTo("42");
  }

  @Test
  void validate_serversRenderedWithTheSameRouting_findsNothing() {
    assertThat(gateway().validate(server().render())).isEmpty();
  }

  @Test
  void validate_serverWithoutRouting_isOneViolationAtThePoolsScorer() {
    VllmServer plain = InferenceGatewayTest.v1().toBuilder().name("llama").build();
    List<Violation> found = gateway().validate(plain.render());
    assertThat(found).extracting(Violation::path).containsExactly("pools[0].epp.plugins[5].type");
  }

  @Test
  void validate_serverWithAnotherHashSeed_isOneViolationAtTheSeed() {
    VllmServer other =
        server().toBuilder()
            .precisePrefixRouting(
                PrecisePrefixRouting.builder().from(ROUTING).hashSeed("7").build())
            .build();
    assertThat(gateway().validate(other.render()))
        .extracting(Violation::path)
        .containsExactly("pools[0].epp.plugins[5].parameters.tokenProcessorConfig.hashSeed");
  }

  @Test
  void build_precisePrefixOnTheGiePicker_flagsTheTwoLlmdPlugins() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> gateway().toBuilder().eppImage(InferenceGateway.DEFAULT_EPP_IMAGE).build());
    // the tokenizer and the precise scorer are llm-d plugins; the GIE picker registers neither
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("pools[0].epp.plugins[0].type", "pools[0].epp.plugins[5].type");
  }

  @Test
  void build_llmdScorerOnTheGiePicker_isOneViolationAtTheScorer() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                InferenceGateway.builder()
                    .name("llama")
                    .addPool(
                        p ->
                            p.name("llama")
                                .putMatchLabel("app", "llama")
                                .epp(
                                    c ->
                                        c.addPlugin(EppPlugin.of(KnownPlugin.LOAD_AWARE_SCORER))
                                            .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))))
                    .build());
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("pools[0].epp.plugins[0].type");
  }

  @Test
  void build_llmdGroupOnAReleasedPicker_isOneViolationAtTheGroup() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                InferenceGateway.builder()
                    .name("llama")
                    .addPool(
                        p ->
                            p.name("llama")
                                .putMatchLabel("app", "llama")
                                .epp(
                                    EndpointPickerConfig.scorers(3, 2, 2).toBuilder()
                                        .apiGroup(EppApiGroup.LLM_D)
                                        .build()))
                    .build());
    assertThat(e.violations()).extracting(Violation::path).containsExactly("pools[0].epp.apiGroup");
  }

  @Test
  void validate_unlistedPickerImage_isOneWarning() {
    InferenceGateway custom = gateway().toBuilder().eppImage("example.com/my/epp:dev").build();
    List<Violation> found = custom.validate(server().render());
    assertThat(found).extracting(Violation::path).containsExactly("eppImage");
    assertThat(found.get(0).severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void build_serverBlockSizeOtherThanTheRoutings_isOneViolation() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class, () -> server().toBuilder().blockSize(16).build());
    assertThat(e.violations()).extracting(Violation::path).containsExactly("blockSize");
  }

  @Test
  void read_specFileWithAnEppConfig_givesTheSameConfigAsTheBuilder() {
    // spec files give every record field; plugin parameters (free-form values) are Java-only
    List<RenderableSpec> specs =
        SpecFiles.standard()
            .read(
                """
                kind: InferenceGateway
                spec:
                  name: llama
                  namespace: inference
                  pools:
                    - name: llama
                      matchLabels: {app: llama}
                      epp:
                        apiGroup: GATEWAY_API_INFERENCE_EXTENSION
                        plugins:
                          - {name: queue-scorer, type: queue-scorer, kind: SCORER, parameters: {}}
                          - name: max-score-picker
                            type: max-score-picker
                            kind: PICKER
                            parameters: {}
                        schedulingProfiles:
                          - name: default
                            plugins:
                              - {pluginRef: queue-scorer, weight: 2}
                              - {pluginRef: max-score-picker, weight: 1}
                """);
    EndpointPickerConfig expected =
        EndpointPickerConfig.builder()
            .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
            .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
            .addSchedulingProfile(
                SchedulingProfile.of(
                    "default",
                    SchedulingProfile.Entry.weighted("queue-scorer", 2),
                    SchedulingProfile.Entry.of("max-score-picker")))
            .build();
    assertThat(specs).hasSize(1);
    InferenceGateway read = (InferenceGateway) specs.get(0);
    assertThat(read.pools().get(0).epp()).contains(expected);
  }
}
