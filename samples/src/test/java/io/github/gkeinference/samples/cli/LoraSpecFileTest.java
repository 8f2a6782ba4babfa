package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.testing.GoldenFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The LoRA spec-file example ({@code specs/lora-adapters.yaml}, issue 17 acceptance 6) renders its
 * adapter and draft volumes and flags, its golden file, and passes the published schema.
 */
class LoraSpecFileTest {
  private static final Path SPEC = Path.of("specs/lora-adapters.yaml");

  private static String render() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        GkeInferenceCli.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "render",
            "-f",
            SPEC.toString());
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void render_loraSpecFile_rendersAdapterMountsFlagsAndGrants() {
    String yaml = render();

    assertThat(yaml)
        .contains(
            "--enable-lora",
            "--max-lora-rank=16",
            "--max-loras=2",
            "--max-cpu-loras=4",
            "--lora-modules",
            "sql=/adapters/sql",
            "chat=/adapters/chat",
            "hub=my-org/llama-3.1-8b-hub-lora",
            // YAML escapes the JSON's quotes
            "--speculative-config={\\\"method\\\":\\\"eagle3\\\",\\\"model\\\":\\\"/draft\\\"",
            // each bucket folder its own read-only GCS FUSE volume
            "only-dir:adapters/llama-3.1-8b-sql-lora",
            "only-dir:llama-3.1-8b/chat",
            "only-dir:yuhuili/eagle3-llama3.1-instruct-8b",
            "mountPath: /adapters/sql",
            "mountPath: /adapters/chat",
            "mountPath: /draft",
            // read-only grants on the model bucket and the adapter bucket
            "name: vllm-lora-model-reader\n",
            "name: vllm-lora-model-reader-2\n",
            "name: hf-token");
    GoldenFiles.assertMatches("lora-adapters/kubernetes.yaml", yaml);
  }

  @Test
  void schema_acceptsTheLoraSpecFile() throws IOException {
    var schema = SpecFileGoldenTest.schema();
    for (var doc : YamlDocuments.read(Files.readString(SPEC))) {
      assertThat(schema.validate(doc)).isEmpty();
    }
  }
}
