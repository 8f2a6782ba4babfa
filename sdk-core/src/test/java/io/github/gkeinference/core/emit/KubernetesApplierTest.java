package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.retry.FakeTime;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.testing.kubernetes.Fault;
import io.github.gkeinference.testing.kubernetes.KubernetesTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesApplierTest {
  private static final String NS = "ml";
  private static final String DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/ml/deployments/web";

  private final KubernetesTestServer server = KubernetesTestServer.start();
  private final KubernetesClient client = server.client();
  private final FakeTime time = new FakeTime();

  @AfterEach
  void close() {
    server.close();
  }

  private KubernetesApplier.Builder applier() {
    return KubernetesApplier.builder(client, "web-app").clock(time).sleeper(time);
  }

  /** Six objects in apply order: namespace, service account, config, deployment, service, HPA. */
  private static RenderedSet sixObjects() {
    return RenderedSet.of(
        new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build(),
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(NS)
            .endMetadata()
            .build(),
        configMap("web-config", Map.of("mode", "online")),
        deployment(2),
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withSelector(Map.of("app", "web"))
            .addNewPort()
            .withPort(8000)
            .withTargetPort(new IntOrString(8000))
            .endPort()
            .endSpec()
            .build(),
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withMinReplicas(1)
            .withMaxReplicas(4)
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName("web")
            .endScaleTargetRef()
            .endSpec()
            .build());
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withData(data)
        .build();
  }

  private static Deployment deployment(int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of("app", "web"))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", "web"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("vllm")
        .withImage("vllm/vllm-openai:v0.11.2")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void apply_newSet_createsEverythingInOrderWithOwnershipLabels() {
    ApplyReport report = applier().build().apply(sixObjects());

    assertThat(report.results())
        .extracting(ResourceResult::kind)
        .containsExactly(
            "Namespace",
            "ServiceAccount",
            "ConfigMap",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler");
    assertThat(report.results())
        .extracting(ResourceResult::action)
        .containsOnly(ApplyAction.CREATED);
    Deployment live = client.apps().deployments().inNamespace(NS).withName("web").get();
    assertThat(live.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .containsEntry(KubernetesApplier.APPLY_SET_LABEL, "web-app");
    assertThat(server.requests())
        .anyMatch(
            r -> r.startsWith("PATCH " + DEPLOYMENT_PATH + "?fieldManager=gke-inference-sdk"));
  }

  @Test
  void apply_twice_secondRunReportsEveryObjectUnchanged() {
    applier().build().apply(sixObjects());

    ApplyReport second = applier().build().apply(sixObjects());

    assertThat(second.results()).hasSize(6);
    assertThat(second.results())
        .extracting(ResourceResult::action)
        .containsOnly(ApplyAction.UNCHANGED);
  }

  @Test
  void apply_changedReplicas_reportsConfiguredAndDiffNamesTheField() {
    applier().build().apply(sixObjects());
    RenderedSet changed = RenderedSet.of(deployment(3));

    List<ResourceDiff> diff = applier().build().diff(changed);
    assertThat(diff)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.change()).isEqualTo(ResourceDiff.Change.CHANGED);
              assertThat(d.changedFields()).containsExactly("spec.replicas");
            });

    ApplyReport report = applier().build().apply(changed);
    assertThat(report.results())
        .extracting(ResourceResult::action)
        .containsExactly(ApplyAction.CONFIGURED);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }

  @Test
  void apply_threeServerErrorsThenSuccess_convergesWithinRetryBound() {
    server.failNext("*", DEPLOYMENT_PATH, 3, Fault.serverError());

    ApplyReport report = applier().build().apply(sixObjects());

    ResourceResult deployment = report.results().get(3);
    assertThat(deployment.action()).isEqualTo(ApplyAction.CREATED);
    // three failed attempts, then the fourth succeeds; the default policy allows six
    assertThat(deployment.attempts()).isEqualTo(4);
    assertThat(time.sleeps()).hasSize(3);
    assertThat(report.hasFailures()).isFalse();
  }

  @Test
  void apply_serverErrorsBeyondRetryBound_failsAndStops() {
    server.failNext("*", DEPLOYMENT_PATH, 10, Fault.serverError());

    ApplyReport report =
        applier()
            .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
            .build()
            .apply(sixObjects());

    assertThat(report.results().get(3).action()).isEqualTo(ApplyAction.FAILED);
    assertThat(report.results().get(3).attempts()).isEqualTo(3);
    assertThat(report.results().get(3).reason()).contains("HTTP 500");
  }

  @Test
  void apply_tooManyRequestsWithRetryAfter_waitsAsTheServerAsks() {
    server.failNext("PATCH", DEPLOYMENT_PATH, 1, Fault.tooManyRequests(Duration.ofSeconds(7)));

    ApplyReport report = applier().build().apply(sixObjects());

    assertThat(report.results().get(3).action()).isEqualTo(ApplyAction.CREATED);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void apply_forbidden_failsFastNamingTheResource() {
    server.failNext(
        "PATCH",
        DEPLOYMENT_PATH,
        1,
        Fault.forbidden(
            "deployments.apps \"web\" is forbidden: User \"ci\" cannot patch resource"));

    ApplyReport report = applier().build().apply(sixObjects());

    ResourceResult failed = report.results().get(3);
    assertThat(failed.action()).isEqualTo(ApplyAction.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.reason())
        .contains("HTTP 403")
        .contains(DEPLOYMENT_PATH)
        .contains("User \"ci\" cannot patch resource");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void apply_failureOnFourthOfSix_reportsThreeAppliedOneFailedTwoNotAttempted() {
    server.failNext("PATCH", DEPLOYMENT_PATH, 1, Fault.status(400, "BadRequest", "invalid patch"));

    ApplyReport report = applier().build().apply(sixObjects());

    assertThat(report.results()).hasSize(6);
    assertThat(report.appliedCount()).isEqualTo(3);
    assertThat(report.withAction(ApplyAction.FAILED))
        .extracting(ResourceResult::kind)
        .containsExactly("Deployment");
    assertThat(report.withAction(ApplyAction.NOT_ATTEMPTED))
        .extracting(ResourceResult::kind)
        .containsExactly("Service", "HorizontalPodAutoscaler");
    assertThat(server.count("*", "/api/v1/namespaces/ml/services/web")).isZero();
    assertThatThrownBy(report::throwIfFailed).hasMessageContaining("Deployment ml/web: FAILED");
  }

  @Test
  void apply_invalidObject_appliesNothing() {
    RenderedSet set = RenderedSet.of(configMap("good", Map.of()), configMap("Bad_Name", Map.of()));

    assertThatThrownBy(() -> applier().build().apply(set))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(v -> v.path())
                    .containsExactly("resources[1].metadata.name"));
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void apply_withPrune_deletesOnlyLabelledLeftovers() {
    create(configMap("old", Map.of()), ownership("web-app"));
    create(configMap("other-app", Map.of()), ownership("another-app"));
    create(configMap("manual", Map.of()), Map.of());

    ApplyReport report =
        applier().prune(true).build().apply(RenderedSet.of(configMap("current", Map.of())));

    assertThat(report.withAction(ApplyAction.PRUNED))
        .extracting(ResourceResult::name)
        .containsExactly("old");
    List<String> left =
        client.configMaps().inNamespace(NS).list().getItems().stream()
            .map(c -> c.getMetadata().getName())
            .sorted()
            .toList();
    assertThat(left).containsExactly("current", "manual", "other-app");
  }

  @Test
  void diff_withPrune_reportsAddedAndWouldPruneWithoutChangingAnything() {
    create(configMap("old", Map.of()), ownership("web-app"));

    List<ResourceDiff> diff =
        applier().prune(true).build().diff(RenderedSet.of(configMap("current", Map.of())));

    assertThat(diff)
        .extracting(ResourceDiff::name, ResourceDiff::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("current", ResourceDiff.Change.ADDED),
            org.assertj.core.groups.Tuple.tuple("old", ResourceDiff.Change.WOULD_PRUNE));
    assertThat(client.configMaps().inNamespace(NS).withName("old").get()).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("current").get()).isNull();
  }

  @Test
  void apply_dryRun_changesNothing() {
    ApplyReport report =
        applier().dryRun(true).build().apply(RenderedSet.of(configMap("current", Map.of())));

    assertThat(report.dryRun()).isTrue();
    assertThat(report.results())
        .extracting(ResourceResult::action)
        .containsExactly(ApplyAction.CREATED);
    assertThat(server.requests()).anyMatch(r -> r.contains("dryRun=All"));
    assertThat(client.configMaps().inNamespace(NS).withName("current").get()).isNull();
  }

  @Test
  void apply_waitForReady_reportsReadyWhenRolloutCompletes() {
    time.onSleep(
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("web")
                .editStatus(
                    d -> {
                      d.setStatus(
                          new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                              .withObservedGeneration(d.getMetadata().getGeneration())
                              .withReplicas(2)
                              .withUpdatedReplicas(2)
                              .withAvailableReplicas(2)
                              .build());
                      return d;
                    }));

    ApplyReport report =
        applier().waitForReady(Duration.ofMinutes(1)).build().apply(RenderedSet.of(deployment(2)));

    assertThat(report.results().get(0).readiness()).isEqualTo(ResourceResult.Readiness.READY);
    assertThat(report.allReady()).isTrue();
  }

  @Test
  void apply_waitForReady_reportsNotReadyAfterTimeout() {
    ApplyReport report =
        applier()
            .waitForReady(Duration.ofSeconds(30))
            .pollInterval(Duration.ofSeconds(10))
            .build()
            .apply(RenderedSet.of(deployment(2)));

    assertThat(report.results().get(0).readiness()).isEqualTo(ResourceResult.Readiness.NOT_READY);
    // checked at 0, 10, 20 and 30 s
    assertThat(time.sleeps()).hasSize(3);
    assertThatThrownBy(report::throwIfFailed).hasMessageContaining("NOT_READY");
  }

  @Test
  void apply_requestTimesOut_isRetried() {
    KubernetesClient impatient = server.client(Duration.ofMillis(300));
    server.failNext("GET", DEPLOYMENT_PATH, 1, Fault.hang(Duration.ofSeconds(2)));

    ApplyReport report =
        KubernetesApplier.builder(impatient, "web-app")
            .clock(time)
            .sleeper(time)
            .build()
            .apply(RenderedSet.of(deployment(1)));

    assertThat(report.results().get(0).action()).isEqualTo(ApplyAction.CREATED);
    assertThat(report.results().get(0).attempts()).isEqualTo(2);
  }

  @Test
  void apply_fieldManagerConflict_failsFastWithHint() {
    server.failNext(
        "PATCH", DEPLOYMENT_PATH, 1, Fault.fieldManagerConflict("kubectl", ".spec.replicas"));

    ApplyReport report = applier().build().apply(RenderedSet.of(deployment(1)));

    ResourceResult r = report.results().get(0);
    assertThat(r.action()).isEqualTo(ApplyAction.FAILED);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.reason()).contains("HTTP 409").contains("forceConflicts(true)");
  }

  @Test
  void apply_forceConflicts_sendsForce() {
    applier().forceConflicts(true).build().apply(RenderedSet.of(deployment(1)));

    assertThat(server.requests())
        .anyMatch(r -> r.startsWith("PATCH " + DEPLOYMENT_PATH) && r.contains("force=true"));
  }

  @Test
  void isReady_leaderWorkerSet_followsAvailableCondition() {
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder().build();
    String available =
        "{\"kind\":\"LeaderWorkerSet\",\"status\":{\"conditions\":[{\"type\":\"Available\",\"status\":\"%s\"}]}}";

    assertThat(KubernetesApplier.isReady(json.readTree(available.formatted("True")))).isTrue();
    assertThat(KubernetesApplier.isReady(json.readTree(available.formatted("False")))).isFalse();
    assertThat(KubernetesApplier.isReady(json.readTree("{\"kind\":\"LeaderWorkerSet\"}")))
        .isFalse();
  }

  @Test
  void isReady_deployment_needsObservedGenerationAndAllReplicasAvailable() {
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder().build();
    String template =
        "{\"kind\":\"Deployment\",\"metadata\":{\"generation\":2},\"spec\":{\"replicas\":3},"
            + "\"status\":{\"observedGeneration\":%d,\"updatedReplicas\":%d,\"availableReplicas\":%d}}";

    assertThat(KubernetesApplier.isReady(json.readTree(template.formatted(2, 3, 3)))).isTrue();
    assertThat(KubernetesApplier.isReady(json.readTree(template.formatted(1, 3, 3)))).isFalse();
    assertThat(KubernetesApplier.isReady(json.readTree(template.formatted(2, 2, 3)))).isFalse();
    assertThat(KubernetesApplier.isReady(json.readTree(template.formatted(2, 3, 2)))).isFalse();
  }

  private static Map<String, String> ownership(String instance) {
    return Map.of(
        Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, KubernetesApplier.APPLY_SET_LABEL, instance);
  }

  private void create(HasMetadata object, Map<String, String> labels) {
    object.getMetadata().setLabels(labels);
    client.resource(object).create();
  }
}
