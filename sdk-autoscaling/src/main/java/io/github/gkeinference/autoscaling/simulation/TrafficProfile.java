package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;

/**
 * Requests per second over time (piecewise linear between points, Poisson arrivals around it) and
 * the prompt and output token counts of those requests.
 *
 * <pre>{@code
 * TrafficProfile day = TrafficProfile.diurnal(2, 40, 86_400)
 *     .withPromptTokens(TokenDistribution.uniform(200, 1800))
 *     .withOutputTokens(TokenDistribution.uniform(50, 450));
 * }</pre>
 */
@Value.Immutable
@SdkStyle
public interface TrafficProfile {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this profile. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Returns a constant rate.
   *
   * @param requestsPerSecond the rate
   * @param durationSeconds how long
   * @return the profile
   */
  static TrafficProfile constant(double requestsPerSecond, long durationSeconds) {
    return builder()
        .durationSeconds(durationSeconds)
        .addPoints(RatePoint.of(0, requestsPerSecond))
        .build();
  }

  /**
   * Returns a step: {@code base} until {@code stepAt}, {@code peak} until {@code stepEnd}, then
   * {@code base} again.
   *
   * @param base the rate outside the step
   * @param peak the rate during the step
   * @param stepAt when the step starts, in seconds
   * @param stepEnd when the step ends, in seconds
   * @param durationSeconds how long the profile lasts
   * @return the profile
   */
  static TrafficProfile step(
      double base, double peak, long stepAt, long stepEnd, long durationSeconds) {
    return builder()
        .durationSeconds(durationSeconds)
        .addPoints(
            RatePoint.of(0, base),
            RatePoint.of(stepAt, base),
            RatePoint.of(stepAt, peak),
            RatePoint.of(stepEnd, peak),
            RatePoint.of(stepEnd, base))
        .build();
  }

  /**
   * Returns a day-shaped rate: a cosine from {@code min} at the start to {@code max} half-way and
   * back, with hourly points.
   *
   * @param min the lowest rate
   * @param max the highest rate
   * @param durationSeconds how long (one cycle)
   * @return the profile
   */
  static TrafficProfile diurnal(double min, double max, long durationSeconds) {
    List<RatePoint> points = new ArrayList<>();
    int steps = 24;
    for (int i = 0; i <= steps; i++) {
      double phase = 2 * Math.PI * i / steps;
      points.add(
          RatePoint.of(durationSeconds * i / steps, min + (max - min) * (1 - Math.cos(phase)) / 2));
    }
    return builder().durationSeconds(durationSeconds).points(points).build();
  }

  /** How long the profile lasts, in seconds. */
  long durationSeconds();

  /**
   * The rate points, in time order; the rate is linear between points, and constant before the
   * first and after the last. Two points at the same second make a step.
   */
  List<RatePoint> points();

  /** Prompt tokens per request; default 1024 (an assumed typical chat prompt). */
  @Value.Default
  default TokenDistribution promptTokens() {
    return TokenDistribution.fixed(1024);
  }

  /** Output tokens per request; default 256 (an assumed typical chat answer). */
  @Value.Default
  default TokenDistribution outputTokens() {
    return TokenDistribution.fixed(256);
  }

  /**
   * Returns this profile with other prompt tokens.
   *
   * @param tokens the distribution
   * @return the profile
   */
  default TrafficProfile withPromptTokens(TokenDistribution tokens) {
    return toBuilder().promptTokens(tokens).build();
  }

  /**
   * Returns this profile with other output tokens.
   *
   * @param tokens the distribution
   * @return the profile
   */
  default TrafficProfile withOutputTokens(TokenDistribution tokens) {
    return toBuilder().outputTokens(tokens).build();
  }

  /**
   * Checks the profile.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("traffic");
    v.require(durationSeconds() >= 1, "durationSeconds", durationSeconds(), "must be at least 1");
    v.require(!points().isEmpty(), "points", points(), "needs at least one point");
    for (int i = 1; i < points().size(); i++) {
      v.require(
          points().get(i).second() >= points().get(i - 1).second(),
          "points[" + i + "].second",
          points().get(i).second(),
          "must not be before the previous point");
    }
    v.throwIfErrors();
  }

  /** Returns the highest rate of the profile. */
  default double peakRate() {
    return points().stream().mapToDouble(RatePoint::requestsPerSecond).max().orElse(0);
  }

  /** Returns the lowest rate of the profile. */
  default double lowestRate() {
    return points().stream().mapToDouble(RatePoint::requestsPerSecond).min().orElse(0);
  }

  /** Returns the rate of every second of the profile. */
  default double[] ratePerSecond() {
    double[] rates = new double[Math.toIntExact(durationSeconds())];
    List<RatePoint> p = points();
    int next = 0;
    for (int t = 0; t < rates.length; t++) {
      while (next < p.size() && p.get(next).second() <= t) {
        next++;
      }
      if (next == 0) {
        rates[t] = p.get(0).requestsPerSecond();
      } else if (next == p.size()) {
        rates[t] = p.get(p.size() - 1).requestsPerSecond();
      } else {
        RatePoint a = p.get(next - 1);
        RatePoint b = p.get(next);
        double f = (double) (t - a.second()) / (b.second() - a.second());
        rates[t] = a.requestsPerSecond() + f * (b.requestsPerSecond() - a.requestsPerSecond());
      }
    }
    return rates;
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableTrafficProfile.Builder {}
}
