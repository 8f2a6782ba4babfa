package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render --out}: the folder's other files, planted links and unwritable targets. */
class RenderOutputFolderTest {
  @TempDir Path tmp;

  @Test
  void render_emptyOut_isAUsageError_andWritesNothingHere() throws IOException {
    CliRun cli = new CliRun();

    int code = cli.run("render", "online-inference-gpu", "--out", "");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: --out needs a directory name");
    assertThat(Path.of("kustomization.yaml")).doesNotExist();
  }

  @Test
  void render_again_keepsUserFilesNamedLikeGeneratedOnes() throws IOException {
    Path out = tmp.resolve("m");
    assertThat(new CliRun().run("render", "online-inference-gpu", "--out", out.toString()))
        .isZero();
    Path notes = Files.writeString(out.resolve("01-my-important-notes.yaml"), "notes: mine\n");
    Path secrets = Files.writeString(out.resolve("99-prod-secrets.json"), "{\"mine\": true}\n");

    CliRun again = new CliRun();
    int code = again.run("render", "online-inference-tpu", "--out", out.toString());

    assertThat(code).as(again.err()).isZero();
    assertThat(notes).hasContent("notes: mine");
    assertThat(secrets).hasContent("{\"mine\": true}");
    assertThat(Files.readString(out.resolve("kustomization.yaml"))).contains("tpu");
  }

  @Test
  void render_plantedSymlinkNamedLikeAGeneratedFile_isRefused_andItsTargetUntouched()
      throws IOException {
    Path out = tmp.resolve("m");
    assertThat(new CliRun().run("render", "online-inference-gpu", "--out", out.toString()))
        .isZero();
    Path generated;
    try (var files = Files.list(out)) {
      generated =
          files.filter(f -> f.getFileName().toString().contains("-deployment-")).findFirst().get();
    }
    Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
    Files.delete(generated);
    Files.createSymbolicLink(generated, victim);

    CliRun cli = new CliRun();
    int code = cli.run("render", "online-inference-gpu", "--out", out.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: " + generated + " is a symbolic link");
    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(generated)).isTrue();
  }

  @Test
  void render_outIsAnExistingFile_isOneLine_andTheFileUntouched() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "mine\n");
    CliRun cli = new CliRun();

    int code = cli.run("render", "online-inference-gpu", "--out", file.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: cannot write manifests to " + file + ": it is not a directory");
    assertThat(file).hasContent("mine");
  }

  @Test
  void render_outUnderProc_isOneLine() {
    assumeThat(Path.of("/proc/self")).exists();
    CliRun cli = new CliRun();

    int code = cli.run("render", "online-inference-gpu", "--out", "/proc/gke-inference-out");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: cannot write manifests to /proc/gke-inference-out: ");
  }
}
