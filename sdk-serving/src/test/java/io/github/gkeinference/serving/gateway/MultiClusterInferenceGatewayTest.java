package io.github.gkeinference.serving.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.GcpBackendPolicy;
import io.github.gkeinference.serving.crd.HealthCheckPolicy;
import io.github.gkeinference.serving.crd.InferenceObjective;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.gateway.epp.EndpointPickerConfig;
import io.github.gkeinference.serving.gateway.epp.EppPlugin;
import io.github.gkeinference.serving.gateway.epp.KnownPlugin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiClusterInferenceGatewayTest {
  /** The same Llama-3.1-8B server in both clusters (the setup guide deploys one per cluster). */
  static VllmServer server() {
    return InferenceGatewayTest.v1().toBuilder().name("llama").build();
  }

  /** The setup guide's fleet: gke-west (config and target) and gke-east (target). */
  static MultiClusterInferenceGateway fleet() {
    return MultiClusterInferenceGateway.builder()
        .name("llama")
        .namespace("inference")
        .addCluster(c -> c.name("gke-west").region("europe-west3").gkeVersion("1.34.1-gke.1127000"))
        .addCluster(c -> c.name("gke-east").region("us-east4").gkeVersion("1.35.0-gke.1000"))
        .configCluster("gke-west")
        .addPool(p -> p.name("llama").matchLabels(server().selectorLabels()))
        .addObjective("chat", "llama", 10)
        .timeoutSeconds(600)
        .build();
  }

  private static MultiClusterInferenceGateway.Cluster version(
      MultiClusterInferenceGateway.Cluster cluster, String gkeVersion) {
    return MultiClusterInferenceGateway.Cluster.builder()
        .from(cluster)
        .gkeVersion(gkeVersion)
        .build();
  }

  @Test
  void renderClusters_twoClusters_matchGoldenAndAreSchemaValid() {
    Map<String, RenderedSet> clusters = fleet().renderClusters();
    assertThat(clusters).containsOnlyKeys("gke-west", "gke-east");
    BundleAssertions.assertBundle(
        server().render().plus(clusters.get("gke-west")), "gateway/multi-cluster/gke-west.yaml");
    BundleAssertions.assertBundle(
        server().render().plus(clusters.get("gke-east")), "gateway/multi-cluster/gke-east.yaml");
  }

  @Test
  void renderClusters_targetCluster_exportsPoolsAndHoldsNoLoadBalancerObjects() {
    RenderedSet east = fleet().renderClusters().get("gke-east");
    InferencePool pool = east.find(InferencePool.class, "llama").orElseThrow();
    assertThat(pool.getMetadata().getAnnotations())
        .containsEntry("networking.gke.io/export", "True");
    assertThat(east.kubernetesObjects(InferenceObjective.class)).hasSize(1);
    // the import in the config cluster carries the load balancer; a target holds none of it
    assertThat(east.kubernetesObjects(Gateway.class)).isEmpty();
    assertThat(east.kubernetesObjects(HTTPRoute.class)).isEmpty();
    assertThat(east.kubernetesObjects(HealthCheckPolicy.class)).isEmpty();
    assertThat(east.kubernetesObjects(GcpBackendPolicy.class)).isEmpty();
  }

  @Test
  void renderClusters_configCluster_routesToTheImportedPools() {
    RenderedSet west = fleet().renderClusters().get("gke-west");
    Gateway gateway = west.find(Gateway.class, "llama").orElseThrow();
    assertThat(gateway.getSpec().getGatewayClassName())
        .isEqualTo("gke-l7-cross-regional-internal-managed-mc");
    // an ephemeral address in each cluster's region
    assertThat(gateway.getSpec().getAddresses())
        .extracting(a -> a.getType() + "=" + a.getValue())
        .containsExactly(
            "networking.gke.io/ephemeral-ipv4-address/europe-west3=europe-west3",
            "networking.gke.io/ephemeral-ipv4-address/us-east4=us-east4");
    HTTPBackendRef backend =
        west.find(HTTPRoute.class, "llama")
            .orElseThrow()
            .getSpec()
            .getRules()
            .get(0)
            .getBackendRefs()
            .get(0);
    assertThat(backend.getGroup() + "/" + backend.getKind() + "/" + backend.getName())
        .isEqualTo("networking.gke.io/GCPInferencePoolImport/llama");
    HealthCheckPolicy health = west.find(HealthCheckPolicy.class, "llama").orElseThrow();
    assertThat(health.spec().targetRef().kind()).isEqualTo("GCPInferencePoolImport");
    GcpBackendPolicy backendPolicy = west.find(GcpBackendPolicy.class, "llama").orElseThrow();
    assertThat(backendPolicy.spec().targetRef().kind()).isEqualTo("GCPInferencePoolImport");
    assertThat(backendPolicy.spec().defaults().timeoutSec()).isEqualTo(600);
  }

  @Test
  void renderClusters_dedicatedConfigCluster_holdsNoPools() {
    MultiClusterInferenceGateway spec =
        fleet().toBuilder()
            .addCluster(
                MultiClusterInferenceGateway.Cluster.builder()
                    .name("gke-config")
                    .region("us-central1")
                    .gkeVersion("1.34.1-gke.1127000")
                    .target(false)
                    .build())
            .configCluster("gke-config")
            .build();
    Map<String, RenderedSet> clusters = spec.renderClusters();
    assertThat(clusters.get("gke-config").kubernetesObjects(InferencePool.class)).isEmpty();
    assertThat(clusters.get("gke-config").kubernetesObjects(Gateway.class)).hasSize(1);
    assertThat(clusters.get("gke-west").kubernetesObjects(Gateway.class)).isEmpty();
    assertThat(spec.render().kubernetesObjects(Gateway.class)).hasSize(1);
  }

  @Test
  void build_clusterBelowTheGkeFloor_isOneViolationWithItsPath() {
    assertThatThrownBy(
            () ->
                fleet().toBuilder()
                    .clusters(
                        List.of(
                            fleet().clusters().get(0),
                            version(fleet().clusters().get(1), "1.34.1-gke.1126999")))
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .singleElement()
                    .satisfies(
                        v -> {
                          assertThat(v.path()).isEqualTo("clusters[1].gkeVersion");
                          assertThat(v.message()).contains("1.34.1-gke.1127000");
                        }));
  }

  @Test
  void build_malformedVersionAndUnknownConfigCluster_areReportedTogether() {
    assertThatThrownBy(
            () ->
                fleet().toBuilder()
                    .clusters(
                        List.of(
                            version(fleet().clusters().get(0), "latest"),
                            fleet().clusters().get(1)))
                    .configCluster("gke-north")
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("clusters[0].gkeVersion", "configCluster"));
  }

  @Test
  void build_badPool_isReportedAtThePoolsPath() {
    assertThatThrownBy(
            () ->
                fleet().toBuilder()
                    .pools(
                        List.of(
                            InferenceGateway.Pool.builder()
                                .from(fleet().pools().get(0))
                                .name("Llama")
                                .build()))
                    .objectives(List.of())
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("pools[0].name"));
  }

  @Test
  void validate_runsTheEppChecksAgainstEachTargetClustersServers() {
    // the LoRA-affinity scorer reads vllm:lora_requests_info, which a server without LoRA lacks
    MultiClusterInferenceGateway spec =
        fleet().toBuilder()
            .pools(
                List.of(
                    InferenceGateway.Pool.builder()
                        .from(fleet().pools().get(0))
                        .epp(
                            EndpointPickerConfig.builder()
                                .addPlugin(EppPlugin.of(KnownPlugin.LORA_AFFINITY_SCORER))
                                .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
                                .build())
                        .build()))
            .build();
    List<Violation> found =
        spec.validate(Map.of("gke-west", server().render(), "gke-east", server().render()));
    assertThat(found)
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "clusters[0].pools[0].epp.plugins[0].type", "clusters[1].pools[0].epp.plugins[0].type");
  }

  @Test
  void specFile_readsTheKind() {
    List<RenderableSpec> specs =
        SpecFiles.standard()
            .read(
                """
                kind: MultiClusterInferenceGateway
                spec:
                  name: llama
                  namespace: inference
                  configCluster: gke-west
                  outputCluster: gke-east
                  clusters:
                    - {name: gke-west, region: europe-west3, gkeVersion: 1.34.1-gke.1127000}
                    - {name: gke-east, region: us-east4, gkeVersion: 1.35.0-gke.1000}
                  pools:
                    - name: llama
                      matchLabels: {app: llama}
                """);
    MultiClusterInferenceGateway read = (MultiClusterInferenceGateway) specs.get(0);
    assertThat(read.clusters())
        .extracting(MultiClusterInferenceGateway.Cluster::name)
        .containsExactly("gke-west", "gke-east");
    // outputCluster picks the target cluster's set: the exported pool, no Gateway
    assertThat(read.render().kubernetesObjects(InferencePool.class)).hasSize(1);
    assertThat(read.render().kubernetesObjects(Gateway.class)).isEmpty();
  }

  @Test
  void specFile_clusterBelowTheFloor_isReportedWithTheFilePath() {
    assertThatThrownBy(
            () ->
                SpecFiles.standard()
                    .read(
                        """
                        kind: MultiClusterInferenceGateway
                        spec:
                          name: llama
                          configCluster: gke-west
                          clusters:
                            - {name: gke-west, region: europe-west3, gkeVersion: 1.33.5-gke.100}
                          pools:
                            - name: llama
                              matchLabels: {app: llama}
                        """))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("[0].spec.clusters[0].gkeVersion"));
  }
}
