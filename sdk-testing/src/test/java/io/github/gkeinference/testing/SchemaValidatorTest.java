package io.github.gkeinference.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.schemas.SchemaFinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SchemaValidatorTest {
  private SchemaValidator validator;

  @BeforeEach
  void setUp() {
    validator = SchemaValidator.forTests();
  }

  private static Deployment deployment(String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("app.kubernetes.io/name", "vllm"))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(Map.of("app.kubernetes.io/name", "vllm"))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app.kubernetes.io/name", "vllm"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("server")
        .withImage("vllm/vllm-openai:v0.11.2")
        .addNewPort()
        .withContainerPort(8000)
        .endPort()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi")))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static ObjectNode tree(Object o) {
    return (ObjectNode)
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .convertValue(o, JsonNode.class);
  }

  private static ObjectNode container(ObjectNode deployment) {
    return (ObjectNode)
        deployment.path("spec").path("template").path("spec").path("containers").get(0);
  }

  @Test
  void validate_goodDeployment_hasNoFindings() {
    assertThat(validator.validate(deployment("vllm"))).isEmpty();
  }

  @Test
  void validate_unknownFieldInContainer_isRejected() {
    ObjectNode d = tree(deployment("vllm"));
    container(d).put("imagePullPolicyy", "Always");

    List<SchemaFinding> findings = validator.validate(d);

    assertThat(findings)
        .anySatisfy(
            f -> {
              assertThat(f.path()).isEqualTo("$.spec.template.spec.containers[0]");
              assertThat(f.message()).contains("imagePullPolicyy");
            });
  }

  @Test
  void validate_containerPort70000_isRejected() {
    Deployment d = deployment("vllm");
    d.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getPorts()
        .get(0)
        .setContainerPort(70000);

    assertThat(validator.validate(d))
        .anySatisfy(
            f -> {
              assertThat(f.path())
                  .isEqualTo("$.spec.template.spec.containers[0].ports[0].containerPort");
              assertThat(f.message()).contains("70000");
            });
  }

  @Test
  void validate_upperCaseName_isRejected() {
    assertThat(validator.validate(deployment("Vllm")))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("$.metadata.name");
              assertThat(f.message()).contains("Vllm");
            });
  }

  @Test
  void validate_badQuantityAndLabelValue_areRejected() {
    Deployment d = deployment("vllm");
    d.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("memory", new Quantity("16 GB"));
    d.getMetadata().getLabels().put("ai.gke.io/model", "meta-llama/Llama-3.1-8B");

    assertThat(validator.validate(d))
        .extracting(SchemaFinding::path)
        .containsExactlyInAnyOrder(
            "$.spec.template.spec.containers[0].resources.requests.memory",
            "$.metadata.labels.ai.gke.io/model");
  }

  @Test
  void validate_inferencePoolTargetPort70000_isRejected() {
    String pool =
        """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata:
          name: llama
        spec:
          selector:
            matchLabels:
              app: llama
          targetPorts:
            - number: 70000
          endpointPickerRef:
            name: llama-epp
            port:
              number: 9002
        """;

    assertThat(validator.validateYaml(pool))
        .anySatisfy(
            f -> {
              assertThat(f.path()).isEqualTo("$.spec.targetPorts[0].number");
              assertThat(f.message()).contains("65535");
            });
    assertThat(validator.validateYaml(pool.replace("70000", "8000"))).isEmpty();
  }

  @Test
  void validate_unknownFieldInCrd_isRejectedAlthoughUpstreamSchemaIsOpen() {
    String monitoring =
        """
        apiVersion: monitoring.googleapis.com/v1
        kind: PodMonitoring
        metadata:
          name: vllm
        spec:
          selector:
            matchLabels:
              app: vllm
          endpoints:
            - port: metrics
              interval: 15s
              timeout: 10s
              intervall: 30s
        """;

    assertThat(validator.validateYaml(monitoring))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("intervall"));
  }

  @Test
  void validate_kubernetesDuration_acceptsGoDurationsOnly() {
    String monitoring =
        """
        apiVersion: monitoring.googleapis.com/v1
        kind: PodMonitoring
        metadata:
          name: vllm
        spec:
          selector:
            matchLabels:
              app: vllm
          endpoints:
            - port: metrics
              interval: INTERVAL
        """;

    assertThat(validator.validateYaml(monitoring.replace("INTERVAL", "1m30s"))).isEmpty();
    assertThat(validator.validateYaml(monitoring.replace("INTERVAL", "PT30S")))
        .singleElement()
        .satisfies(f -> assertThat(f.path()).isEqualTo("$.spec.endpoints[0].interval"));
  }

  @Test
  void validate_unknownKind_isAFinding() {
    String yaml =
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
        """;

    assertThat(validator.validateYaml(yaml))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("no schema"));
    assertThat(validator.knows("example.com/v1", "Widget")).isFalse();
    assertThat(validator.knows("apps/v1", "Deployment")).isTrue();
  }
}
