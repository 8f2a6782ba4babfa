package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus of literal credentials (test resources under {@code hostile/secrets}): no CLI
 * output shows an unmasked token, no rendered object holds one, and each input is refused.
 */
class HostileSecretsTest {
  private static final String HF = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

  /** An unmasked token: the prefix followed by more than the mask. */
  private static final Pattern UNMASKED = Pattern.compile("(hf_|sk-)[A-Za-z0-9]");

  @TempDir Path tmp;

  static Path corpus() {
    try {
      return Path.of(HostileSecretsTest.class.getResource("/hostile/secrets").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> specFiles() throws IOException {
    try (Stream<Path> files = Files.list(corpus())) {
      return files.filter(f -> f.getFileName().toString().startsWith("spec-")).sorted().toList();
    }
  }

  private static void assertMasked(CliRun cli) {
    assertThat(UNMASKED.matcher(cli.out()).find()).as(cli.out()).isFalse();
    assertThat(UNMASKED.matcher(cli.err()).find()).as(cli.err()).isFalse();
    assertThat(cli.out() + cli.err()).doesNotContain("\tat ", "Exception in thread");
  }

  @ParameterizedTest
  @MethodSource("specFiles")
  void renderSpecFile_withALiteralToken_exit2_masked_andWritesNothing(Path file) {
    Path out = tmp.resolve("out");
    CliRun toDir = new CliRun();
    CliRun toStdout = new CliRun();

    int code = toDir.run("render", "-f", file.toString(), "--out", out.toString());
    int stdoutCode = toStdout.run("render", "-f", file.toString());

    assertThat(code).as(toDir.err()).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(stdoutCode).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(toDir.err()).contains("ERROR [0].spec.");
    assertMasked(toDir);
    assertMasked(toStdout);
    assertThat(out).doesNotExist();
  }

  @Test
  void renderSpecFile_literalInArgs_namesThePathAndSecretRef() {
    CliRun cli = new CliRun();

    cli.run("render", "-f", corpus().resolve("spec-extra-args-hf-token.yaml").toString());

    assertThat(cli.err())
        .contains("ERROR [0].spec.extraArgs[0]: holds a literal Hugging Face token")
        .contains("SecretRef")
        .contains("(rejected: --hf-token=hf_****)");
  }

  @Test
  void renderSample_tokenAsModelOrLabel_exit2_masked() {
    for (String[] args :
        List.of(
            new String[] {"render", "online-inference-gpu", "--model", HF},
            new String[] {"render", "online-inference-gpu", "--label", "token=" + HF},
            new String[] {"render", "online-inference-gpu", "--annotation", "key=" + HF})) {
      CliRun cli = new CliRun();

      int code = cli.run(args);

      assertThat(code).as(String.join(" ", args) + "\n" + cli.err()).isEqualTo(2);
      assertMasked(cli);
    }
  }

  @Test
  void renderSample_tokenInAnOptionThatIsNotAnArgument_isMaskedInTheUsageError() {
    CliRun cli = new CliRun();

    int code = cli.run("render", "online-inference-gpu", "--no-such-option=" + HF);

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("hf_****");
    assertMasked(cli);
  }

  @Test
  void validate_foreignDeploymentWithLiterals_reportsEachPath_masked() {
    CliRun cli = new CliRun();

    int code = cli.run("validate", corpus().resolve("foreign-deployment-token.yaml").toString());

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out())
        .contains("ERROR Deployment/leaky metadata.labels.token: holds a literal Hugging Face")
        .contains(
            "ERROR Deployment/leaky spec.template.spec.containers[0].args[1]: holds a literal API"
                + " key")
        .contains(
            "ERROR Deployment/leaky spec.template.spec.containers[0].env[0].value: holds a literal"
                + " Hugging Face token");
    assertMasked(cli);
  }

  @Test
  void validate_brokenYamlEchoingAToken_isMasked() {
    CliRun cli = new CliRun();

    int code = cli.run("validate", corpus().resolve("foreign-broken-yaml-token.yaml").toString());

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertMasked(cli);
  }

  @Test
  void validate_wholeCorpus_neverPrintsAToken() {
    CliRun cli = new CliRun();

    int code = cli.run("validate", corpus().toString());

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertMasked(cli);
  }

  /** One line of {@code hostile/cases.txt}: the expected exit code, first line and arguments. */
  record Case(int exit, String firstLine, List<String> args) {
    @Override
    public String toString() {
      return String.join(" ", args) + " -> " + exit;
    }
  }

  static List<Case> cases() throws IOException {
    Path hostile = corpus().getParent();
    Path validate = hostile.resolveSibling("validate");
    List<Case> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(hostile.resolve("cases.txt"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] columns = line.split("\t");
      List<String> args = new java.util.ArrayList<>();
      for (String a : columns[2].split(" ")) {
        args.add(
            a.replace("INPUT/", hostile.resolve("inputs") + "/")
                .replace("SECRETS/", hostile.resolve("secrets") + "/")
                .replace("VALIDATE/", validate + "/"));
      }
      out.add(new Case(Integer.parseInt(columns[0]), columns[1], args));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void hostileCase_exitsWithItsCode_andFirstLine_withoutStackTraceOrToken(Case c) {
    CliRun cli = new CliRun();

    int code = cli.run(c.args().toArray(String[]::new));

    String output = code == GkeInferenceCli.INVALID ? cli.err() : cli.out();
    String first = output.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
    assertThat(code).as(cli.out() + cli.err()).isEqualTo(c.exit());
    assertThat(first).as(output).contains(c.firstLine());
    assertMasked(cli);
  }

  @Test
  void validate_billionLaughs_isOneLine_andTheOtherFilesAreStillValidated() {
    Path inputs = corpus().resolveSibling("inputs");
    CliRun cli = new CliRun();

    int code =
        cli.run(
            "validate",
            inputs.resolve("billion-laughs.yaml").toString(),
            inputs.resolve("aliases-deployment.yaml").toString());

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out().lines().filter(l -> l.contains("billion-laughs"))).hasSize(1);
    assertThat(cli.out()).contains("1 objects in 2 files: 1 errors");
  }
}
