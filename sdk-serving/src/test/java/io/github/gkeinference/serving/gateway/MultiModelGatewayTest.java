package io.github.gkeinference.serving.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.GcpRoutingExtension;
import io.github.gkeinference.serving.crd.InferenceObjective;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiModelGatewayTest {
  private static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";
  private static final String QWEN = "Qwen/Qwen3-8B";

  private static VllmServer server(String name, String model, LoraAdapter... adapters) {
    return VllmServer.builder()
        .name(name)
        .namespace("inference")
        .modelId(model)
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("models", model.toLowerCase(java.util.Locale.ROOT)))
                .build())
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
        .maxModelLen(8192)
        .addLoraAdapters(adapters)
        .maxLoraRank(
            adapters.length > 0 ? java.util.OptionalInt.of(16) : java.util.OptionalInt.empty())
        .build();
  }

  static VllmServer llama() {
    return server("llama", LLAMA, LoraAdapter.inModelBucket("sql-lora", "adapters/sql"));
  }

  static VllmServer qwen() {
    return server("qwen", QWEN, LoraAdapter.inModelBucket("chat-lora", "adapters/chat"));
  }

  static MultiModelGateway.Builder gateway() {
    return MultiModelGateway.builder()
        .name("models")
        .namespace("inference")
        .addPool(p -> p.name("llama").matchLabels(llama().selectorLabels()))
        .addPool(p -> p.name("qwen").matchLabels(qwen().selectorLabels()))
        .addModel(LLAMA, "llama")
        .addModel(QWEN, "qwen")
        .addLoraAdapter("sql-lora", "llama", 10)
        .addLoraAdapter("chat-lora", "qwen", 0);
  }

  private static RenderedSet servers() {
    return llama().render().plus(qwen().render());
  }

  private static List<String> paths(Throwable e) {
    return ((SdkValidationException) e).violations().stream().map(Violation::path).toList();
  }

  @Test
  void render_routesEachModelNameToItsPoolByTheModelHeader() {
    RenderedSet set = gateway().build().render();

    BundleAssertions.assertSchemaValid(set);
    HTTPRoute route = set.find(HTTPRoute.class, "models").orElseThrow();
    List<HTTPRouteRule> rules = route.getSpec().getRules();
    // base models first, then adapters, in the order the spec lists them
    assertThat(rules)
        .extracting(r -> r.getMatches().get(0).getHeaders().get(0).getValue())
        .containsExactly(LLAMA, QWEN, "sql-lora", "chat-lora");
    assertThat(rules)
        .extracting(r -> r.getBackendRefs().get(0).getName())
        .containsExactly("llama", "qwen", "llama", "qwen");
    for (HTTPRouteRule r : rules) {
      assertThat(r.getMatches()).hasSize(1);
      assertThat(r.getMatches().get(0).getHeaders().get(0).getName())
          .isEqualTo("X-Gateway-Model-Name");
      assertThat(r.getMatches().get(0).getHeaders().get(0).getType()).isEqualTo("Exact");
      assertThat(r.getBackendRefs()).hasSize(1);
      assertThat(r.getBackendRefs().get(0).getKind()).isEqualTo(InferencePool.KIND);
    }
    // the gateway's weighted route is replaced, not kept beside this one
    assertThat(set.kubernetesObjects(HTTPRoute.class)).hasSize(1);
  }

  @Test
  void render_composesThePerPoolPartsOfTheInferenceGateway() {
    RenderedSet set = gateway().build().render();

    assertThat(set.kubernetesObjects(InferencePool.class))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("llama", "qwen");
    assertThat(set.find(Deployment.class, "llama-epp")).isPresent();
    assertThat(set.find(Deployment.class, "qwen-epp")).isPresent();
    assertThat(set.find(GcpRoutingExtension.class, "models-bbr")).isPresent();
    // everything but the route is exactly what the composed InferenceGateway renders
    RenderedSet plain = gateway().build().inferenceGateway().render();
    assertThat(set.size()).isEqualTo(plain.size() - 1 + 1 + 2);
  }

  @Test
  void render_adaptersBecomeObjectivesOfTheirBasePool() {
    RenderedSet set = gateway().build().render();

    assertThat(set.kubernetesObjects(InferenceObjective.class))
        .extracting(
            o -> o.getMetadata().getName(),
            o -> o.spec().poolRef().name(),
            o -> o.spec().priority())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("sql-lora", "llama", 10),
            org.assertj.core.groups.Tuple.tuple("chat-lora", "qwen", 0));
  }

  @Test
  void render_mapsEachPoolsAdaptersToItsBaseModelForTheRouter() {
    RenderedSet set = gateway().addLoraAdapter("sum-lora", "llama", 0).build().render();

    ConfigMap llama = set.find(ConfigMap.class, "llama-adapters").orElseThrow();
    assertThat(llama.getMetadata().getLabels())
        .containsEntry("inference.networking.k8s.io/bbr-managed", "true");
    assertThat(llama.getData())
        .containsEntry("baseModel", LLAMA)
        .containsEntry("adapters", "- sql-lora\n- sum-lora\n");
    assertThat(set.find(ConfigMap.class, "qwen-adapters").orElseThrow().getData())
        .containsEntry("baseModel", QWEN)
        .containsEntry("adapters", "- chat-lora\n");
  }

  @Test
  void render_bodyBasedRouter_canReadTheAdapterConfigMapsAndStreams() {
    RenderedSet set = gateway().build().render();

    Deployment bbr = set.find(Deployment.class, "models-bbr").orElseThrow();
    Container c = bbr.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("--streaming");
    assertThat(bbr.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("models-bbr");
    Role role = set.find(Role.class, "models-bbr").orElseThrow();
    assertThat(role.getRules().get(0).getResources()).containsExactly("configmaps");
    assertThat(role.getRules().get(0).getVerbs()).containsExactly("get", "list", "watch");
  }

  @Test
  void render_oneModelWithoutBodyBasedRouting_routesOnThePathAlone() {
    RenderedSet set =
        MultiModelGateway.builder()
            .name("models")
            .addPool(p -> p.name("llama").matchLabels(llama().selectorLabels()))
            .addModel(LLAMA, "llama")
            .bodyBasedRouting(false)
            .build()
            .render();

    HTTPRoute route = set.find(HTTPRoute.class, "models").orElseThrow();
    assertThat(route.getSpec().getRules()).hasSize(1);
    assertThat(route.getSpec().getRules().get(0).getMatches().get(0).getHeaders()).isEmpty();
    assertThat(set.find(Deployment.class, "models-bbr")).isEmpty();
    assertThat(set.kubernetesObjects(ConfigMap.class))
        .extracting(m -> m.getMetadata().getName())
        .doesNotContain("llama-adapters");
  }

  @Test
  void build_modelNameServedByTwoPools_isOneViolation() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                gateway()
                    .models(List.of())
                    .addModel(LLAMA, "llama")
                    .addModel(LLAMA, "qwen")
                    .build());

    assertThat(paths(e)).containsExactly("models[1].name");
    assertThat(e.violations().get(0).message()).contains("models[0] of pool llama");
  }

  @Test
  void build_adapterNamedLikeABaseModel_isOneViolation() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                gateway()
                    .models(List.of())
                    .addModel("sql-lora", "llama")
                    .addModel(QWEN, "qwen")
                    .build());

    assertThat(paths(e)).containsExactly("loraAdapters[0].name");
  }

  @Test
  void build_routeToAnUnknownPool_isOneViolation() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> gateway().addLoraAdapter("sum-lora", "gemma", 0).build());

    assertThat(paths(e)).containsExactly("loraAdapters[2].pool");
  }

  @Test
  void build_modelRoutedToAnUnknownPool_isOneViolationAtThatModel() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                gateway()
                    .addPool(p -> p.name("gemma").putMatchLabel("app", "gemma"))
                    .addModel("google/gemma-3-4b-it", "gemma")
                    .addModel("google/gemma-3-1b-it", "gema")
                    .build());

    assertThat(paths(e)).containsExactly("models[3].pool");
  }

  @Test
  void build_bodyBasedRoutingOffWithSeveralModels_isOneViolation() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class, () -> gateway().bodyBasedRouting(false).build());

    assertThat(paths(e)).containsExactly("bodyBasedRouting");
    assertThat(e.violations().get(0).message()).contains("(4)");
  }

  @Test
  void build_poolWithTwoBaseModelsOrNone_isOneViolationEach() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                gateway()
                    .models(List.of())
                    .addModel(LLAMA, "llama")
                    .addModel("meta-llama/Llama-3.2-1B", "llama")
                    .build());

    assertThat(paths(e)).containsExactly("models[1].pool", "pools[1].name");
  }

  @Test
  void build_moreModelNamesThanRouteRules_isRejected() {
    MultiModelGateway.Builder b = gateway();
    for (int i = 0; i < 13; i++) {
      b.addLoraAdapter("extra-" + i, "llama", 0);
    }

    var e = catchThrowableOfType(SdkValidationException.class, b::build);

    assertThat(paths(e)).containsExactly("models");
    // 16 names fit: the HTTPRoute's limit
    gateway().loraAdapters(List.of()).build();
  }

  @Test
  void build_gatewayFields_reportedAtTheSamePathsAsTheInferenceGateway() {
    var e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                gateway()
                    .name("Models")
                    .timeoutSeconds(0)
                    .addLoraAdapter("Sum_Lora", "llama", 0)
                    .build());

    assertThat(paths(e))
        .containsExactlyInAnyOrder("name", "timeoutSeconds", "loraAdapters[2].name");
  }

  @Test
  void validate_serversThatServeTheRoutes_findsNothing() {
    assertThat(gateway().build().validate(servers())).isEmpty();
  }

  @Test
  void validate_adapterOnAServerWithoutLora_isOneViolation() {
    RenderedSet servers = server("llama", LLAMA).render().plus(qwen().render());

    List<Violation> found = gateway().build().validate(servers);

    assertThat(found).extracting(Violation::path).containsExactly("loraAdapters[0].pool");
    assertThat(found.get(0).message()).contains("--enable-lora");
  }

  @Test
  void validate_adapterTheServerDoesNotLoad_isOneViolation() {
    RenderedSet servers =
        server("llama", LLAMA, LoraAdapter.inModelBucket("other-lora", "adapters/other"))
            .render()
            .plus(qwen().render());

    List<Violation> found = gateway().build().validate(servers);

    assertThat(found).extracting(Violation::path).containsExactly("loraAdapters[0].name");
    assertThat(found.get(0).message()).contains("--lora-modules");
  }

  @Test
  void validate_serverServingAnotherName_isOneViolation() {
    RenderedSet servers =
        llama().toBuilder().servedModelName("llama").build().render().plus(qwen().render());

    List<Violation> found = gateway().build().validate(servers);

    assertThat(found).extracting(Violation::path).containsExactly("models[0].name");
  }

  @Test
  void validate_poolSelectingNoServer_isAWarning() {
    List<Violation> found = gateway().build().validate(llama().render());

    assertThat(found).extracting(Violation::path).containsExactly("pools[1].matchLabels");
    assertThat(found.get(0).severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void specFile_readsTheKind() {
    String yaml =
        """
        kind: MultiModelGateway
        spec:
          name: models
          namespace: inference
          pools:
            - name: llama
              matchLabels: {app: llama}
            - name: qwen
              matchLabels: {app: qwen}
          models:
            - {name: meta-llama/Llama-3.1-8B-Instruct, pool: llama}
            - {name: Qwen/Qwen3-8B, pool: qwen}
          loraAdapters:
            - {name: sql-lora, pool: llama, priority: 10}
            - {name: chat-lora, pool: qwen}
        """;

    List<RenderableSpec> specs = SpecFiles.standard().read(yaml);

    MultiModelGateway g = (MultiModelGateway) specs.get(0);
    assertThat(g.loraAdapters())
        .containsExactly(
            MultiModelGateway.AdapterRoute.of("sql-lora", "llama", 10),
            MultiModelGateway.AdapterRoute.of("chat-lora", "qwen", 0));
    assertThat(g.bodyBasedRouting()).isTrue();
  }
}
