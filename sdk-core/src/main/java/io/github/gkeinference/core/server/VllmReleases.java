package io.github.gkeinference.core.server;

import io.github.gkeinference.core.validate.Violations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The vLLM release table: the releases the SDK knows and, for any release, what it accepts,
 * defaults to and exports ({@link VllmRelease}). The facts are data, in the bundled {@code
 * vllm-releases.yaml} beside this class, each with its upstream source (repository path at a tag, a
 * release's documentation, a pull request).
 *
 * <pre>{@code
 * VllmRelease r = VllmReleases.release(VllmVersion.parse("0.21.0"));
 * r.gpuMemoryUtilization();                  // 0.92
 * r.metric("KV_CACHE_USAGE");                // vllm:kv_cache_usage_perc
 * r.unsupported("--logging-config.formatter=json"); // present: v0.21 predates the checked docs
 * }</pre>
 */
public final class VllmReleases {
  /** The bundled table, next to this class. */
  static final String RESOURCE = "vllm-releases.yaml";

  private static final Table TABLE = load();

  private VllmReleases() {}

  /** Returns the releases the table lists, oldest first. */
  public static List<VllmRelease> releases() {
    List<VllmRelease> out = new ArrayList<>();
    for (Listed l : TABLE.releases) {
      out.add(TABLE.at(l.version));
    }
    return Collections.unmodifiableList(out);
  }

  /** Returns the release of the SDK's default GPU image ({@link VllmVersion#PINNED}). */
  public static VllmRelease defaultRelease() {
    return TABLE.releases.stream()
        .filter(l -> l.isDefault)
        .map(l -> TABLE.at(l.version))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Returns the facts at any release, listed or not: a fact holds from its {@code since} up to its
   * {@code until}.
   *
   * @param version the release
   * @return its facts
   */
  public static VllmRelease release(VllmVersion version) {
    return TABLE.at(version);
  }

  /**
   * Returns the facts of the release an image's tag names.
   *
   * @param image an image reference such as {@code vllm/vllm-openai:v0.11.2}
   * @return the release, or empty when the tag names none ({@code latest}, a digest only)
   */
  public static Optional<VllmRelease> forImage(String image) {
    return VllmVersion.fromImage(image).map(TABLE::at);
  }

  /**
   * Returns the facts of the release a spec's version attribute names ({@code 0.12.0}, {@code
   * v0.11.2}), or of {@link #defaultRelease()} when it is empty.
   *
   * @param version the attribute's value
   * @return the release
   */
  public static VllmRelease named(Optional<String> version) {
    return version.flatMap(VllmVersion::fromImage).map(TABLE::at).orElse(defaultRelease());
  }

  /**
   * Reports a spec's version attribute that names no release, at {@code field}.
   *
   * @param v where to report
   * @param field the attribute's path, for example {@code vllmVersion}
   * @param version the attribute's value
   */
  public static void check(Violations v, String field, Optional<String> version) {
    version.ifPresent(
        ver ->
            v.require(
                VllmVersion.fromImage(ver).isPresent(),
                field,
                ver,
                "must be a vLLM release such as " + VllmVersion.PINNED));
  }

  /**
   * Returns whether the table lists the flag an argument sets, in any release: a flag it does not
   * list passes {@link VllmRelease#unsupported(String)} unchecked, so every flag the SDK renders
   * must be listed.
   *
   * @param arg a command-line argument such as {@code --max-loras=4} or {@code -tp}
   * @return false for a flag the table does not know, and for an argument that is not a flag
   */
  public static boolean listsFlag(String arg) {
    return VllmRelease.flagOf(arg)
        .map(flag -> TABLE.flags.stream().anyMatch(f -> f.names(flag)))
        .orElse(false);
  }

  /** Returns the smallest {@code gpu_memory_utilization} default of any release. */
  static double smallestGpuMemoryUtilization() {
    return TABLE.gpuMemory.stream().mapToDouble(f -> f.value).min().orElseThrow();
  }

  /** One fact and the releases it holds in. */
  record Fact(
      String name,
      List<String> aliases,
      @Nullable String signal,
      double value,
      @Nullable VllmVersion since,
      @Nullable VllmVersion until,
      String source) {
    boolean holdsAt(VllmVersion v) {
      return (since == null || v.compareTo(since) >= 0)
          && (until == null || v.compareTo(until) < 0);
    }

    boolean names(String flag) {
      return name.equals(flag) || aliases.contains(flag);
    }

    /** Returns the releases it holds in, as a phrase: "from 0.32.0 on", "before 0.12.0". */
    String range() {
      if (since != null && until != null) {
        return "from " + since + " up to " + until;
      }
      if (since != null) {
        return "from " + since + " on";
      }
      return until != null ? "before " + until : "in every release";
    }
  }

  record Listed(VllmVersion version, List<String> images, boolean isDefault, String source) {}

  record Table(
      List<Listed> releases,
      List<Fact> gpuMemory,
      List<Fact> flags,
      List<Fact> metrics,
      List<Fact> environment) {
    VllmRelease at(VllmVersion v) {
      Listed listed = releases.stream().filter(l -> l.version.equals(v)).findFirst().orElse(null);
      Fact memory = gpuMemory.stream().filter(f -> f.holdsAt(v)).findFirst().orElseThrow();
      return new VllmRelease(v, listed, memory, flags, metrics, environment);
    }
  }

  private static Table load() {
    try (InputStream in = VllmReleases.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return parse(YAMLMapper.builder().build().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static Table parse(JsonNode root) {
    List<Listed> releases = new ArrayList<>();
    for (JsonNode r : root.path("releases")) {
      List<String> images = new ArrayList<>();
      r.path("images").forEach(i -> images.add(i.asString()));
      releases.add(
          new Listed(
              VllmVersion.parse(r.path("version").asString()),
              List.copyOf(images),
              r.path("default").asBoolean(false),
              r.path("source").asString()));
    }
    return new Table(
        List.copyOf(releases),
        facts(root.path("gpuMemoryUtilization")),
        facts(root.path("flags")),
        facts(root.path("metrics")),
        facts(root.path("environment")));
  }

  private static List<Fact> facts(JsonNode list) {
    List<Fact> out = new ArrayList<>();
    for (JsonNode f : list) {
      List<String> aliases = new ArrayList<>();
      f.path("aliases").forEach(a -> aliases.add(a.asString()));
      String source = f.path("source").asString("");
      if (source.isBlank()) {
        throw new IllegalStateException(RESOURCE + ": a fact has no source: " + f);
      }
      out.add(
          new Fact(
              f.path("name").asString(""),
              List.copyOf(aliases),
              f.hasNonNull("signal") ? f.get("signal").asString() : null,
              f.path("value").asDouble(Double.NaN),
              version(f, "since"),
              version(f, "until"),
              Objects.requireNonNull(source)));
    }
    return List.copyOf(out);
  }

  private static @Nullable VllmVersion version(JsonNode fact, String field) {
    return fact.hasNonNull(field) ? VllmVersion.parse(fact.get(field).asString()) : null;
  }
}
