package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.testing.SchemaValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RenderCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void render_onlineInferenceGpu_writesSchemaValidFilesAndKustomization() throws IOException {
    Path m = tmp.resolve("m");

    assertThat(run("render", "online-inference-gpu", "--out", m.toString())).isZero();

    assertThat(m.resolve("kustomization.yaml")).exists();
    SchemaValidator schemas = SchemaValidator.forTests();
    try (Stream<Path> files = Files.list(m)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml"))
              .toList()) {
        assertThat(schemas.validateYaml(Files.readString(f))).as(f.toString()).isEmpty();
      }
    }
  }

  @Test
  void render_specFileWithNegativeReplicasAndEmptyModel_printsBothPaths_exit2_writesNothing()
      throws IOException {
    Path spec = tmp.resolve("service.yaml");
    Files.writeString(
        spec,
        """
        kind: VllmServer
        spec:
          name: vllm
          modelId: ""
          replicas: -1
          placement:
            accelerator: nvidia-l4
        """);
    Path m = tmp.resolve("m");

    int code = run("render", "-f", spec.toString(), "--out", m.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .anySatisfy(l -> assertThat(l).startsWith("ERROR [0].spec.modelId:"))
        .anySatisfy(l -> assertThat(l).startsWith("ERROR [0].spec.replicas:"))
        .noneSatisfy(l -> assertThat(l).contains("Exception"));
    assertThat(m).doesNotExist();
  }

  @Test
  void render_specFile_rendersTheServer_andRejectsUnknownFieldsWithTheirPath() throws IOException {
    Path spec = tmp.resolve("service.yaml");
    String good =
        """
        kind: VllmServer
        spec:
          name: vllm
          namespace: inference
          modelId: meta-llama/Llama-3.1-8B-Instruct
          maxModelLen: 8192
          placement:
            accelerator: nvidia-l4
            devices: 1
        """;
    Files.writeString(spec, good);
    assertThat(run("render", "-f", spec.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("kind: Deployment").contains("--max-model-len=8192");

    Files.writeString(spec, good.replace("    devices: 1", "    devicez: 1"));
    assertThat(run("render", "-f", spec.toString())).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("ERROR [0].spec.placement.devicez: unknown field");
  }

  @Test
  void render_withAModelThatDoesNotFit_explainsWhy_exit2() {
    int code =
        run(
            "render",
            "online-inference-gpu",
            "--model",
            "deepseek-ai/DeepSeek-R1",
            "--out",
            tmp.resolve("m").toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString())
        .startsWith("ERROR accelerator: cannot serve deepseek-ai/DeepSeek-R1");
    assertThat(tmp.resolve("m")).doesNotExist();
  }

  @Test
  void render_unknownSample_exits2_withTheChoices() {
    assertThat(run("render", "nope")).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("unknown sample 'nope'").contains("online-inference-gpu");
  }

  @Test
  void render_toStandardOutput_printsYamlDocuments() {
    assertThat(run("render", "online-inference-gpu")).isZero();
    assertThat(out.toString())
        .contains("kind: Deployment")
        .contains("---\n")
        .contains("kind: Service");
  }

  @Test
  void render_withPlatformOptions_appliesTheTransformsToEveryObject() {
    int code =
        run(
            "render",
            "online-inference-gpu",
            "--label",
            "team=ml",
            "--image-mirror",
            "docker.io=us-docker.pkg.dev/p/hub",
            "--image-pull-secret",
            "regcred",
            "--node-selector",
            "pool=inference");

    assertThat(code).as(err.toString()).isZero();
    List<JsonNode> docs = YamlDocuments.read(out.toString());
    assertThat(docs).isNotEmpty();
    assertThat(docs)
        .allSatisfy(
            d ->
                assertThat(d.path("metadata").path("labels").path("team").asString())
                    .isEqualTo("ml"));
    JsonNode pod =
        docs.stream()
            .filter(d -> d.path("kind").asString().equals("Deployment"))
            .findFirst()
            .orElseThrow()
            .path("spec")
            .path("template")
            .path("spec");
    assertThat(pod.path("imagePullSecrets").toString()).isEqualTo("[{\"name\":\"regcred\"}]");
    assertThat(pod.path("nodeSelector").path("pool").asString()).isEqualTo("inference");
    assertThat(pod.path("containers").get(0).path("image").asString())
        .startsWith("us-docker.pkg.dev/p/hub/");
  }

  @Test
  void render_withAnInvalidLabel_exits2_withItsPath() {
    assertThat(run("render", "online-inference-gpu", "--label", "team=not a value"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).startsWith("ERROR labels.team:");
  }
}
