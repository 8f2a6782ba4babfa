package io.github.gkeinference.serving.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseOptions;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.GcpRoutingExtension;
import io.github.gkeinference.serving.crd.HealthCheckPolicy;
import io.github.gkeinference.serving.crd.InferenceObjective;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.crd.PolicyTargetRef;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

public class InferenceGatewayTest {
  /** Version 1: Llama-3.1-8B-Instruct on vLLM v0.11.2, one L4, weights through GCS FUSE. */
  static VllmServer v1() {
    return VllmServer.builder()
        .name("llama-v1")
        .namespace("inference")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .servedModelName("llama")
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("models", "meta-llama/llama-3.1-8b-instruct"))
                .options(GcsFuseOptions.lowMemoryNode())
                .build())
        .placement(p -> p.accelerator("nvidia-l4").devices(1))
        .maxModelLen(8192)
        .build();
  }

  /** Version 2: the same model with FP8 KV cache and prefix caching, the candidate. */
  static VllmServer v2() {
    return v1().toBuilder().name("llama-v2").kvCacheDtype("fp8").prefixCaching(true).build();
  }

  public static InferenceGateway canary() {
    return InferenceGateway.builder()
        .name("llama")
        .namespace("inference")
        .addPool(p -> p.name("llama-v1").matchLabels(v1().selectorLabels()).weight(90))
        .addPool(p -> p.name("llama-v2").matchLabels(v2().selectorLabels()).weight(10))
        .addObjective("chat", "llama-v1", 10)
        .proxyOnlySubnet("10.129.0.0/23")
        .build();
  }

  @Test
  void render_canary_matchesGoldenAndEveryObjectIsSchemaValid() {
    RenderedSet set = v1().render().plus(v2().render()).plus(canary().render());
    BundleAssertions.assertBundle(set, "gateway/canary-90-10.yaml");
  }

  @Test
  void render_canary_splitsTrafficNinetyTen() {
    HTTPRoute route = canary().render().find(HTTPRoute.class, "llama").orElseThrow();
    List<HTTPBackendRef> backends = route.getSpec().getRules().get(0).getBackendRefs();
    assertThat(backends)
        .extracting(HTTPBackendRef::getName, HTTPBackendRef::getWeight, HTTPBackendRef::getKind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("llama-v1", 90, "InferencePool"),
            org.assertj.core.groups.Tuple.tuple("llama-v2", 10, "InferencePool"));
  }

  @Test
  void render_eachPool_getsItsOwnEndpointPickerWithScorers() {
    RenderedSet set = canary().render();
    for (String pool : List.of("llama-v1", "llama-v2")) {
      InferencePool ip = set.find(InferencePool.class, pool).orElseThrow();
      assertThat(ip.spec().endpointPickerRef().name()).isEqualTo(pool + "-epp");
      ConfigMap config = set.find(ConfigMap.class, pool + "-epp").orElseThrow();
      assertThat(config.getData().get("default-plugins.yaml"))
          .contains("type: prefix-cache-scorer", "type: queue-scorer")
          .contains("type: kv-cache-utilization-scorer");
    }
  }

  @Test
  void render_objective_inLlmdGroup_whenAsked() {
    RenderedSet set =
        canary().toBuilder()
            .objectiveApiVersion(InferenceObjective.LLM_D_API_VERSION)
            .build()
            .render();
    InferenceObjective o = set.find(InferenceObjective.class, "chat").orElseThrow();
    assertThat(o.getApiVersion()).isEqualTo("llm-d.ai/v1alpha2");
    SchemaValidator.forTests().assertValid(o);
  }

  @Test
  void render_networkPolicy_admitsProxySubnetCollectorAndNamespaceOnly() {
    NetworkPolicy np = canary().render().find(NetworkPolicy.class, "llama-ingress").orElseThrow();
    assertThat(np.getSpec().getIngress()).hasSize(1);
    assertThat(np.getSpec().getIngress().get(0).getFrom()).hasSize(3);
    assertThat(np.getSpec().getIngress().get(0).getFrom().get(0).getIpBlock().getCidr())
        .isEqualTo("10.129.0.0/23");
  }

  @Test
  void render_bodyBasedRouting_attachesTheRouterToTheGateway() {
    RenderedSet set = canary().toBuilder().bodyBasedRouting(true).build().render();
    BundleAssertions.assertSchemaValid(set);
    GcpRoutingExtension ext = set.find(GcpRoutingExtension.class, "llama-bbr").orElseThrow();
    assertThat(ext.spec().targetRefs())
        .containsExactly(new PolicyTargetRef("gateway.networking.k8s.io", "Gateway", "llama"));
    GcpRoutingExtension.Extension e = ext.spec().extensionChains().get(0).extensions().get(0);
    assertThat(e.backendRef().port()).isEqualTo(9004);
    assertThat(e.supportedEvents()).contains("RequestBody");
    assertThat(
            set.find(HealthCheckPolicy.class, "llama-bbr")
                .orElseThrow()
                .spec()
                .defaults()
                .config()
                .type())
        .isEqualTo("GRPC");
    assertThat(canary().render().find(GcpRoutingExtension.class, "llama-bbr")).isEmpty();
  }

  @Test
  void build_withBadFields_reportsEveryPath() {
    assertThatThrownBy(
            () ->
                InferenceGateway.builder()
                    .name("Llama")
                    .addPool(p -> p.name("a").targetPort(70000).weight(-1))
                    .addObjective("chat", "missing", 1)
                    .proxyOnlySubnet("10.0.0.0/33")
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .contains(
                        "name",
                        "pools[0].matchLabels",
                        "pools[0].targetPort",
                        "pools[0].weight",
                        "objectives[0].pool",
                        "proxyOnlySubnet"));
  }
}
