package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ValidateCommandTest {
  /** A Service with two schema errors: an upper-case name and a port above 65535. */
  private static final String BAD_SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: Vllm
      spec:
        ports:
          - port: 70000
      """;

  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void validate_renderedSample_isClean() {
    Path m = tmp.resolve("m");
    assertThat(run("render", "online-inference-gpu", "--out", m.toString())).isZero();

    assertThat(run("validate", m.toString())).isZero();
    assertThat(out.toString()).contains("no findings");
  }

  @Test
  void validate_plantedErrors_reportsFileObjectAndPath_exit1() throws IOException {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        BAD_SERVICE
            + """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: vllm
        spec:
          selector: {}
          template:
            spec:
              containers:
                - name: vllm
                  image: vllm/vllm-openai:v0.11.2
                  gpus: 2
        """);

    assertThat(run("validate", bad.toString())).isEqualTo(GkeInferenceCli.FINDINGS);

    assertThat(out.toString())
        .contains(bad + ": ERROR Service/Vllm $.metadata.name")
        .contains(bad + ": ERROR Service/Vllm $.spec.ports[0].port")
        .contains(bad + ": ERROR Deployment/vllm $.spec.template.spec.containers[0]")
        .contains("gpus");
  }

  @Test
  void validate_missingPath_isInvalidInput() {
    assertThat(run("validate", tmp.resolve("nope").toString())).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void validate_everySample_isClean() {
    for (io.github.gkeinference.samples.Sample sample :
        io.github.gkeinference.samples.Sample.all()) {
      Path m = tmp.resolve(sample.name());
      assertThat(run("render", sample.name(), "--out", m.toString())).isZero();
      out.getBuffer().setLength(0);

      assertThat(run("validate", m.toString())).as(sample.name() + ":\n" + out).isZero();
    }
  }

  @Test
  void validate_plantedCrossResourceErrors_reportsEach_exit1() throws IOException {
    Path m = tmp.resolve("m");
    assertThat(run("render", "inference-gateway", "--out", m.toString())).isZero();
    Path planted = m.resolve("planted.yaml");
    Files.writeString(
        planted,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: tp4-on-2
          namespace: inference
        spec:
          selector:
            matchLabels:
              app: tp4
          template:
            metadata:
              labels:
                app: tp4
            spec:
              containers:
                - name: vllm
                  image: vllm/vllm-openai:v0.11.2
                  args: ["--model=meta-llama/Llama-3.3-70B-Instruct", "--tensor-parallel-size=4"]
                  resources:
                    limits:
                      nvidia.com/gpu: "2"
        ---
        apiVersion: cloud.google.com/v1
        kind: ComputeClass
        metadata:
          name: gpu-h100-80gb-high-x2
        spec:
          whenUnsatisfiable: DoNotScaleUp
          priorities:
            - machineType: a3-highgpu-2g
              gpu:
                type: nvidia-h100-80gb
                count: 2
            - machineType: a3-highgpu-1g
              gpu:
                type: nvidia-h100-80gb
                count: 2
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata:
          name: orphan
          namespace: inference
        spec:
          selector:
            matchLabels:
              app: nobody
          targetPorts:
            - number: 8000
          endpointPickerRef:
            name: llama-v1-epp
            port:
              number: 9002
        """);

    assertThat(run("validate", m.toString())).isEqualTo(GkeInferenceCli.FINDINGS);

    String text = out.toString();
    assertThat(text.lines().filter(l -> l.contains("ERROR"))).as(text).hasSize(3);
    assertThat(text)
        .contains("Deployment/inference/tp4-on-2")
        .contains(
            planted
                + ": ERROR ComputeClass/gpu-h100-80gb-high-x2 spec.priorities[1].machineType: carries 1 nvidia-h100-80gb but the rule asks for 2 nvidia-h100-80gb")
        .contains("InferencePool/inference/orphan.spec.selector.matchLabels");
  }

  /**
   * ComputeClasses as the reference architecture writes them: no {@code whenUnsatisfiable}, which
   * the CRD defaults to {@code DoNotScaleUp}; the API server applies that default before it checks
   * {@code required}, and so must validate.
   */
  private static final String COMPUTE_CLASS_WITHOUT_DEFAULTED_FIELD =
      """
      apiVersion: cloud.google.com/v1
      kind: ComputeClass
      metadata:
        name: l4-x1
      spec:
        priorities:
          - machineType: g2-standard-8
            gpu:
              type: nvidia-l4
              count: 1
        nodePoolAutoCreation:
          enabled: true
      """;

  @Test
  void validate_computeClassOmittingDefaultedRequiredField_isClean() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(dir.resolve("l4.yaml"), COMPUTE_CLASS_WITHOUT_DEFAULTED_FIELD);
    Files.writeString(
        dir.resolve("h100.yaml"),
        COMPUTE_CLASS_WITHOUT_DEFAULTED_FIELD
            .replace("l4-x1", "h100-x8")
            .replace("g2-standard-8", "a3-highgpu-8g")
            .replace("nvidia-l4", "nvidia-h100-80gb")
            .replace("count: 1", "count: 8"));

    assertThat(run("validate", dir.toString())).as(out.toString()).isZero();
    assertThat(out.toString()).doesNotContain("whenUnsatisfiable").contains("no findings");
  }

  @Test
  void validate_computeClassWithUnknownField_isStillAnError() throws IOException {
    Path file = tmp.resolve("typo.yaml");
    Files.writeString(
        file,
        COMPUTE_CLASS_WITHOUT_DEFAULTED_FIELD.replace(
            "  nodePoolAutoCreation:", "  autoscalingPolicyy: {}\n  nodePoolAutoCreation:"));

    assertThat(run("validate", file.toString())).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(out.toString())
        .contains(file + ": ERROR ComputeClass/l4-x1 $.spec")
        .contains("autoscalingPolicyy")
        .doesNotContain("whenUnsatisfiable");
  }

  @Test
  void validate_schemaFolderThatDoesNotExist_isInvalidInputNamingIt() {
    Path missing = tmp.resolve("no-such-schemas");

    assertThat(run("validate", "--schemas", missing.toString(), tmp.toString()))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("error: schema folder " + missing).contains("index.json");
  }

  @Test
  void validate_jsonAndYaml_listEveryFindingWithFileObjectAndPath_andCountErrors()
      throws IOException {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, BAD_SERVICE);
    CliRun cli = new CliRun();
    assertThat(cli.run("validate", bad.toString(), "-o", "json"))
        .isEqualTo(GkeInferenceCli.FINDINGS);
    JsonNode root = cli.json();
    assertThat(CliRun.jsonAgreeingWithYaml("validate", bad.toString())).isEqualTo(root);

    assertThat(root.path("objects").asInt()).isEqualTo(1);
    assertThat(root.path("files").asInt()).isEqualTo(1);
    assertThat(root.path("findings").valueStream().map(f -> f.path("path").asString()))
        .contains("$.metadata.name", "$.spec.ports[0].port");
    long errors =
        root.path("findings")
            .valueStream()
            .filter(f -> f.path("severity").asString().equals("ERROR"))
            .count();
    assertThat(root.path("errors").asLong()).isEqualTo(errors).isPositive();
    for (JsonNode f : root.path("findings")) {
      assertThat(f.path("file").asString()).isEqualTo(bad.toString());
      assertThat(f.path("object").asString()).isEqualTo("Service/Vllm");
    }
  }
}
