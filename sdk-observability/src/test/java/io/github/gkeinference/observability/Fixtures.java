package io.github.gkeinference.observability;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.core.emit.ForeignWorkloads;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import java.util.List;
import java.util.Map;

/**
 * Rendered servers as the serving module renders them, built here from fabric8 types only; their
 * facts come from the foreign-YAML parser.
 */
public final class Fixtures {
  private Fixtures() {}

  /** A vLLM Deployment "vllm" in "inference" whose port 8000 is named "http", plus its Service. */
  public static RenderedSet vllmServer() {
    return vllmServer("vllm/vllm-openai:v0.11.2");
  }

  /**
   * The same vLLM Deployment and Service with another image.
   *
   * @param image the server's image, whose tag names its vLLM release
   * @return the rendered set with the Deployment's facts
   */
  public static RenderedSet vllmServer(String image) {
    Map<String, String> labels =
        Map.of(
            "app.kubernetes.io/name",
            "vllm",
            "app.kubernetes.io/instance",
            "vllm",
            "app.kubernetes.io/managed-by",
            "gke-inference-sdk",
            Labels.INFERENCE_SERVER,
            "vllm");
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("vllm")
            .withNamespace("inference")
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(Map.of("app.kubernetes.io/instance", "vllm"))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addToContainers(
                new ContainerBuilder()
                    .withName("vllm")
                    .withImage(image)
                    .withCommand("python3", "-m", "vllm.entrypoints.openai.api_server")
                    .withArgs("--model=meta-llama/Llama-3.1-8B-Instruct", "--port=8000")
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(8000)
                    .endPort()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    return ForeignWorkloads.withFacts(
        RenderedSet.of(
            d,
            new ServiceBuilder()
                .withNewMetadata()
                .withName("vllm")
                .withNamespace("inference")
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app.kubernetes.io/instance", "vllm"))
                .endSpec()
                .build()));
  }

  /** A JetStream Deployment with the given container args and one port 9100 named "prom". */
  public static RenderedSet jetstreamServer(List<String> args) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("jetstream")
            .withNamespace("tpu")
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(Map.of("app", "jetstream"))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("app", "jetstream", Labels.INFERENCE_SERVER, "jetstream"))
            .endMetadata()
            .withNewSpec()
            .addToContainers(
                new ContainerBuilder()
                    .withName("jetstream")
                    .withImage("jetstream:test")
                    .withArgs(args)
                    .addNewPort()
                    .withName("prom")
                    .withContainerPort(9100)
                    .endPort()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    return ForeignWorkloads.withFacts(RenderedSet.of(d));
  }

  /** A LeaderWorkerSet "vllm-405b" in "inference" whose leader declares port 8080 unnamed. */
  public static RenderedSet vllmLeaderWorkerSet() {
    Map<String, Object> container =
        Map.of(
            "name",
            "vllm-leader",
            "image",
            "vllm/vllm-openai:v0.11.2",
            "args",
            List.of("--port=8080", "--tensor-parallel-size=8"),
            "ports",
            List.of(Map.of("containerPort", 8080)));
    GenericKubernetesResource lws =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("leaderworkerset.x-k8s.io/v1")
            .withKind("LeaderWorkerSet")
            .withNewMetadata()
            .withName("vllm-405b")
            .withNamespace("inference")
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of(
                        "replicas",
                        2,
                        "leaderWorkerTemplate",
                        Map.of(
                            "size",
                            2,
                            "leaderTemplate",
                            Map.of(
                                "metadata",
                                Map.of("labels", Map.of(Labels.INFERENCE_SERVER, "vllm")),
                                "spec",
                                Map.of("containers", List.of(container))),
                            "workerTemplate",
                            Map.of(
                                "spec",
                                Map.of(
                                    "containers",
                                    List.of(
                                        Map.of("name", "vllm-worker", "image", "vllm:test"))))))))
            .build();
    return ForeignWorkloads.withFacts(RenderedSet.of(lws));
  }
}
