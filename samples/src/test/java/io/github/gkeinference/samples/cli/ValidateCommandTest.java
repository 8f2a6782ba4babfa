package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.testing.TestSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private String schemas;

  @BeforeEach
  void schemas() {
    io.github.gkeinference.testing.SchemaValidator.forTests(); // skips or fails without schemas
    schemas = TestSettings.schemasDir().toString();
  }

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void validate_renderedSample_isClean() {
    Path m = tmp.resolve("m");
    assertThat(run("render", "online-inference-gpu", "--out", m.toString())).isZero();

    assertThat(run("validate", "--schemas", schemas, m.toString())).isZero();
    assertThat(out.toString()).contains("no findings");
  }

  @Test
  void validate_plantedErrors_reportsFileObjectAndPath_exit1() throws IOException {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: Vllm
        spec:
          ports:
            - port: 70000
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

    assertThat(run("validate", "--schemas", schemas, bad.toString()))
        .isEqualTo(GkeInferenceCli.FINDINGS);

    assertThat(out.toString())
        .contains(bad + ": ERROR Service/Vllm $.metadata.name")
        .contains(bad + ": ERROR Service/Vllm $.spec.ports[0].port")
        .contains(bad + ": ERROR Deployment/vllm $.spec.template.spec.containers[0]")
        .contains("gpus");
  }

  @Test
  void validate_missingPath_isInvalidInput() {
    assertThat(run("validate", "--schemas", schemas, tmp.resolve("nope").toString()))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("does not exist");
  }
}
