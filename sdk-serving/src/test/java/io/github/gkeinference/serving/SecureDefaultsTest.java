package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.serving.async.AsyncInference;
import io.github.gkeinference.serving.batch.BatchInference;
import io.github.gkeinference.serving.comfyui.ComfyUi;
import io.github.gkeinference.serving.comfyui.ComfyUiTest;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.testing.NetworkPolicyCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The secure defaults of the serving bundles (issue 21, point 8), one behaviour per test. */
class SecureDefaultsTest {
  private static final Map<String, String> COLLECTOR =
      Map.of("app.kubernetes.io/name", "collector");

  private static VllmServer server() {
    return VllmServer.builder()
        .name("vllm")
        .namespace("inference")
        .modelId("google/gemma-3-1b-it")
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("my-project-models", "google/gemma-3-1b-it"))
                .build())
        .placement(p -> p.accelerator("nvidia-l4").devices(1))
        .maxModelLen(4096)
        .build();
  }

  private static PodSpec pod(VllmServer server) {
    return server
        .render()
        .find(Deployment.class, server.name())
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static Container vllm(VllmServer server) {
    return pod(server).getContainers().get(0);
  }

  private static Map<String, String> env(Container c) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      assertThat(out).as("duplicate env %s", e.getName()).doesNotContainKey(e.getName());
      out.put(e.getName(), e.getValue());
    }
    return out;
  }

  @Test
  void vllmServer_rendersItsOwnNetworkPolicy_admittingTheNamespaceAndTheCollectorOnly() {
    VllmServer server = server();
    RenderedSet set = server.render();
    NetworkPolicy policy = set.find(NetworkPolicy.class, server.name()).orElseThrow();
    Map<String, String> podLabels =
        set.find(Deployment.class, server.name())
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();

    assertThat(podLabels.entrySet())
        .containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet());
    assertThat(NetworkPolicyCheck.admits(policy, "inference", Map.of("app", "client"))).isTrue();
    assertThat(NetworkPolicyCheck.admits(policy, "gmp-system", COLLECTOR)).isTrue();
    assertThat(NetworkPolicyCheck.admits(policy, "gke-gmp-system", COLLECTOR)).isTrue();
    assertThat(NetworkPolicyCheck.admits(policy, "default", Map.of("app", "client"))).isFalse();
    assertThat(NetworkPolicyCheck.admits(policy, "kube-system", COLLECTOR)).isFalse();
  }

  @Test
  void vllmServer_podAndServiceAccount_mountNoToken() {
    VllmServer server = server();
    ServiceAccount sa = server.render().find(ServiceAccount.class, server.name()).orElseThrow();

    assertThat(pod(server).getAutomountServiceAccountToken()).isFalse();
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void vllmServer_runsAsTheDocumentedNonRootUser_withWritableCaches() {
    VllmServer server = server();
    Container c = vllm(server);
    Map<String, String> env = env(c);

    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getRunAsUser()).isEqualTo(VllmServer.USER_ID);
    assertThat(c.getSecurityContext().getRunAsGroup()).isEqualTo(VllmServer.USER_ID);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod(server).getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    // every cache lies under the home, which is a writable emptyDir
    assertThat(env).containsEntry("HOME", VllmServer.HOME);
    for (String cache :
        List.of("HF_HOME", "VLLM_CACHE_ROOT", "TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR")) {
      assertThat(env.get(cache)).as(cache).startsWith(VllmServer.HOME + "/");
    }
    String volume =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(VllmServer.HOME))
            .filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
            .findFirst()
            .orElseThrow()
            .getName();
    Volume home =
        pod(server).getVolumes().stream()
            .filter(v -> v.getName().equals(volume))
            .findFirst()
            .orElseThrow();
    assertThat(home.getEmptyDir()).isNotNull();
  }

  @Test
  void vllmServer_runAsRoot_isAnExplicitOptOut_keepingTheRestRestricted() {
    VllmServer server = server().toBuilder().runAsRoot(true).build();
    Container c = vllm(server);

    assertThat(c.getSecurityContext().getRunAsNonRoot()).isNull();
    assertThat(c.getSecurityContext().getRunAsUser()).isNull();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals(VllmServer.HOME));
  }

  @Test
  void vllmServer_cacheVariablesTheSpecOrSourceSet_areNotRepeated() {
    VllmServer fromHub =
        server().toBuilder()
            .source(HuggingFaceSource.builder().modelId("google/gemma-3-1b-it").build())
            .putEnv("VLLM_CACHE_ROOT", "/data/vllm")
            .build();
    Map<String, String> env = env(vllm(fromHub)); // fails on a duplicate name

    assertThat(env.get("HF_HOME")).isEqualTo(HuggingFaceSource.CACHE_PATH);
    assertThat(env.get("VLLM_CACHE_ROOT")).isEqualTo("/data/vllm");
  }

  @Test
  void jetStream_bothContainersHaveLivenessProbes() {
    PodTemplateSpec template =
        JetStreamServerTest.v5eGemma()
            .render()
            .kubernetesObjects(Deployment.class)
            .get(0)
            .getSpec()
            .getTemplate();

    assertThat(template.getSpec().getContainers())
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.getLivenessProbe()).as(c.getName()).isNotNull())
        .allSatisfy(c -> assertThat(c.getReadinessProbe()).as(c.getName()).isNotNull());
  }

  @Test
  void multiHost_workersAreProbedThroughTheRayHead_andEveryPodIsUnderTheNetworkPolicy() {
    RenderedSet set = MultiHostServerTest.llama405b().render();
    LeaderWorkerSet lws = set.kubernetesObjects(LeaderWorkerSet.class).get(0);
    Container worker =
        lws.getSpec().leaderWorkerTemplate().workerTemplate().getSpec().getContainers().get(0);
    NetworkPolicy policy = set.kubernetesObjects(NetworkPolicy.class).get(0);
    Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();

    for (var probe :
        List.of(worker.getStartupProbe(), worker.getReadinessProbe(), worker.getLivenessProbe())) {
      assertThat(String.join(" ", probe.getExec().getCommand()))
          .contains("ray health-check", "${LWS_LEADER_ADDRESS}:6379");
    }
    // the worker may wait for its head as long as the leader may take to start (its budget)
    Container leader =
        lws.getSpec().leaderWorkerTemplate().leaderTemplate().getSpec().getContainers().get(0);
    assertThat(worker.getStartupProbe().getFailureThreshold())
        .isEqualTo(leader.getStartupProbe().getFailureThreshold());
    assertThat(worker.getStartupProbe().getPeriodSeconds())
        .isEqualTo(leader.getStartupProbe().getPeriodSeconds());
    assertThat(lws.getSpec().leaderWorkerTemplate().leaderTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(selector);
    assertThat(lws.getSpec().leaderWorkerTemplate().workerTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(selector);
    assertThat(
            lws.getSpec()
                .leaderWorkerTemplate()
                .workerTemplate()
                .getSpec()
                .getAutomountServiceAccountToken())
        .isFalse();
  }

  private static BatchInference.Builder batch() {
    return BatchInference.builder()
        .name("obi")
        .server(server())
        .workerImage("us-docker.pkg.dev/my-project/images/offline-batch-worker:1.0.0")
        .input("gs://my-project-dataset/prompts/")
        .output("gs://my-project-results/obi/")
        .shards(2)
        .jobSet(true);
  }

  private static PodTemplateSpec batchPod(RenderedSet set) {
    return set.kubernetesObjects(JobSet.class)
        .get(0)
        .getSpec()
        .replicatedJobs()
        .get(0)
        .template()
        .getSpec()
        .getTemplate();
  }

  @Test
  void batch_deniesAllIngress_mountsNoToken_andProbesTheWorkerOnItsHealthPort() {
    RenderedSet set = batch().workerHealthPort(8080).build().render();
    PodTemplateSpec pod = batchPod(set);
    NetworkPolicy policy = set.kubernetesObjects(NetworkPolicy.class).get(0);
    Container worker = pod.getSpec().getContainers().get(0);

    assertThat(pod.getMetadata().getLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(NetworkPolicyCheck.admits(policy, "inference", Map.of("app", "client"))).isFalse();
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(worker.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(8080);
              assertThat(p.getName()).isEqualTo("health");
            });
    assertThat(worker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(worker.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }

  @Test
  void batch_withoutAHealthPort_rendersNoWorkerProbes() {
    Container worker = batchPod(batch().build().render()).getSpec().getContainers().get(0);

    assertThat(worker.getLivenessProbe()).isNull();
    assertThat(worker.getPorts()).isNullOrEmpty();
  }

  @Test
  void workerHealth_badPortAndPath_areReportedTogetherWithTheirPaths() {
    assertThatThrownBy(() -> batch().workerHealthPort(0).workerHealthPath("healthz").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("workerHealthPort")
        .hasMessageContaining("workerHealthPath");
  }

  @Test
  void async_workerDeniesAllIngress_mountsNoToken_andIsProbed() {
    AsyncInference async =
        AsyncInference.builder()
            .name("prompt-worker")
            .server(server())
            .workerImage("us-docker.pkg.dev/my-project/images/async-pubsub-subscriber:1.0.0")
            .workerHealthPort(8080)
            .projectId("my-project")
            .subscription("prompts")
            .topic("prompts-in")
            .deadLetterTopic("prompts-dead-letter")
            .projectNumber(123456789012L)
            .googleServiceAccount("async-worker@my-project.iam.gserviceaccount.com")
            .build();
    RenderedSet set = async.render();
    Deployment d = set.find(Deployment.class, "prompt-worker").orElseThrow();
    NetworkPolicy policy = set.find(NetworkPolicy.class, "prompt-worker").orElseThrow();
    ServiceAccount sa = set.find(ServiceAccount.class, "prompt-worker").orElseThrow();

    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
    Container worker = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(worker.getLivenessProbe()).isNotNull();
    assertThat(worker.getReadinessProbe()).isNotNull();
  }

  @Test
  void comfyUi_mountsOnlyTheModelsBucketReadOnly_andMountsNoToken() {
    ComfyUi ui = ComfyUiTest.l4();
    PodSpec pod =
        ui.render()
            .find(Deployment.class, ui.name())
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec();

    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getCsi() != null)
        .allSatisfy(
            v ->
                assertThat(Boolean.TRUE.equals(v.getCsi().getReadOnly()))
                    .as(v.getName())
                    .isEqualTo(v.getName().equals("models")));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .allSatisfy(
            m ->
                assertThat(Boolean.TRUE.equals(m.getReadOnly()))
                    .as(m.getName())
                    .isEqualTo(m.getName().equals("models")));
  }

  @Test
  void comfyUi_gatewayListensOnHttpsOnly_withTheTlsSecret_andTheRouteAttachesToIt() {
    ComfyUi ui = ComfyUiTest.l4();
    RenderedSet set = ui.render();
    Gateway gateway = set.find(Gateway.class, ui.name()).orElseThrow();
    HTTPRoute route = set.find(HTTPRoute.class, ui.name()).orElseThrow();

    assertThat(gateway.getSpec().getListeners())
        .singleElement()
        .satisfies(
            (Listener l) -> {
              assertThat(l.getProtocol()).isEqualTo("HTTPS");
              assertThat(l.getPort()).isEqualTo(443);
              assertThat(l.getTls().getCertificateRefs())
                  .singleElement()
                  .satisfies(r -> assertThat(r.getName()).isEqualTo("comfyui-tls"));
            });
    assertThat(route.getSpec().getParentRefs())
        .singleElement()
        .satisfies(p -> assertThat(p.getSectionName()).isEqualTo(ComfyUi.HTTPS_LISTENER));
  }

  @Test
  void comfyUi_badTlsSecretName_isAPathNamedError() {
    assertThatThrownBy(() -> ComfyUiTest.l4().toBuilder().tlsSecretName("Bad Name").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("tlsSecretName");
  }
}
