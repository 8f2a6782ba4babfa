package io.github.gkeinference.core.server;

import io.github.gkeinference.core.server.VllmReleases.Fact;
import io.github.gkeinference.core.server.VllmReleases.Listed;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one vLLM release accepts, defaults to and exports, read from the release table ({@link
 * VllmReleases}): its default {@code --gpu-memory-utilization}, the flags the table knows and
 * whether this release has them, the Prometheus metric of each signal and the logging and tracing
 * environment variables.
 *
 * <p>A flag the table does not know is neither accepted nor rejected by it: {@link
 * #unsupported(String)} returns empty, because the table lists the flags the SDK renders and the
 * ones that changed, not every flag vLLM has.
 */
public final class VllmRelease {
  private final VllmVersion version;
  private final @Nullable Listed listed;
  private final Fact memory;
  private final List<Fact> flags;
  private final List<Fact> metrics;
  private final List<Fact> environment;

  VllmRelease(
      VllmVersion version,
      @Nullable Listed listed,
      Fact memory,
      List<Fact> flags,
      List<Fact> metrics,
      List<Fact> environment) {
    this.version = version;
    this.listed = listed;
    this.memory = memory;
    this.flags = flags;
    this.metrics = metrics;
    this.environment = environment;
  }

  /** Returns the release number. */
  public VllmVersion version() {
    return version;
  }

  /** Returns whether the table lists this release (and its images) by name. */
  public boolean listed() {
    return listed != null;
  }

  /** Returns the images the table lists for this release; empty when it is not listed. */
  public List<String> images() {
    return listed == null ? List.of() : listed.images();
  }

  /** Returns CacheConfig's {@code gpu_memory_utilization} default in this release. */
  public double gpuMemoryUtilization() {
    return memory.value();
  }

  /** Returns where {@link #gpuMemoryUtilization()} comes from. */
  public String gpuMemoryUtilizationSource() {
    return memory.source();
  }

  /**
   * Returns the flag an argument sets, in the form the table lists it: {@code --name} for {@code
   * --name=value}, {@code --name.field value} or {@code --name_with_underscores}; empty when the
   * argument is not a flag (a value, a positional argument).
   *
   * @param arg one command-line argument
   * @return the flag
   */
  public static Optional<String> flagOf(String arg) {
    if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--") || isNumber(arg)) {
      return Optional.empty();
    }
    String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    if (flag.startsWith("--")) {
      int dot = flag.indexOf('.');
      if (dot > 0) {
        flag = flag.substring(0, dot);
      }
      flag = "--" + flag.substring(2).replace('_', '-');
    }
    return Optional.of(flag.toLowerCase(Locale.ROOT));
  }

  private static boolean isNumber(String arg) {
    return arg.length() > 1 && (Character.isDigit(arg.charAt(1)) || arg.charAt(1) == '.');
  }

  /**
   * Returns why this release does not accept an argument's flag, or empty when it does or when the
   * table does not know the flag.
   *
   * @param arg one command-line argument, such as {@code --logging-config.formatter=json}
   * @return a sentence naming the release, the flag, the releases that have it and the source
   */
  public Optional<String> unsupported(String arg) {
    Optional<String> flag = flagOf(arg);
    if (flag.isEmpty()) {
      return Optional.empty();
    }
    List<Fact> known = flags.stream().filter(f -> f.names(flag.get())).toList();
    if (known.isEmpty() || known.stream().anyMatch(f -> f.holdsAt(version))) {
      return Optional.empty();
    }
    Fact f = known.get(0);
    return Optional.of(
        "vLLM "
            + version
            + " does not accept "
            + flag.get()
            + "; it exists "
            + f.range()
            + " ("
            + f.source()
            + ")");
  }

  /**
   * Returns whether this release accepts an argument's flag as far as the table knows.
   *
   * @param arg one command-line argument
   * @return false only when the table knows the flag and this release lacks it
   */
  public boolean accepts(String arg) {
    return unsupported(arg).isEmpty();
  }

  /**
   * Returns the Prometheus name of the metric that carries a signal in this release.
   *
   * @param signal a signal name such as {@code KV_CACHE_USAGE} or {@code QUEUE_LENGTH}
   * @return the metric name, or empty when this release exports none for it
   */
  public Optional<String> metric(String signal) {
    return metrics.stream()
        .filter(f -> signal.equals(f.signal()) && f.holdsAt(version))
        .map(Fact::name)
        .findFirst();
  }

  /** Returns every metric name the table knows this release exports, in table order. */
  public Set<String> metrics() {
    Set<String> names = new LinkedHashSet<>();
    metrics.stream().filter(f -> f.holdsAt(version)).forEach(f -> names.add(f.name()));
    return names;
  }

  /**
   * Returns whether this release has a logging or tracing environment variable the table lists.
   *
   * @param name for example {@code VLLM_LOGGING_CONFIG_PATH}
   * @return whether the variable exists in this release
   */
  public boolean hasEnvironmentVariable(String name) {
    return environment.stream().anyMatch(f -> f.name().equals(name) && f.holdsAt(version));
  }

  /** Returns {@code vLLM <version>}. */
  @Override
  public String toString() {
    return "vLLM " + version;
  }
}
