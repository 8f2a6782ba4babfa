package io.github.gkeinference.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class KubernetesSchemasTest {
  private static final String ROOT = "/io/github/gkeinference/schemas/";
  private static final KubernetesSchemas SCHEMAS = KubernetesSchemas.bundled();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) YAMLMapper.builder().build().readTree(text);
  }

  private static byte[] resource(String relative) throws IOException {
    try (InputStream in = KubernetesSchemas.class.getResourceAsStream(ROOT + relative)) {
      assertThat(in).as("bundled " + relative).isNotNull();
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static JsonNode index() throws IOException {
    return JsonMapper.builder().build().readTree(resource("index.json"));
  }

  @Test
  void bundled_everyIndexedFile_isPresentWithItsRecordedSha256() throws Exception {
    JsonNode index = index();
    List<String> checked = new ArrayList<>();
    for (JsonNode crd : index.path("crds")) {
      assertThat(sha256(resource(crd.path("schemaFile").asString())))
          .as(crd.path("schemaFile").asString())
          .isEqualTo(crd.path("schemaSha256").asString());
      checked.add(crd.path("schemaFile").asString());
      if (crd.has("crdFile")) {
        assertThat(sha256(resource(crd.path("crdFile").asString())))
            .as(crd.path("crdFile").asString())
            .isEqualTo(crd.path("crdSha256").asString());
      }
    }
    for (JsonNode k8s : index.path("k8s")) {
      assertThat(sha256(resource(k8s.path("file").asString())))
          .as(k8s.path("file").asString())
          .isEqualTo(k8s.path("sha256").asString());
      checked.add(k8s.path("file").asString());
    }
    assertThat(checked).hasSizeGreaterThan(30);
    assertThat(resource("LICENSE-datreeio-CRDs-catalog.txt")).isNotEmpty();
  }

  @Test
  void bundled_knowsEveryKindTheSdkRendersOrReads() {
    String[][] kinds = {
      {"v1", "Namespace"},
      {"v1", "ServiceAccount"},
      {"v1", "Service"},
      {"v1", "ConfigMap"},
      {"v1", "Secret"},
      {"apps/v1", "Deployment"},
      {"apps/v1", "StatefulSet"},
      {"batch/v1", "Job"},
      {"policy/v1", "PodDisruptionBudget"},
      {"autoscaling/v2", "HorizontalPodAutoscaler"},
      {"networking.k8s.io/v1", "NetworkPolicy"},
      {"rbac.authorization.k8s.io/v1", "ClusterRole"},
      {"rbac.authorization.k8s.io/v1", "RoleBinding"},
      {"apiregistration.k8s.io/v1", "APIService"},
      {"cloud.google.com/v1", "ComputeClass"},
      {"monitoring.googleapis.com/v1", "PodMonitoring"},
      {"inference.networking.k8s.io/v1", "InferencePool"},
      {"inference.networking.x-k8s.io/v1alpha2", "InferenceObjective"},
      {"gateway.networking.k8s.io/v1", "Gateway"},
      {"gateway.networking.k8s.io/v1", "HTTPRoute"},
      {"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet"},
      {"jobset.x-k8s.io/v1alpha2", "JobSet"},
      {"networking.gke.io/v1", "HealthCheckPolicy"},
      {"keda.sh/v1alpha1", "ScaledObject"},
      {"keda.sh/v1alpha1", "TriggerAuthentication"},
      {"iam.cnrm.cloud.google.com/v1beta1", "IAMPolicyMember"},
      {"pubsub.cnrm.cloud.google.com/v1beta1", "PubSubSubscription"},
      {"storage.cnrm.cloud.google.com/v1beta1", "StorageBucket"},
    };
    for (String[] kind : kinds) {
      assertThat(SCHEMAS.knows(kind[0], kind[1])).as(kind[0] + " " + kind[1]).isTrue();
    }
    assertThat(SCHEMAS.knows("example.com/v1", "Widget")).isFalse();
  }

  private static final String COMPUTE_CLASS =
      """
      apiVersion: cloud.google.com/v1
      kind: ComputeClass
      metadata:
        name: l4
      spec:
        priorities:
          - machineType: g2-standard-8
        nodePoolAutoCreation:
          enabled: true
      """;

  @Test
  void validate_requiredPropertyWithStructuralDefault_mayBeOmitted() {
    ObjectNode computeClass = yaml(COMPUTE_CLASS);

    assertThat(SCHEMAS.validate(computeClass)).isEmpty();
    // the caller's object is not changed by defaulting
    assertThat(computeClass.path("spec").has("whenUnsatisfiable")).isFalse();
  }

  @Test
  void validate_requiredPropertyWithoutDefault_isStillRequired() {
    ObjectNode noSpec = yaml(COMPUTE_CLASS);
    noSpec.remove("spec");

    assertThat(SCHEMAS.validate(noSpec))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("spec"));
  }

  @Test
  void validate_unknownFieldNextToDefaultedOne_isRejected() {
    ObjectNode computeClass = yaml(COMPUTE_CLASS);
    ((ObjectNode) computeClass.path("spec")).put("whenUnsatisfiabel", "ScaleUpAnyway");

    assertThat(SCHEMAS.validate(computeClass))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("$.spec");
              assertThat(f.message()).contains("whenUnsatisfiabel");
            });
  }

  @Test
  void validate_oneOfBranchNamingOneProperty_doesNotCloseTheObject() {
    // Gateway API's addresses items: one oneOf branch names only `type`; the object itself is
    // closed, so `value` is allowed but a misspelt field is not
    String gateway =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: g, namespace: default}
        spec:
          gatewayClassName: gke-l7-cross-regional-internal-managed-mc
          addresses:
            - {type: networking.gke.io/ephemeral-ipv4-address/us-east4, value: us-east4}
          listeners:
            - {name: http, protocol: HTTP, port: 80}
        """;
    assertThat(SCHEMAS.validate(yaml(gateway))).isEmpty();
    assertThat(SCHEMAS.validate(yaml(gateway.replace("value: us-east4", "valeu: us-east4"))))
        .extracting(SchemaFinding::message)
        .anySatisfy(m -> assertThat(m).contains("valeu"));
  }

  @Test
  void validate_defaultsInsideListItems_areApplied() {
    // flexStart.enabled is required and defaults to false in every priority of the list
    ObjectNode computeClass =
        yaml(
            COMPUTE_CLASS.replace(
                "- machineType: g2-standard-8",
                "- machineType: g2-standard-8\n      flexStart:\n        nodeRecycling:\n"
                    + "          leadTimeSeconds: 600"));

    assertThat(SCHEMAS.validate(computeClass)).isEmpty();
  }

  @Test
  void validate_kindWithoutSchema_isOneFindingNamingIt() {
    ObjectNode widget =
        yaml("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n");

    assertThat(SCHEMAS.validate(widget))
        .singleElement()
        .hasToString("Widget/w $: no schema for apiVersion 'example.com/v1' kind 'Widget'");
  }

  @Test
  void validate_rbacNames_arePathSegmentsNotDnsNames() {
    String binding =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: NAME
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: system:auth-delegator
        """;

    assertThat(SCHEMAS.validate(yaml(binding.replace("NAME", "metrics:system:auth-delegator"))))
        .isEmpty();
    assertThat(SCHEMAS.validate(yaml(binding.replace("NAME", "a/b"))))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("not a valid path segment name"));
    // other kinds keep the DNS-1123 rule
    assertThat(SCHEMAS.validate(yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a:b\n")))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("DNS-1123"));
  }

  @Test
  void of_folderWithoutIndex_failsNamingIt(@TempDir Path tmp) {
    Path missing = tmp.resolve("nope");

    assertThatThrownBy(() -> KubernetesSchemas.of(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("index.json");
  }

  @Test
  void of_folderLaidOutLikeTheBundle_validatesTheSameWay(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("schemas");
    for (JsonNode crd : index().path("crds")) {
      if (crd.path("kind").asString().equals("ComputeClass")) {
        String file = crd.path("schemaFile").asString();
        Files.createDirectories(dir.resolve(file).getParent());
        Files.write(dir.resolve(file), resource(file));
      }
    }
    Files.write(dir.resolve("index.json"), resource("index.json"));

    KubernetesSchemas fromDir = KubernetesSchemas.of(dir);

    assertThat(fromDir.validate(yaml(COMPUTE_CLASS))).isEmpty();
    // the folder lacks the Kubernetes OpenAPI documents: a Deployment has no schema there
    assertThat(fromDir.knows("apps/v1", "Deployment")).isFalse();
  }
}
