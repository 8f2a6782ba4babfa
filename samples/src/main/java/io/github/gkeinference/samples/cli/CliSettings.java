package io.github.gkeinference.samples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The one place in the CLI that reads system properties and the environment. */
final class CliSettings {
  private CliSettings() {}

  /**
   * Returns the default schema folder: {@code -Dgkeinference.schemas.dir}, else {@code
   * ../shared/schemas} next to the repository the {@code gke-inference} script runs from.
   */
  static Optional<Path> schemasDir() {
    String configured = System.getProperty("gkeinference.schemas.dir");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    String home = System.getProperty("gkeinference.home");
    if (home != null && !home.isBlank()) {
      Path candidate = Path.of(home).resolve("../shared/schemas").normalize();
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Returns whether standard output is a terminal, so that colour may be used. */
  static boolean colour() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal() && System.getenv("NO_COLOR") == null;
  }
}
