package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.core.validate.Violations;
import java.util.random.RandomGenerator;

/**
 * Token counts of requests, uniform between a minimum and a maximum (equal for a fixed count). The
 * simulator draws one value per second for all requests arriving in that second.
 *
 * @param min the fewest tokens, at least 1
 * @param max the most tokens, at least {@code min}
 */
public record TokenDistribution(int min, int max) {
  /** Validates the components. */
  public TokenDistribution {
    Violations v = Violations.root("tokens");
    v.require(min >= 1, "min", min, "must be at least 1");
    v.require(max >= min, "max", max, "must be at least min (" + min + ")");
    v.throwIfErrors();
  }

  /**
   * Returns a fixed token count.
   *
   * @param tokens the count
   * @return the distribution
   */
  public static TokenDistribution fixed(int tokens) {
    return new TokenDistribution(tokens, tokens);
  }

  /**
   * Returns a uniform distribution.
   *
   * @param min the fewest tokens
   * @param max the most tokens
   * @return the distribution
   */
  public static TokenDistribution uniform(int min, int max) {
    return new TokenDistribution(min, max);
  }

  /** Returns the mean token count. */
  public double mean() {
    return (min + (double) max) / 2;
  }

  int sample(RandomGenerator random) {
    return min == max ? min : min + random.nextInt(max - min + 1);
  }
}
