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

  /** The system property that overrides {@link #DEFAULT_MAX_INPUT_BYTES}. */
  static final String MAX_INPUT_BYTES = "gkeinference.maxInputBytes";

  /**
   * The default size limit of one input file (a spec file, a manifest, a kubeconfig): 16 MiB, far
   * above any real one, checked before the file is read so that a runaway input stops at once.
   */
  static final long DEFAULT_MAX_INPUT_BYTES = 16L << 20;

  /**
   * Returns the size limit of one input file: {@code -Dgkeinference.maxInputBytes=N} or {@link
   * #DEFAULT_MAX_INPUT_BYTES}; a value that is not a positive number is ignored.
   */
  static long maxInputBytes() {
    String configured = System.getProperty(MAX_INPUT_BYTES);
    if (configured != null) {
      try {
        long n = Long.parseLong(configured.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the default
      }
    }
    return DEFAULT_MAX_INPUT_BYTES;
  }

  /** Returns whether the CLI runs on a terminal (not redirected to a file or a pipe). */
  static boolean terminal() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  /**
   * Returns whether {@code --color auto} means colour: on a terminal, unless the {@code NO_COLOR}
   * environment variable is set (https://no-color.org/).
   */
  static boolean colour() {
    return terminal() && System.getenv("NO_COLOR") == null;
  }
}
