package io.github.gkeinference.serving.vllm;

/**
 * How long a vLLM server needs before {@code /health} answers, estimated from the weight bytes and
 * how they are loaded; the startup probe's budget is derived from it.
 *
 * <p>The throughputs below are the SDK's conservative planning assumptions, not measurements: a
 * single-stream Hub download, a GCS FUSE read with parallel downloads, and the Run:ai streamer. The
 * fixed overhead covers process start, CUDA graph capture and compilation. Override the budget on
 * the server spec when a measured start-up is known.
 *
 * @param weightBytes the bytes of the weights
 * @param bytesPerSecond the assumed load throughput
 * @param overheadSeconds the assumed fixed overhead
 */
public record StartupEstimate(long weightBytes, long bytesPerSecond, int overheadSeconds) {
  private static final long MIB = 1L << 20;

  /** Assumed Hugging Face Hub download throughput: 100 MiB/s. */
  public static final long HUB_BYTES_PER_SECOND = 100 * MIB;

  /** Assumed GCS FUSE throughput with parallel downloads: 500 MiB/s. */
  public static final long FUSE_BYTES_PER_SECOND = 500 * MIB;

  /** Assumed Run:ai streamer throughput from {@code gs://}: 1 GiB/s. */
  public static final long STREAM_BYTES_PER_SECOND = 1024 * MIB;

  /** Assumed fixed overhead: 300 s. */
  public static final int OVERHEAD_SECONDS = 300;

  /** The budget is this many times the estimate, so a slow node does not restart the pod. */
  public static final int SAFETY_FACTOR = 2;

  /**
   * Returns the estimate for a source.
   *
   * @param source where the weights come from
   * @param weightBytes the bytes of the weights
   * @return the estimate
   */
  public static StartupEstimate of(ModelSource source, long weightBytes) {
    long rate;
    if (source instanceof ModelSource.GcsFuse) {
      rate = FUSE_BYTES_PER_SECOND;
    } else if (source instanceof ModelSource.GcsStream) {
      rate = STREAM_BYTES_PER_SECOND;
    } else {
      rate = HUB_BYTES_PER_SECOND;
    }
    return new StartupEstimate(weightBytes, rate, OVERHEAD_SECONDS);
  }

  /** Returns the estimated seconds until the server is healthy, rounded up. */
  public long seconds() {
    return (weightBytes + bytesPerSecond - 1) / bytesPerSecond + overheadSeconds;
  }

  /** Returns the startup probe's budget in seconds: {@link #SAFETY_FACTOR} times the estimate. */
  public long budgetSeconds() {
    return SAFETY_FACTOR * seconds();
  }
}
