package io.github.gkeinference.samples.cli;

import java.nio.file.Path;
import java.util.Optional;

/** The one place in the CLI that reads system properties and the environment. */
final class CliSettings {
  private CliSettings() {}

  /**
   * Returns the schema folder named by {@code -Dgkeinference.schemas.dir}, if one is; without it
   * the CLI validates against the schemas bundled with the SDK.
   */
  static Optional<Path> schemasDir() {
    String configured = System.getProperty("gkeinference.schemas.dir");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    return Optional.empty();
  }

  /** Returns whether standard output is a terminal, so that colour may be used. */
  static boolean colour() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal() && System.getenv("NO_COLOR") == null;
  }
}
