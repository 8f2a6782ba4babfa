package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.testing.SchemaValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
      for (Path f : files.filter(p -> !p.endsWith("kustomization.yaml")).toList()) {
        assertThat(schemas.validateYaml(Files.readString(f))).as(f.toString()).isEmpty();
      }
    }
  }

  @Test
  void render_withInvalidInput_printsEveryViolation_exits2_andWritesNothing() {
    Path m = tmp.resolve("m");

    int code =
        run(
            "render",
            "online-inference-gpu",
            "--model",
            "",
            "--accelerator",
            "tpu-v6e",
            "--out",
            m.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .anySatisfy(l -> assertThat(l).startsWith("ERROR modelId:"))
        .anySatisfy(l -> assertThat(l).startsWith("ERROR acceleratorLabel:"))
        .noneSatisfy(l -> assertThat(l).contains("Exception"));
    assertThat(m).doesNotExist();
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
}
