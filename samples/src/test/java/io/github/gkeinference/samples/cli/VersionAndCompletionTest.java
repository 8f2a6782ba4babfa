package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VersionAndCompletionTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void version_printsVersionCommitAndJava_sameAsTheOption() {
    assertThat(run("version")).isZero();
    String command = out.toString();
    out.getBuffer().setLength(0);
    assertThat(run("--version")).isZero();

    assertThat(out.toString()).isEqualTo(command);
    assertThat(command.lines())
        .hasSize(3)
        .satisfies(l -> assertThat(l.get(0)).matches("gke-inference \\d+\\.\\d+\\.\\d+.*"))
        // the build writes the abbreviated commit of the checkout it built
        .satisfies(l -> assertThat(l.get(1)).matches("commit [0-9a-f]{7,}( .*)?"))
        .satisfies(l -> assertThat(l.get(2)).startsWith("Java " + Runtime.version()));
  }

  @Test
  void versionOptionAlone_buildsNoCommand_andPrintsTheSame() {
    // the root alone: --version needs no command, and building them all takes a third of a second
    assertThat(GkeInferenceCli.commandLine(CommandLine.defaultFactory(), "-V").getSubcommands())
        .isEmpty();
    assertThat(GkeInferenceCli.commandLine(CommandLine.defaultFactory(), "-V", "render"))
        .satisfies(cli -> assertThat(cli.getSubcommands()).isNotEmpty());

    assertThat(run("version")).isZero();
    String command = out.toString();
    out.getBuffer().setLength(0);
    assertThat(run("-V")).isZero();
    assertThat(out.toString()).isEqualTo(command);
  }

  @Test
  void completionBash_canBeSourcedAndCompletesTheCommands(@TempDir Path tmp) throws Exception {
    assertThat(run("completion", "bash")).isZero();
    Path script = tmp.resolve("gke-inference.bash");
    Files.writeString(script, out.toString(), StandardCharsets.UTF_8);

    // source it in a real bash and ask for the words it completes after "gke-inference "
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source \"$1\" && COMP_WORDS=(gke-inference '') && COMP_CWORD=1 && COMP_LINE="
                    + "'gke-inference ' && COMP_POINT=14 && _complete_gke-inference"
                    + " && printf '%s\\n' \"${COMPREPLY[@]}\"",
                "bash",
                script.toString())
            .redirectErrorStream(true)
            .start();
    String completions = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(bash.waitFor()).as(completions).isZero();
    assertThat(completions.lines()).contains("render", "plan", "validate", "version");
  }

  @Test
  void completionZsh_loadsBashCompatibilityFirst() {
    assertThat(run("completion", "zsh")).isZero();

    assertThat(out.toString())
        .startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit")
        .contains("complete -F _complete_gke-inference");
  }
}
