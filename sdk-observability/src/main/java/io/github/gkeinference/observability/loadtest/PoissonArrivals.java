package io.github.gkeinference.observability.loadtest;

import java.util.Random;

/**
 * Inter-arrival gaps of a Poisson process: exponentially distributed with mean {@code 1 / rate},
 * drawn from a seeded generator by inverse transform ({@code -ln(1 - U) / rate}).
 */
final class PoissonArrivals {
  private final Random random;
  private final double ratePerSecond;

  PoissonArrivals(long seed, double ratePerSecond) {
    this.random = new Random(seed);
    this.ratePerSecond = ratePerSecond;
  }

  /** Returns the gap to the next arrival in nanoseconds. */
  long nextGapNanos() {
    double u = random.nextDouble(); // in [0, 1), so 1 - u is in (0, 1]
    double seconds = -Math.log(1.0 - u) / ratePerSecond;
    return (long) (seconds * 1e9);
  }
}
