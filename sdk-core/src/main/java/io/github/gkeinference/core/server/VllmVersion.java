package io.github.gkeinference.core.server;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vLLM release number, read from an image tag; the key of the release table ({@link
 * VllmReleases}), which says what each release accepts, defaults to and exports.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 */
public record VllmVersion(int major, int minor, int patch) implements Comparable<VllmVersion> {
  /**
   * The release of the SDK's default GPU image ({@code vllm/vllm-openai:v0.11.2}, the release the
   * GKE reference architecture pins); the table's {@link VllmReleases#defaultRelease()}.
   */
  public static final VllmVersion PINNED = new VllmVersion(0, 11, 2);

  /**
   * The first release whose {@code --gpu-memory-utilization} default is 0.92
   * (vllm-project/vllm#38284; the value itself is in the release table).
   */
  public static final VllmVersion CUDA_GRAPH_PROFILING = new VllmVersion(0, 21, 0);

  private static final Pattern TAG = Pattern.compile("v?(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?");

  private static final Comparator<VllmVersion> ORDER =
      Comparator.comparingInt(VllmVersion::major)
          .thenComparingInt(VllmVersion::minor)
          .thenComparingInt(VllmVersion::patch);

  /** Checks that every part is zero or more. */
  public VllmVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version parts must be zero or more");
    }
  }

  /**
   * Reads the release from an image reference's tag: {@code vllm/vllm-openai:v0.11.2}, {@code
   * vllm/vllm-tpu:v0.11.1@sha256:...}, or a bare tag such as {@code 0.21.0}. A tag may carry a
   * suffix ({@code v0.11.2-cu129}).
   *
   * @param image the image reference or tag
   * @return the release, or empty when the tag names none ({@code latest}, {@code nightly})
   */
  public static Optional<VllmVersion> fromImage(String image) {
    String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    String name = ref.substring(ref.lastIndexOf('/') + 1);
    String tag = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
    Matcher m = TAG.matcher(tag);
    if (!m.lookingAt() || (m.end() < tag.length() && Character.isDigit(tag.charAt(m.end())))) {
      return Optional.empty();
    }
    return Optional.of(
        new VllmVersion(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
  }

  /**
   * Returns the {@code --gpu-memory-utilization} default of the release an image runs; when the tag
   * names no release ({@code latest}), the smallest default of any release in the table, so a plan
   * never counts on memory the server may not take.
   *
   * @param image the image reference
   * @return the default share of device memory
   */
  public static double defaultGpuMemoryUtilization(String image) {
    return fromImage(image)
        .map(VllmVersion::defaultGpuMemoryUtilization)
        .orElse(VllmReleases.smallestGpuMemoryUtilization());
  }

  /**
   * Returns this release's default {@code --gpu-memory-utilization}, from the release table (0.90
   * before v0.21.0, then 0.92).
   */
  public double defaultGpuMemoryUtilization() {
    return VllmReleases.release(this).gpuMemoryUtilization();
  }

  /**
   * Reads a version such as {@code 0.11.2} or {@code v0.11.2}.
   *
   * @param text the version
   * @return the version
   * @throws IllegalArgumentException when the text is not {@code major.minor[.patch]}
   */
  public static VllmVersion parse(String text) {
    Matcher m = TAG.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a vLLM version: " + text);
    }
    return new VllmVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  @Override
  public int compareTo(VllmVersion other) {
    return ORDER.compare(this, other);
  }

  // equals and hashCode are written out: a record's generated ones link through method handles on
  // their first call, about 5 ms of a one-shot CLI render (docs/benchmarks.md, "CLI start-up").

  @Override
  public boolean equals(Object o) {
    return o instanceof VllmVersion v && major == v.major && minor == v.minor && patch == v.patch;
  }

  @Override
  public int hashCode() {
    return (major * 31 + minor) * 31 + patch;
  }

  /** Returns {@code major.minor.patch}. */
  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
