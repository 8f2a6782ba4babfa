package io.github.gkeinference.core.server;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one JetStream (MaxText engine) release accepts and exports, as far as the SDK renders it:
 * its images, the MaxText configuration keys its server takes as {@code key=value} arguments, and
 * the Prometheus metrics its server exports. One row of {@link JetStreamReleases}.
 *
 * @param version the JetStream release tag, for example {@code v0.2.2}
 * @param images the engine and HTTP server images of this release
 * @param args the MaxText keys ({@code MaxText/configs/base.yml}) this release's engine server is
 *     known to take
 * @param metrics the Prometheus metrics this release's server exports
 * @param source where these facts come from
 */
public record JetStreamRelease(
    String version, List<String> images, Set<String> args, Set<String> metrics, String source) {
  /** Copies the collections and checks the components. */
  public JetStreamRelease {
    Objects.requireNonNull(version, "version");
    images = List.copyOf(images);
    args = Set.copyOf(args);
    metrics = Set.copyOf(metrics);
    Objects.requireNonNull(source, "source");
  }

  /**
   * Returns the MaxText key a {@code key=value} argument sets.
   *
   * @param arg one argument, for example {@code max_target_length=2048}
   * @return the key, or empty when the argument is not {@code key=value}
   */
  public static Optional<String> keyOf(String arg) {
    int eq = arg.indexOf('=');
    return eq > 0 && !arg.startsWith("-") ? Optional.of(arg.substring(0, eq)) : Optional.empty();
  }

  /**
   * Returns why this release does not take an argument, or empty when it does (or when the argument
   * is not {@code key=value}).
   *
   * @param arg one argument, for example {@code prometheus_port=9100}
   * @return a sentence naming the release, the key and the source
   */
  public Optional<String> unsupported(String arg) {
    return keyOf(arg)
        .filter(k -> !args.contains(k))
        .map(
            k ->
                "JetStream "
                    + version
                    + " is not known to take "
                    + k
                    + "; the keys it takes are listed from "
                    + source);
  }

  /** Returns {@code JetStream <version>}. */
  @Override
  public String toString() {
    return "JetStream " + version;
  }
}
