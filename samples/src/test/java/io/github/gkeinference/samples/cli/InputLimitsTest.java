package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input checked before parsing: size, file type, duplicate keys, empty input. */
class InputLimitsTest {
  @TempDir Path tmp;

  /** A sparse file one byte over the default limit: no memory or disk is spent on it. */
  private Path oversized() throws IOException {
    Path big = tmp.resolve("big.yaml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(CliSettings.DEFAULT_MAX_INPUT_BYTES + 1);
    }
    return big;
  }

  @Test
  void renderFile_overTheSizeLimit_exit2_beforeReading() throws IOException {
    Path big = oversized();
    CliRun cli = new CliRun();

    int code = cli.run("render", "-f", big.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine(
        "error: "
            + big
            + " is "
            + (CliSettings.DEFAULT_MAX_INPUT_BYTES + 1)
            + " bytes, more than the input limit of "
            + CliSettings.DEFAULT_MAX_INPUT_BYTES
            + " bytes (raise it with -Dgkeinference.maxInputBytes=N)");
  }

  @Test
  void renderFile_devZero_exit2_notARegularFile() {
    assumeThat(Path.of("/dev/zero")).exists();
    CliRun cli = new CliRun();

    int code = cli.run("render", "-f", "/dev/zero");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: /dev/zero is not a regular file");
  }

  @Test
  void apply_oversizedKubeconfig_exit2_oneLine() throws IOException {
    Path manifests = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(
        manifests.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    Path big = oversized();
    CliRun cli = new CliRun();

    int code = cli.run("apply", manifests.toString(), "--kubeconfig", big.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: kubeconfig " + big + " is ");
  }

  @Test
  void renderFile_duplicateKey_exit2_namingTheKey() throws IOException {
    Path spec = tmp.resolve("dup.yaml");
    Files.writeString(
        spec,
        """
        kind: Manifest
        spec:
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: settings
            namespace: dev
            namespace: prod
        """);
    CliRun cli = new CliRun();

    int code = cli.run("render", "-f", spec.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("namespace").doesNotContain("\tat ");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void validate_oneBadFile_isReported_andTheOthersStillValidated() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(dir.resolve("a-dup.yaml"), "kind: ConfigMap\nkind: Secret\n");
    Files.write(dir.resolve("b-binary.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    Files.writeString(
        dir.resolve("c-good.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: x\n");
    CliRun cli = new CliRun();

    int code = cli.run("validate", dir.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out())
        .contains(dir.resolve("a-dup.yaml") + ": ERROR not valid YAML")
        .contains(
            dir.resolve("b-binary.yaml")
                + ": ERROR "
                + dir.resolve("b-binary.yaml")
                + " is not UTF-8 text")
        .contains("1 objects in 3 files: 2 errors");
  }

  @Test
  void validate_fifo_isReportedInOneLine_withoutBlocking() throws Exception {
    Path fifo = tmp.resolve("pipe.yaml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeThat(mkfifo.waitFor()).isZero();
    CliRun cli = new CliRun();

    int code = cli.run("validate", fifo.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out()).contains(fifo + ": ERROR " + fifo + " is not a regular file");
  }

  @Test
  void validate_emptyFolderOrEmptyFile_exit2() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun folder = new CliRun();
    assertThat(folder.run("validate", empty.toString())).isEqualTo(GkeInferenceCli.INVALID);
    folder.assertOneErrorLine("error: no YAML files in [" + empty + "]");

    Path blank = Files.writeString(tmp.resolve("blank.yaml"), "\n");
    CliRun file = new CliRun();
    assertThat(file.run("validate", blank.toString())).isEqualTo(GkeInferenceCli.INVALID);
    file.assertOneErrorLine("error: no YAML documents in [" + blank + "]");
  }
}
