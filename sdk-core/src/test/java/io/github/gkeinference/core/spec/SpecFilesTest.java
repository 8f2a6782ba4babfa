package io.github.gkeinference.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpecFilesTest {
  private static final String CLUSTER =
      """
      kind: ClusterSpec
      spec:
        project: my-project
        name: inference
        location: us-east4
        releaseChannel: regular
      """;
  private static final String CONFIG_MAP =
      """
      kind: Manifest
      spec:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: inference}
        data: {mode: online}
      """;

  private static List<String> paths(SdkValidationException e) {
    return e.violations().stream().map(Violation::path).toList();
  }

  @Test
  void standard_findsTheCoreKindsThroughTheServiceLoader() {
    assertThat(SpecFiles.standard().kinds()).containsKeys("ClusterSpec", "ModelDownloadJob");
  }

  @Test
  void render_clusterAndManifest_rendersTheClusterRequestAndTheObjectAsWritten() {
    RenderedSet set = SpecFiles.standard().render(CLUSTER + "---\n" + CONFIG_MAP);

    assertThat(set.cloudResources()).extracting(CloudResource::name).containsExactly("inference");
    ConfigMap cm = set.find(ConfigMap.class, "settings").orElseThrow();
    assertThat(cm.getData()).containsEntry("mode", "online");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("inference");
  }

  @Test
  void read_everyProblemOfEveryDocument_isReportedOnceWithItsPath() {
    String text =
        """
        kind: ClusterSpec
        spec:
          project: my-project
          name: inference
          location: us-east4
          releaseChanel: regular
          napCpuLimit: many
        ---
        kind: Clusterspec
        spec: {}
        ---
        kind: Manifest
        extra: 1
        spec: {kind: ConfigMap}
        """;

    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> SpecFiles.standard().read(text));

    assertThat(paths(e))
        .containsExactlyInAnyOrder(
            "[0].spec.releaseChanel",
            "[0].spec.napCpuLimit",
            "[1].kind",
            "[2].extra",
            "[2].spec.apiVersion",
            "[2].spec.metadata.name");
  }

  @Test
  void of_explicitRegistry_readsOnlyItsKinds() {
    SpecFiles clusters = SpecFiles.of(List.of(SpecKind.of("ClusterSpec", ClusterSpec.class)));

    assertThat(clusters.read(CLUSTER)).singleElement().isInstanceOf(ClusterSpec.class);
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> clusters.read("kind: ModelDownloadJob\nspec: {}\n"));
    assertThat(paths(e)).containsExactly("[0].kind");
    assertThat(e.violations().get(0).message()).contains("[ClusterSpec, Manifest]");
  }

  @Test
  void of_twoKindsOfOneName_isRejected() {
    SpecKind<ClusterSpec> kind = SpecKind.of("ClusterSpec", ClusterSpec.class);

    assertThatThrownBy(() -> SpecFiles.of(List.of(kind, kind)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void read_notYaml_isAViolation() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class, () -> SpecFiles.standard().read("kind: [unclosed"));

    assertThat(e.violations()).hasSize(1);
  }

  @Test
  void schema_describesTheClusterSpecWithItsFieldsAndNoOthers() {
    JsonNode schema =
        JsonMapper.builder()
            .build()
            .readTree(
                SpecFiles.of(List.of(SpecKind.of("ClusterSpec", ClusterSpec.class))).schema());

    JsonNode cluster = schema.path("$defs").path("ClusterSpec");
    assertThat(cluster.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(cluster.path("properties").path("project").path("type").asString())
        .isEqualTo("string");
    assertThat(cluster.path("properties").path("nodeLocations").path("type").asString())
        .isEqualTo("array");
    assertThat(cluster.path("properties").has("cluster")).isFalse(); // derived, not a field
    assertThat(schema.path("properties").path("kind").path("enum").toString())
        .isEqualTo("[\"ClusterSpec\",\"Manifest\"]");
  }

  /** A tool's own kind: a record (no builder) whose {@code target} names an earlier workload. */
  record Watcher(String name, RenderedSet target, List<Integer> ports) implements RenderableSpec {
    @Override
    public String kind() {
      return "Watcher";
    }

    @Override
    public RenderedSet render() {
      ConfigMap watch = new ConfigMap();
      watch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
      watch.getMetadata().setName(name);
      watch.setData(
          java.util.Map.of(
              "watches",
              target().kubernetesObjects().get(0).getMetadata().getName(),
              "ports",
              ports.toString()));
      return RenderedSet.of(watch);
    }
  }

  private static final String DEPLOYMENT =
      """
      kind: Manifest
      spec:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: vllm, namespace: inference}
        spec:
          selector: {matchLabels: {app: vllm}}
          template:
            metadata: {labels: {app: vllm}}
            spec: {containers: [{name: vllm, image: "vllm/vllm-openai:v0.11.0"}]}
      ---
      """;

  @Test
  void read_aToolsRecordKindWithAReference_bindsTheEarlierWorkload_andReportsAnUnknownOne() {
    SpecFiles files =
        SpecFiles.of(
            List.of(SpecKind.of("Watcher", Watcher.class).withReference("target", s -> s)));

    Watcher watcher =
        (Watcher)
            files
                .read(DEPLOYMENT + "kind: Watcher\nspec: {name: w, target: vllm, ports: [80]}\n")
                .get(1);
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                files.read(
                    DEPLOYMENT
                        + "kind: Watcher\nspec: {name: w, target: nope, ports: [http], port: 1}\n"));

    assertThat(watcher.target().kubernetesObjects().get(0).getKind()).isEqualTo("Deployment");
    assertThat(watcher.ports()).containsExactly(80);
    // the schema pass reports both problems of the fields; the reference is checked when they pass
    assertThat(paths(e)).containsExactlyInAnyOrder("[1].spec.ports[0]", "[1].spec.port");
    SdkValidationException reference =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                files.read(
                    DEPLOYMENT + "kind: Watcher\nspec: {name: w, target: nope, ports: []}\n"));
    assertThat(paths(reference)).containsExactly("[1].spec.target");
    assertThat(reference.violations().get(0).message()).contains("earlier document");
  }

  /** A tool's kind with a Kubernetes model field and a field no file can write. */
  record Odd(
      String name,
      java.util.Optional<Runnable> hook,
      List<io.fabric8.kubernetes.api.model.Toleration> tolerations)
      implements RenderableSpec {
    @Override
    public String kind() {
      return "Odd";
    }

    @Override
    public RenderedSet render() {
      return RenderedSet.builder().build();
    }
  }

  @Test
  void read_kubernetesModelFields_bindAsTheApiWritesThem_andAnUnwritableFieldIsAViolation() {
    SpecFiles files = SpecFiles.of(List.of(SpecKind.of("Odd", Odd.class)));

    Odd odd =
        (Odd)
            files
                .read("kind: Odd\nspec: {name: a, tolerations: [{key: gpu, operator: Exists}]}\n")
                .get(0);
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> files.read("kind: Odd\nspec: {name: a, hook: {run: now}, tolerations: []}\n"));
    JsonNode schema = JsonMapper.builder().build().readTree(files.schema());

    assertThat(odd.tolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("gpu"));
    assertThat(odd.hook()).isEmpty();
    assertThat(paths(e)).containsExactly("[0].spec.hook");
    assertThat(
            schema
                .path("$defs")
                .path("Odd")
                .path("properties")
                .path("hook")
                .path("description")
                .asString())
        .contains("cannot be written");
  }

  @Test
  void read_aTokenInAFieldOfTheWrongType_isReportedOnce_withoutPrintingIt() {
    String token = "hf_" + "a".repeat(34);

    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> SpecFiles.standard().read(CLUSTER + "  napCpuLimit: " + token + "\n"));

    assertThat(paths(e)).containsExactly("[0].spec.napCpuLimit");
    assertThat(e.violations().get(0).message()).contains("an integer");
    assertThat(e.getMessage()).doesNotContain(token);
  }
}
