package io.github.gkeinference.autoscaling;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.core.emit.ForeignWorkloads;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import java.util.Map;

/** Rendered servers built by hand, standing in for the serving module's output. */
final class Fixtures {
  private Fixtures() {}

  /** A Deployment and a Service, the Deployment labelled as a server of the given kind. */
  static RenderedSet deploymentServer(String name, String serverLabel) {
    Map<String, String> labels =
        Map.of(Labels.INSTANCE, name, Labels.INFERENCE_SERVER, serverLabel);
    return ForeignWorkloads.withFacts(
        RenderedSet.of(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("inference")
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(Map.of(Labels.INSTANCE, name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("server")
                .withImage("example/server:1")
                .withArgs("--port=8000")
                .addNewPort()
                .withName("http")
                .withContainerPort(8000)
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build(),
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("inference")
                .endMetadata()
                .build()));
  }

  /** A LeaderWorkerSet whose leader template carries the vLLM server label. */
  static RenderedSet leaderWorkerSetServer(String name) {
    GenericKubernetesResource lws =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("leaderworkerset.x-k8s.io/v1")
            .withKind("LeaderWorkerSet")
            .withNewMetadata()
            .withName(name)
            .withNamespace("inference")
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of(
                    "replicas",
                    1,
                    "leaderWorkerTemplate",
                    Map.of(
                        "size",
                        2,
                        "leaderTemplate",
                        Map.of(
                            "metadata",
                            Map.of("labels", Map.of(Labels.INFERENCE_SERVER, "vllm"))))))
            .build();
    return ForeignWorkloads.withFacts(RenderedSet.of(lws));
  }
}
