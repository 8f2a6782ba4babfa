package io.github.gkeinference.serving.disagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import io.github.gkeinference.serving.gateway.epp.EppServerChecks;
import io.github.gkeinference.serving.gateway.epp.KnownPlugin;
import io.github.gkeinference.serving.validate.BundleValidator;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisaggregatedServingTest {
  private static final String KV_TRANSFER =
      "--kv-transfer-config={\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_both\"}";

  /** Llama-3.1-8B on one L4 per pod: small enough for the checks, the same for both sides. */
  static VllmServer server(String name) {
    return server(name, "meta-llama/Llama-3.1-8B-Instruct");
  }

  static VllmServer server(String name, String model) {
    return VllmServer.builder()
        .name(name)
        .namespace("inference")
        .modelId(model)
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
        .maxModelLen(8192)
        .blockSize(64)
        .replicas(2)
        .build();
  }

  static DisaggregatedServing spec() {
    return DisaggregatedServing.builder()
        .name("llama-pd")
        .prefill(s -> s.server(server("llama-prefill")))
        .decode(s -> s.server(server("llama-decode")))
        .proxyOnlySubnet("10.129.0.0/23")
        .build();
  }

  private static Container vllm(RenderedSet set, String name) {
    return template(set, name).getSpec().getContainers().get(0);
  }

  private static PodTemplateSpec template(RenderedSet set, String name) {
    return set.find(Deployment.class, name).orElseThrow().getSpec().getTemplate();
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void render_bothSides_carryTheKvConnectorSideChannelAndRole() {
    RenderedSet set = spec().render();

    for (String side : List.of("prefill", "decode")) {
      Container c = vllm(set, "llama-" + side);
      assertThat(c.getArgs()).contains(KV_TRANSFER, "--block-size=64");
      List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
      // $(POD_IP) only expands when POD_IP is defined earlier in the list
      assertThat(names.indexOf("POD_IP")).isNotNegative();
      assertThat(names.indexOf("POD_IP")).isLessThan(names.indexOf("VLLM_NIXL_SIDE_CHANNEL_HOST"));
      assertThat(env(c, "VLLM_NIXL_SIDE_CHANNEL_HOST")).isEqualTo("$(POD_IP)");
      assertThat(env(c, "VLLM_NIXL_SIDE_CHANNEL_PORT")).isEqualTo("5600");
      assertThat(template(set, "llama-" + side).getMetadata().getLabels())
          .containsEntry("llm-d.ai/role", side)
          .containsEntry(DisaggregatedServing.POOL_LABEL, "llama-pd");
    }
  }

  @Test
  void render_prefillServesOnTheApiPort_decodeMovesVllmBehindTheSidecar() {
    RenderedSet set = spec().render();

    assertThat(vllm(set, "llama-prefill").getArgs()).contains("--port=8000");
    assertThat(template(set, "llama-prefill").getSpec().getInitContainers()).isNullOrEmpty();

    Container decode = vllm(set, "llama-decode");
    assertThat(decode.getArgs()).contains("--port=8200").doesNotContain("--port=8000");
    assertThat(decode.getPorts())
        .filteredOn(p -> p.getName().equals("http"))
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(8200);
    List<Container> init = template(set, "llama-decode").getSpec().getInitContainers();
    assertThat(init).extracting(Container::getName).containsExactly("routing-sidecar");
    Container sidecar = init.get(0);
    assertThat(sidecar.getImage()).isEqualTo("ghcr.io/llm-d/llm-d-routing-sidecar:v0.8.0");
    assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
    assertThat(sidecar.getArgs())
        .containsExactly(
            "--port=8000", "--vllm-port=8200", "--kv-connector=nixlv2", "--secure-proxy=false");
    assertThat(sidecar.getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(8000);
    assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(sidecar.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();

    // the decode Service reaches vLLM through the sidecar; metrics straight from vLLM
    Service svc = set.find(Service.class, "llama-decode").orElseThrow();
    assertThat(svc.getSpec().getPorts())
        .filteredOn(p -> p.getName().equals("http"))
        .extracting(p -> p.getTargetPort().getStrVal())
        .containsExactly("sidecar");
    assertThat(svc.getSpec().getPorts())
        .filteredOn(p -> p.getName().equals("metrics"))
        .extracting(ServicePort::getTargetPort)
        .extracting(t -> t.getStrVal())
        .containsExactly("http");
  }

  @Test
  void render_poolSelectsBothSidesOnTheSidecarPort_withThePdPicker() {
    RenderedSet set = spec().render();

    InferencePool pool = set.find(InferencePool.class, "llama-pd").orElseThrow();
    assertThat(pool.spec().selector().matchLabels())
        .isEqualTo(Map.of(DisaggregatedServing.POOL_LABEL, "llama-pd"));
    assertThat(pool.spec().targetPorts())
        .extracting(InferencePool.Port::number)
        .containsExactly(8000);
    String config =
        set.kubernetesObjects(ConfigMap.class).stream()
            .flatMap(c -> c.getData().values().stream())
            .filter(d -> d.contains("EndpointPickerConfig"))
            .findFirst()
            .orElseThrow();
    assertThat(config)
        .contains(
            "featureGates:\n- prepareDataPlugins\n",
            "- type: disagg-headers-handler\n",
            "- type: prefill-filter\n",
            "- type: decode-filter\n",
            "- type: prefix-based-pd-decider\n  parameters:\n    nonCachedTokens: 16\n",
            "- type: disagg-profile-handler\n  parameters:\n    deciders:\n"
                + "      prefill: prefix-based-pd-decider\n",
            "- name: prefill\n  plugins:\n  - pluginRef: prefill-filter\n",
            "- name: decode\n  plugins:\n  - pluginRef: decode-filter\n");
  }

  @Test
  void render_everyObjectIsSchemaValid_consistent_andDescribedByItsFacts() {
    RenderedSet set = spec().render();

    BundleAssertions.assertSchemaValid(set);
    assertThat(BundleValidator.validate(set)).filteredOn(Violation::isError).isEmpty();
    BundleAssertions.assertFactsMatchObjects(set);
  }

  @Test
  void render_factsOfBothSides_carryTheConnector_andPassThePickersServerChecks() {
    DisaggregatedServing spec = spec();
    RenderedSet set = spec.render();

    // both sides; the endpoint picker serves no model and attaches no facts
    assertThat(set.workloads())
        .extracting(WorkloadFacts::name)
        .containsExactly("llama-prefill", "llama-decode");
    for (String side : List.of("llama-prefill", "llama-decode")) {
      WorkloadFacts w = set.workload(side);
      assertThat(w.flags())
          .containsEntry(VllmFlags.KV_TRANSFER_CONFIG, spec.kvConnector().kvTransferConfigJson());
    }
    assertThat(set.workload("llama-decode").metrics().orElseThrow().port()).isEqualTo(8200);
    assertThat(set.workload("llama-decode").port(8000)).isPresent();
    assertThat(spec.gateway().validate(set)).isEmpty();
  }

  @Test
  void validate_pdPickerAgainstAServerWithoutKvConnector_isOneViolationAtTheHandler() {
    DisaggregatedServing spec = spec();
    VllmServer plain = server("llama-plain");
    Violations v = Violations.root();

    EppServerChecks.check(spec.endpointPicker(), List.of(plain.workloadFacts()), v);

    int handler =
        spec.endpointPicker()
            .plugins()
            .indexOf(
                spec.endpointPicker()
                    .plugin(KnownPlugin.DISAGG_PROFILE_HANDLER.type())
                    .orElseThrow());
    assertThat(v.all())
        .extracting(Violation::path)
        .containsExactly("plugins[" + handler + "].type");
  }

  @Test
  void build_sidesWithDifferentModelsAndBlockSizes_namesEachField() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                spec().toBuilder()
                    .decode(
                        s ->
                            s.server(
                                server("llama-decode", "Qwen/Qwen3-8B").toBuilder()
                                    .servedModelName("meta-llama/Llama-3.1-8B-Instruct")
                                    .blockSize(16)
                                    .build()))
                    .build());

    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("decode.server.modelId", "decode.server.blockSize");
  }

  @Test
  void build_differentBlockSize_isOneViolation() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                spec().toBuilder()
                    .decode(s -> s.server(server("llama-decode").toBuilder().blockSize(32).build()))
                    .build());

    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("decode.server.blockSize");
  }

  @Test
  void build_unsetBlockSizeAgainstVllmsDefault_isAccepted() {
    VllmServer unset =
        VllmServer.builder()
            .from(server("llama-decode"))
            .blockSize(java.util.OptionalInt.empty())
            .build();
    DisaggregatedServing spec =
        spec().toBuilder()
            .prefill(s -> s.server(server("llama-prefill").toBuilder().blockSize(16).build()))
            .decode(s -> s.server(unset))
            .build();

    assertThat(spec.decode().server().blockSize()).isEmpty();
  }

  @Test
  void build_kvConnectorInExtraArgsAndSameNames_areRejectedWithPaths() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                spec().toBuilder()
                    .name("llama-prefill")
                    .decode(
                        s ->
                            s.server(
                                server("llama-decode").toBuilder()
                                    .addExtraArgs("--kv-transfer-config={}")
                                    .build()))
                    .kvConnector(k -> k.sideChannelPort(8200))
                    .build());

    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("name", "decode.server.extraArgs[0]", "kvConnector.sideChannelPort");
  }

  @Test
  void build_giePicker_rejectsTheLlmdPdPlugins() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> spec().toBuilder().eppImage(InferenceGateway.DEFAULT_EPP_IMAGE).build());

    // headers handler, prefill and decode filters, decider and profile handler are llm-d's
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly(
            "endpointPicker.plugins[0].type",
            "endpointPicker.plugins[3].type",
            "endpointPicker.plugins[4].type",
            "endpointPicker.plugins[6].type",
            "endpointPicker.plugins[7].type");
  }

  @Test
  void render_multiHostDecode_putsTheSidecarOnTheLeaderAndTheConnectorOnEveryPod() {
    VllmServer big =
        server("llama-decode").toBuilder()
            .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
            .build();
    RenderedSet set = spec().toBuilder().decode(s -> s.server(big).nodes(2)).build().render();

    LeaderWorkerSet lws = set.find(LeaderWorkerSet.class, "llama-decode").orElseThrow();
    PodTemplateSpec leader = lws.getSpec().leaderWorkerTemplate().leaderTemplate();
    PodTemplateSpec worker = lws.getSpec().leaderWorkerTemplate().workerTemplate();
    assertThat(leader.getSpec().getInitContainers())
        .extracting(Container::getName)
        .contains("routing-sidecar");
    assertThat(leader.getSpec().getContainers().get(0).getArgs())
        .contains("--port=8200", KV_TRANSFER, "--pipeline-parallel-size=2");
    assertThat(worker.getSpec().getInitContainers()).isNullOrEmpty();
    assertThat(env(worker.getSpec().getContainers().get(0), "VLLM_NIXL_SIDE_CHANNEL_PORT"))
        .isEqualTo("5600");
    assertThat(worker.getMetadata().getLabels()).containsEntry("llm-d.ai/role", "decode");
    assertThat(set.workload("llama-decode").flags()).containsKey(VllmFlags.KV_TRANSFER_CONFIG);
    assertThat(
            spec().toBuilder().decode(s -> s.server(big).nodes(2)).build().gateway().validate(set))
        .isEmpty();
  }

  @Test
  void specFile_readsTheKind_asTheBuilderBuildsIt() {
    String yaml =
        """
        kind: DisaggregatedServing
        spec:
          name: llama-pd
          proxyOnlySubnet: 10.129.0.0/23
          prefill:
            server:
              name: llama-prefill
              namespace: inference
              modelId: meta-llama/Llama-3.1-8B-Instruct
              placement: {accelerator: nvidia-l4, devices: 1, machineType: g2-standard-16}
              maxModelLen: 8192
              blockSize: 64
              replicas: 2
          decode:
            server:
              name: llama-decode
              namespace: inference
              modelId: meta-llama/Llama-3.1-8B-Instruct
              placement: {accelerator: nvidia-l4, devices: 1, machineType: g2-standard-16}
              maxModelLen: 8192
              blockSize: 64
              replicas: 2
        """;

    List<RenderableSpec> specs = SpecFiles.standard().read(yaml);

    assertThat(specs).containsExactly(spec());
  }
}
