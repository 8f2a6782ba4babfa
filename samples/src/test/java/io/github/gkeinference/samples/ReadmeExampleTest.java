package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeExampleTest {
  private static final Path SOURCE =
      Path.of("src/main/java/io/github/gkeinference/samples/ReadmeExample.java");
  private static final Path README = Path.of("../README.md");
  private static final Path CONSUMER =
      Path.of("../it/src/it/consumer/src/test/java/example/ReadmeExampleTest.java");

  private static List<String> between(List<String> lines, String start, String end) {
    int from = -1;
    int to = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(start)) {
        from = i + 1;
      } else if (lines.get(i).contains(end) && from >= 0) {
        to = i;
        break;
      }
    }
    assertThat(from).as("marker %s", start).isNotNegative();
    assertThat(to).as("marker %s", end).isGreaterThan(from);
    return lines.subList(from, to).stream().map(String::strip).toList();
  }

  /** The lines of ReadmeExample between its README markers. */
  private static List<String> exampleCode() throws IOException {
    return between(
        Files.readAllLines(SOURCE, StandardCharsets.UTF_8), "// README:start", "// README:end");
  }

  @Test
  void readme_showsExactlyTheCompiledExample() throws IOException {
    List<String> code = exampleCode();
    List<String> readme =
        between(
            Files.readAllLines(README, StandardCharsets.UTF_8),
            "<!-- example:start -->",
            "<!-- example:end -->");

    assertThat(readme).containsSubsequence(code);
  }

  @Test
  void consumerBuild_runsExactlyTheReadmeExample() throws IOException {
    List<String> code = exampleCode();
    List<String> consumer =
        between(
            Files.readAllLines(CONSUMER, StandardCharsets.UTF_8),
            "// README:start",
            "// README:end");

    assertThat(consumer).isEqualTo(code);
  }

  @Test
  void example_writesTheManifests(@TempDir Path tmp) throws IOException {
    ReadmeExample.main(new String[] {tmp.toString()});

    assertThat(tmp.resolve("kustomization.yaml")).exists();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(f -> f.endsWith("-serviceaccount-llama.yaml"))
          .anyMatch(f -> f.endsWith("-deployment-llama.yaml"))
          .anyMatch(f -> f.endsWith("-service-llama.yaml"))
          .anyMatch(f -> f.endsWith("-poddisruptionbudget-llama.yaml"));
    }
  }
}
