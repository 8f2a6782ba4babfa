package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI loads on start (issue 20 item 1): runs a command in a fresh JVM with the class-load
 * log on and checks which classes it loaded, a fact of the code path and not a timing. A command
 * builds only itself under the root (no other command, no Google client it does not call), and the
 * JSON machinery is built only by the commands that print or read JSON.
 */
class StartupClassLoadingTest {
  /** Packages of the Google Cloud clients and their transport (the cluster and plan commands'). */
  private static final List<String> GOOGLE_CLIENTS =
      List.of(
          "io.grpc.",
          "io.netty.",
          "com.google.cloud.",
          "com.google.api.gax.",
          "com.google.auth.",
          "com.google.container.",
          "com.google.monitoring.");

  /**
   * Packages that only other commands' options and results name (autoscale recommend, kvcache
   * simulate, bench, cluster) and plan's nested types: picocli loads them when it builds those
   * commands. The command classes themselves (and the subcommands their annotations name) are
   * loaded in any case, as the root's list of subcommands names them, but not built.
   */
  private static final List<String> OTHER_COMMANDS =
      List.of(
          "io.github.gkeinference.autoscaling.simulation.",
          "io.github.gkeinference.kvcache.sim.",
          "io.github.gkeinference.observability.loadtest.",
          "io.github.gkeinference.core.cluster.",
          PlanCommand.class.getName() + "$");

  @Test
  void version_loadsNeitherJacksonNorFabric8NorThePlannerNorOtherCommands(@TempDir Path tmp)
      throws Exception {
    List<String> loaded = loadedClasses(tmp, "version");

    assertThat(loaded).contains(VersionCommand.class.getName());
    assertThat(loaded)
        .noneMatch(c -> c.startsWith("tools.jackson.databind."))
        .noneMatch(c -> c.startsWith("io.fabric8."))
        .noneMatch(c -> c.startsWith("io.github.gkeinference.accelerators."))
        .noneMatch(c -> GOOGLE_CLIENTS.stream().anyMatch(c::startsWith))
        .noneMatch(c -> OTHER_COMMANDS.stream().anyMatch(c::startsWith))
        .noneMatch(c -> c.startsWith(RenderCommand.class.getName() + "$"));
  }

  @Test
  void render_loadsNoGoogleClientAndNoOtherCommand(@TempDir Path tmp) throws Exception {
    List<String> loaded =
        loadedClasses(tmp, "render", "online-inference-gpu", "--out", tmp.resolve("m").toString());

    assertThat(loaded).contains(RenderCommand.class.getName());
    assertThat(tmp.resolve("m/kustomization.yaml")).exists();
    assertThat(loaded)
        .noneMatch(c -> GOOGLE_CLIENTS.stream().anyMatch(c::startsWith))
        .noneMatch(c -> c.startsWith("org.junit."))
        .noneMatch(c -> OTHER_COMMANDS.stream().anyMatch(c::startsWith));
    // No logger backend detected, a search of every jar of the class path that opens all of them:
    // neither System.exit's logging of the exit nor protobuf's java.util.logging ran
    assertThat(loaded).doesNotContain("jdk.internal.logger.BootstrapLogger$DetectBackend");
  }

  @Test
  void help_stillListsEveryCommand(@TempDir Path tmp) throws Exception {
    // the whole tree is built when no command is named: help lists them all
    List<String> loaded = loadedClasses(tmp, "--help");

    assertThat(OTHER_COMMANDS)
        .allMatch(prefix -> loaded.stream().anyMatch(c -> c.startsWith(prefix)), "loaded");
  }

  /** Runs the CLI in a new JVM on this test's class path and returns the classes it loaded. */
  private static List<String> loadedClasses(Path tmp, String... args)
      throws IOException, InterruptedException {
    Path log = tmp.resolve("classes.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xlog:class+load=info:file=" + log);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(GkeInferenceCli.class.getName());
    command.addAll(List.of(args));
    Process java =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("output.txt").toFile())
            .start();
    assertThat(java.waitFor(5, TimeUnit.MINUTES)).as("the CLI finished").isTrue();
    assertThat(java.exitValue())
        .as(Files.readString(tmp.resolve("output.txt"), StandardCharsets.UTF_8))
        .isZero();
    // lines like "[0.123s][info][class,load] java.lang.Object source: shared objects file"
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .map(line -> line.substring(line.indexOf("] ", line.lastIndexOf("[class,load]")) + 2))
        .map(rest -> rest.split(" ", 2)[0])
        .toList();
  }
}
