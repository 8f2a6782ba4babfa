package io.github.gkeinference.accelerators.plan;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vLLM release, read from an image tag, for the defaults that changed between releases.
 *
 * <h2>{@code --gpu-memory-utilization}</h2>
 *
 * vLLM's {@code CacheConfig.gpu_memory_utilization} defaults to 0.9 up to the v0.11 releases the
 * SDK pins ({@code vllm/config/cache.py} at tag v0.11.2, https://github.com/vllm-project/vllm) and
 * to 0.92 from v0.21.0 on. The cut-off: vllm-project/vllm#38284 ("Enable CUDAGraph memory profiling
 * by default", merged for v0.21) turns on CUDA graph memory profiling and raises the default to
 * 0.92 in the same change; vLLM's own startup log since then reads "CUDA graph memory profiling is
 * enabled (default since v0.21.0)" with {@code --gpu-memory-utilization=0.9200}; {@code
 * vllm/config/cache.py} on main (commit 002f10e) reads {@code Field(default=0.92, gt=0, le=1)}. A
 * proposal to turn the profiling off again (vllm-project/vllm#45197) was closed without merging.
 * The planner sizes the KV cache with the default of the release it renders, so a plan never
 * promises memory the server does not take.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 */
public record VllmVersion(int major, int minor, int patch) implements Comparable<VllmVersion> {
  /**
   * The release of the SDK's default GPU image ({@code vllm/vllm-openai:v0.11.2}, the release the
   * GKE reference architecture pins).
   */
  public static final VllmVersion PINNED = new VllmVersion(0, 11, 2);

  /** The first release whose {@code --gpu-memory-utilization} default is 0.92. */
  public static final VllmVersion CUDA_GRAPH_PROFILING = new VllmVersion(0, 21, 0);

  /** {@code gpu_memory_utilization}'s default before {@link #CUDA_GRAPH_PROFILING}. */
  public static final double LEGACY_GPU_MEMORY_UTILIZATION = 0.90;

  /** {@code gpu_memory_utilization}'s default from {@link #CUDA_GRAPH_PROFILING} on. */
  public static final double GPU_MEMORY_UTILIZATION = 0.92;

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
   * Returns the {@code --gpu-memory-utilization} default of the release an image runs; {@link
   * #LEGACY_GPU_MEMORY_UTILIZATION} when the tag names no release (the smaller of the two, so a
   * plan never counts on memory the server may not take).
   *
   * @param image the image reference
   * @return the default share of device memory
   */
  public static double defaultGpuMemoryUtilization(String image) {
    return fromImage(image)
        .map(VllmVersion::defaultGpuMemoryUtilization)
        .orElse(LEGACY_GPU_MEMORY_UTILIZATION);
  }

  /**
   * Returns this release's default {@code --gpu-memory-utilization}: 0.90 before v0.21.0, then
   * 0.92.
   */
  public double defaultGpuMemoryUtilization() {
    return compareTo(CUDA_GRAPH_PROFILING) >= 0
        ? GPU_MEMORY_UTILIZATION
        : LEGACY_GPU_MEMORY_UTILIZATION;
  }

  @Override
  public int compareTo(VllmVersion other) {
    return ORDER.compare(this, other);
  }

  /** Returns {@code major.minor.patch}. */
  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
