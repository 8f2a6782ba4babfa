package io.github.gkeinference.observability.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.observability.Fixtures;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeConfigsTest {

  @Test
  void modelServer_vllmDeployment_selectsExactlyTheDeploymentPods() {
    RenderedSet server = Fixtures.vllmServer();
    PodMonitoring pm = ScrapeConfigs.modelServer(ModelServer.VLLM, server.workload());

    Deployment d = server.find(Deployment.class, "vllm").orElseThrow();
    assertThat(pm.getSpec().getSelector().getMatchLabels())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    assertThat(pm.getMetadata().getNamespace()).isEqualTo(d.getMetadata().getNamespace());
    // the container names port 8000 "http", so the monitor refers to it by that name
    assertThat(pm.getSpec().getEndpoints().get(0).getPort().getStrVal()).isEqualTo("http");
    SchemaValidator.forTests().assertValid(pm);
    GoldenFiles.assertMatches("scrape/vllm-podmonitoring.yaml", ManifestYaml.toYaml(pm));
  }

  @Test
  void schema_rejectsAnIntervalThatIsNotAPrometheusDuration() {
    PodMonitoring pm =
        ScrapeConfigs.modelServer(ModelServer.VLLM, Fixtures.vllmServer().workload());
    pm.getSpec().getEndpoints().get(0).setInterval("15 seconds");
    assertThat(SchemaValidator.forTests().validate(pm)).isNotEmpty();
  }

  @Test
  void modelServer_leaderWorkerSet_selectsLeaderPodsByNumberedPort() {
    PodMonitoring pm =
        ScrapeConfigs.modelServer(
            ModelServer.VLLM, Fixtures.vllmLeaderWorkerSet().workload(), Duration.ofSeconds(30));

    assertThat(pm.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "leaderworkerset.sigs.k8s.io/name", "vllm-405b",
                "leaderworkerset.sigs.k8s.io/worker-index", "0"));
    ScrapeEndpoint e = pm.getSpec().getEndpoints().get(0);
    assertThat(e.getPort().getIntVal()).isEqualTo(8080);
    assertThat(e.getInterval()).isEqualTo("30s");
    SchemaValidator.forTests().assertValid(pm);
  }

  @Test
  void modelServer_jetstreamWithPrometheusPort_scrapesThatPort() {
    PodMonitoring pm =
        ScrapeConfigs.modelServer(
            ModelServer.JETSTREAM,
            Fixtures.jetstreamServer(List.of("--prometheus_port", "9100")).workload());
    assertThat(pm.getSpec().getEndpoints().get(0).getPort().getStrVal()).isEqualTo("prom");
    SchemaValidator.forTests().assertValid(pm);
  }

  @Test
  void modelServer_jetstreamWithoutPrometheusPort_isRejected() {
    WorkloadFacts w = Fixtures.jetstreamServer(List.of("--model=x")).workload();
    assertThatThrownBy(() -> ScrapeConfigs.modelServer(ModelServer.JETSTREAM, w))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("scrape.metrics")
        .hasMessageContaining("Prometheus port");
  }

  @Test
  void modelServer_tgiOrSglang_hasNoPreset_andIsRejected() {
    WorkloadFacts w = Fixtures.vllmServer().workload();
    for (ModelServer server : List.of(ModelServer.TGI, ModelServer.SGLANG)) {
      assertThat(ScrapeConfigs.hasPreset(server)).isFalse();
      SdkValidationException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              SdkValidationException.class, () -> ScrapeConfigs.modelServer(server, w));
      assertThat(e.errors()).extracting(Violation::path).containsExactly("scrape.server");
      assertThat(e.getMessage()).contains("no scrape preset");
    }
    assertThat(ScrapeConfigs.hasPreset(ModelServer.VLLM)).isTrue();
    assertThat(ScrapeConfigs.hasPreset(ModelServer.JETSTREAM)).isTrue();
  }

  @Test
  void modelServer_portNotDeclared_andBadInterval_reportsBoth() {
    WorkloadFacts w = Fixtures.jetstreamServer(List.of("--prometheus_port=9200")).workload();
    SdkValidationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SdkValidationException.class,
            () -> ScrapeConfigs.modelServer(ModelServer.JETSTREAM, w, Duration.ofMillis(1500)));
    assertThat(e.errors())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("scrape.interval", "scrape.port");
  }

  @Test
  void emptySelector_isRejected() {
    WorkloadFacts unselected =
        WorkloadFacts.builder()
            .apiVersion("v1")
            .kind("Pods")
            .name("x")
            .addPort("metrics", 9100)
            .metrics(9100, "metrics", "/metrics")
            .build();
    assertThatThrownBy(() -> ScrapeConfigs.modelServer(ModelServer.VLLM, unselected))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("scrape.podSelector");
    assertThatThrownBy(() -> ScrapeConfigs.dcgmExporter("dcgm", Map.of()))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("scrape.podSelector");
  }

  @Test
  void from_setWithTwoWorkloads_asksForAName() {
    RenderedSet two = Fixtures.vllmServer().plus(Fixtures.jetstreamServer(List.of()));
    assertThatThrownBy(two::workload).isInstanceOf(SdkValidationException.class);
    assertThat(two.workload("jetstream").namespace()).isEqualTo("tpu");
  }

  @Test
  void dcgmExporter_isClusterScopedAndSchemaValid() {
    ClusterPodMonitoring cpm =
        ScrapeConfigs.dcgmExporter("dcgm-exporter", ScrapeConfigs.DCGM_DEFAULT_LABELS);
    assertThat(cpm.getMetadata().getNamespace()).isNull();
    SchemaValidator.forTests().assertValid(cpm);
    GoldenFiles.assertMatches("scrape/dcgm-clusterpodmonitoring.yaml", ManifestYaml.toYaml(cpm));
  }

  @Test
  void endpointPicker_rendersTokenSecretRbacAndMonitor_withoutAnySecretValue() {
    RenderedSet set =
        ScrapeConfigs.endpointPicker(
            "vllm-pool", "inference", Map.of("inferencepool", "vllm-pool-epp"), false);

    assertThat(set.kubernetesResources())
        .extracting(r -> r.kind())
        .containsExactly(
            "ServiceAccount",
            "ClusterRole",
            "Role",
            "ClusterRoleBinding",
            "RoleBinding",
            "Secret",
            "PodMonitoring");
    Secret secret = set.kubernetesObjects(Secret.class).get(0);
    assertThat(secret.getData()).isNullOrEmpty();
    assertThat(secret.getStringData()).isNullOrEmpty();
    PodMonitoring pm = set.kubernetesObjects(PodMonitoring.class).get(0);
    assertThat(pm.getSpec().getEndpoints().get(0).getAuthorization().getCredentials())
        .isEqualTo(
            Map.of("secret", Map.of("name", secret.getMetadata().getName(), "key", "token")));
    SchemaValidator validator = SchemaValidator.forTests();
    set.kubernetesObjects().forEach(validator::assertValid); // every kind, RBAC included
    GoldenFiles.assertMatches("scrape/epp-monitoring.yaml", ManifestYaml.toYaml(set));
  }

  @Test
  void endpointPicker_onAutopilot_bindsTheAutopilotCollector() {
    RenderedSet set = ScrapeConfigs.endpointPicker("p", "ns", Map.of("app", "epp"), true);
    assertThat(ManifestYaml.toYaml(set)).contains("namespace: gke-gmp-system");
  }
}
