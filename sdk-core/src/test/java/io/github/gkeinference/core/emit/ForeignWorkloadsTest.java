package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForeignWorkloadsTest {

  private static Deployment vllm(List<String> args) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("llama")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(Map.of("app", "llama"))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", "llama", Labels.INFERENCE_SERVER, "vllm"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("server")
        .withArgs(args)
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .withNewResources()
        .addToLimits("nvidia.com/gpu", new Quantity("4"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Deployment withImages(String server, String... images) {
    Deployment d = vllm(List.of("--port=8080"));
    PodSpec spec = d.getSpec().getTemplate().getSpec();
    spec.getContainers().get(0).setImage(images[0]);
    for (int i = 1; i < images.length; i++) {
      spec.getContainers()
          .add(new ContainerBuilder().withName("sidecar-" + i).withImage(images[i]).build());
    }
    d.getSpec().getTemplate().getMetadata().getLabels().put(Labels.INFERENCE_SERVER, server);
    return d;
  }

  @Test
  void of_vllmDeployment_readsTheReleaseOfItsVllmImage_notOfASidecar() {
    // the sidecar comes first and carries a release-like tag of its own
    WorkloadFacts mirrored =
        ForeignWorkloads.of(
                withImages(
                    "vllm",
                    "us-docker.pkg.dev/p/r/vllm-openai:v0.9.1",
                    "gcr.io/gke-release/gcs-fuse-csi-driver-sidecar-mounter:v1.4.2"))
            .orElseThrow();
    assertThat(mirrored.vllmVersion()).hasValue(VllmVersion.parse("0.9.1"));
    WorkloadFacts sidecarFirst =
        ForeignWorkloads.of(
                withImages(
                    "vllm",
                    "gcr.io/gke-release/gcs-fuse-csi-driver-sidecar-mounter:v1.4.2",
                    "vllm/vllm-tpu:v0.11.1"))
            .orElseThrow();
    assertThat(sidecarFirst.vllmVersion()).hasValue(VllmVersion.parse("0.11.1"));
    // no release: a tag that names none, or a server that is not vLLM
    assertThat(
            ForeignWorkloads.of(withImages("vllm", "vllm/vllm-openai:latest"))
                .orElseThrow()
                .vllmVersion())
        .isEmpty();
    assertThat(
            ForeignWorkloads.of(withImages("jetstream-maxtext", "vllm/vllm-openai:v0.11.2"))
                .orElseThrow()
                .vllmVersion())
        .isEmpty();
  }

  @Test
  void of_vllmDeployment_readsSelectorDevicesFlagsAndMetricsPort() {
    WorkloadFacts f =
        ForeignWorkloads.of(
                vllm(
                    List.of(
                        "--model=/data/llama",
                        "--served-model-name",
                        "llama-3",
                        "--port=8080",
                        "-tp",
                        "4",
                        "--max-model-len=4096")))
            .orElseThrow();
    assertThat(f.kind()).isEqualTo("Deployment");
    assertThat(f.namespace()).isEqualTo("default");
    assertThat(f.podSelector()).isEqualTo(Map.of("app", "llama"));
    assertThat(f.devices()).hasValue(new WorkloadFacts.Devices("nvidia.com/gpu", 4));
    assertThat(f.server()).hasValue("vllm");
    assertThat(f.modelId()).hasValue("llama-3");
    assertThat(f.tensorParallelism()).hasValue(4);
    assertThat(f.maxModelLen()).hasValue(4096);
    assertThat(f.metrics()).hasValue(new WorkloadFacts.MetricsEndpoint(8080, "http", "/metrics"));
    assertThat(f.flags()).containsEntry("-tp", "4").containsEntry("--max-model-len", "4096");
  }

  @Test
  void of_vllmWithoutPortFlag_scrapesTheDefaultPort_whichItDoesNotDeclare() {
    WorkloadFacts f = ForeignWorkloads.of(vllm(List.of())).orElseThrow();
    // vLLM listens on 8000 unless told otherwise; this pod declares 8080 only
    assertThat(f.metrics()).hasValue(new WorkloadFacts.MetricsEndpoint(8000, "", "/metrics"));
    assertThat(f.tensorParallelism()).isEmpty();
  }

  @Test
  void of_jetStreamWithMaxTextKeys_readsPrometheusPortAndNormalisesTheServerLabel() {
    HasMetadata d =
        new DeploymentBuilder(vllm(List.of("model_name=gemma-7b", "prometheus_port=9100")))
            .editSpec()
            .editTemplate()
            .editMetadata()
            .withLabels(Map.of("app", "llama", Labels.INFERENCE_SERVER, "jetstream-maxtext"))
            .endMetadata()
            .editSpec()
            .editFirstContainer()
            .addNewPort()
            .withName("metrics")
            .withContainerPort(9100)
            .endPort()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    WorkloadFacts f = ForeignWorkloads.of(d).orElseThrow();
    assertThat(f.server()).hasValue("jetstream");
    assertThat(f.modelId()).hasValue("gemma-7b");
    assertThat(f.metrics())
        .hasValue(new WorkloadFacts.MetricsEndpoint(9100, "metrics", "/metrics"));
  }

  @Test
  void of_leaderWorkerSet_selectsLeadersAndCountsTheGroup() {
    Map<String, Object> leader =
        Map.of(
            "metadata",
            Map.of("labels", Map.of("role", "leader")),
            "spec",
            Map.of(
                "containers",
                List.of(
                    Map.of(
                        "name",
                        "leader",
                        "args",
                        List.of("--tensor-parallel-size=8", "--pipeline-parallel-size=2"),
                        "resources",
                        Map.of("limits", Map.of("nvidia.com/gpu", "8"))))));
    HasMetadata lws =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("leaderworkerset.x-k8s.io/v1")
            .withKind("LeaderWorkerSet")
            .withNewMetadata()
            .withName("big")
            .withNamespace("inference")
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of("leaderWorkerTemplate", Map.of("size", 2, "leaderTemplate", leader))))
            .build();
    WorkloadFacts f = ForeignWorkloads.of(lws).orElseThrow();
    assertThat(f.podSelector())
        .isEqualTo(
            Map.of(
                ForeignWorkloads.LWS_NAME_LABEL,
                "big",
                ForeignWorkloads.LWS_WORKER_INDEX_LABEL,
                "0"));
    assertThat(f.podLabels()).isEqualTo(Map.of("role", "leader"));
    assertThat(f.podsPerGroup()).isEqualTo(2);
    assertThat(f.devices()).map(WorkloadFacts.Devices::perPod).hasValue(8);
    assertThat(f.pipelineParallelism()).hasValue(2);
  }

  @Test
  void of_leaderWorkerSetWithHybridDataParallelRanks_selectsEveryPodAndCountsTheRanks() {
    // llm-d's wide-EP layout: each of 2 pods runs 8 of 16 ranks and serves them
    Map<String, Object> pod =
        Map.of(
            "metadata",
            Map.of("labels", Map.of("app", "ep")),
            "spec",
            Map.of(
                "containers",
                List.of(
                    Map.of(
                        "name",
                        "vllm",
                        "args",
                        List.of(
                            "--tensor-parallel-size=1",
                            "--data-parallel-size",
                            "16",
                            "--data-parallel-hybrid-lb",
                            "--enable-expert-parallel"),
                        "resources",
                        Map.of("limits", Map.of("nvidia.com/gpu", "8"))))));
    HasMetadata lws =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("leaderworkerset.x-k8s.io/v1")
            .withKind("LeaderWorkerSet")
            .withNewMetadata()
            .withName("ep")
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of("leaderWorkerTemplate", Map.of("size", 2, "workerTemplate", pod))))
            .build();

    WorkloadFacts f = ForeignWorkloads.of(lws).orElseThrow();

    assertThat(f.podSelector()).isEqualTo(Map.of(ForeignWorkloads.LWS_NAME_LABEL, "ep"));
    assertThat(f.dataParallelism()).hasValue(16);
    assertThat(f.tensorParallelism()).hasValue(1);
    assertThat(f.podsPerGroup()).isEqualTo(2);
  }

  @Test
  void of_jobWithServerAsNativeSidecar_readsTheInitContainer() {
    HasMetadata job =
        new JobBuilder()
            .withNewMetadata()
            .withName("batch")
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("job", "batch"))
            .endMetadata()
            .withNewSpec()
            .addNewInitContainer()
            .withName("vllm")
            .withRestartPolicy("Always")
            .withArgs("--tensor-parallel-size=2")
            .endInitContainer()
            .addNewContainer()
            .withName("worker")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    WorkloadFacts f = ForeignWorkloads.of(job).orElseThrow();
    assertThat(f.podSelector()).isEqualTo(Map.of("job", "batch"));
    assertThat(f.tensorParallelism()).hasValue(2);
    assertThat(f.devices()).isEmpty();
  }

  @Test
  void withFacts_keepsAttachedFacts_andDerivesTheRest() {
    WorkloadFacts attached =
        WorkloadFacts.builder()
            .apiVersion("apps/v1")
            .kind("Deployment")
            .name("llama")
            .maxPositionEmbeddings(131072)
            .build();
    RenderedSet set =
        RenderedSet.builder()
            .add(vllm(List.of()))
            .add(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build())
            .addWorkload(attached)
            .build();
    assertThat(ForeignWorkloads.withFacts(set).workloads()).containsExactly(attached);
    RenderedSet foreign = RenderedSet.of(vllm(List.of()));
    assertThat(ForeignWorkloads.withFacts(foreign).workload().server()).hasValue("vllm");
    assertThat(
            ForeignWorkloads.of(
                new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build()))
        .isEmpty();
  }
}
