package io.github.gkeinference.core.source;

import java.time.Duration;

/**
 * How long loading a model's weights should take: bytes divided by an assumed throughput, with the
 * assumption kept next to the number so that a start-up probe budget built on it can be explained.
 *
 * <p>This is an estimate, not a measurement; it covers moving the weights only (not container pull,
 * engine compilation or CUDA graph capture).
 *
 * @param bytes the bytes to load
 * @param bytesPerSecond the assumed throughput
 * @param assumption where the throughput comes from, in words
 */
public record StartupEstimate(long bytes, long bytesPerSecond, String assumption) {

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException when bytes is negative or the throughput not positive
   */
  public StartupEstimate {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be zero or more, was " + bytes);
    }
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive, was " + bytesPerSecond);
    }
    java.util.Objects.requireNonNull(assumption, "assumption");
  }

  /** Returns {@code bytes / bytesPerSecond}, rounded up to a whole second. */
  public Duration duration() {
    return Duration.ofSeconds(Math.floorDiv(bytes + bytesPerSecond - 1, bytesPerSecond));
  }

  /** Returns for example {@code 16.1 GB at 1.0 GB/s ≈ 17 s (assumption: ...)}. */
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%.1f GB at %.2f GB/s = %d s (assumption: %s)",
        bytes / 1e9,
        bytesPerSecond / 1e9,
        duration().getSeconds(),
        assumption);
  }
}
