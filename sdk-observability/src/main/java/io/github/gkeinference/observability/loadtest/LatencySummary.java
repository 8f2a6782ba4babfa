package io.github.gkeinference.observability.loadtest;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency, in milliseconds.
 *
 * @param count the number of samples
 * @param meanMs the mean
 * @param p50Ms the median
 * @param p90Ms the 90th percentile
 * @param p99Ms the 99th percentile
 * @param maxMs the largest sample
 */
public record LatencySummary(
    long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

  /** Summarises a histogram recorded in microseconds. */
  static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        micros.getTotalCount(),
        micros.getMean() / 1000.0,
        micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(90) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0,
        micros.getMaxValue() / 1000.0);
  }
}
