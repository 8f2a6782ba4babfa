package io.github.gkeinference.core.retry;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.time.Duration;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * How often and how long to retry a failed call: at most {@link #maxAttempts()} attempts and at
 * most {@link #maxElapsed()} in total, waiting {@link #initialBackoff()} after the first failure
 * and {@link #multiplier()} times longer after each next one, up to {@link #maxBackoff()}, with a
 * random part of {@link #jitter()} removed so that many clients do not retry in step.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(8).maxElapsed(Duration.ofMinutes(5)).build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableRetryPolicy.class)
public interface RetryPolicy {

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this policy. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Returns the default policy. */
  static RetryPolicy defaults() {
    return builder().build();
  }

  /** Returns a policy that makes one attempt and never retries. */
  static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /** Attempts in total, the first included; default 6. */
  @Value.Default
  default int maxAttempts() {
    return 6;
  }

  /** The wait after the first failure; default 500 ms. */
  @Value.Default
  default Duration initialBackoff() {
    return Duration.ofMillis(500);
  }

  /** The longest wait between two attempts; default 30 s. */
  @Value.Default
  default Duration maxBackoff() {
    return Duration.ofSeconds(30);
  }

  /** The factor between two consecutive waits; default 2. */
  @Value.Default
  default double multiplier() {
    return 2.0;
  }

  /**
   * The fraction of each wait that is random: a wait of {@code b} becomes a value between {@code b
   * * (1 - jitter)} and {@code b}; default 0.5 ("equal jitter").
   */
  @Value.Default
  default double jitter() {
    return 0.5;
  }

  /**
   * The longest time from the first attempt to the start of the last; default 2 minutes. A retry
   * whose wait would end after this is not made.
   */
  @Value.Default
  default Duration maxElapsed() {
    return Duration.ofMinutes(2);
  }

  /**
   * Returns the wait before attempt {@code attempt + 1} without jitter.
   *
   * @param attempt the attempt that just failed, from 1
   * @return the wait, at most {@link #maxBackoff()}
   */
  default Duration backoff(int attempt) {
    double millis = initialBackoff().toMillis() * Math.pow(multiplier(), attempt - 1.0);
    return Duration.ofMillis((long) Math.min(millis, maxBackoff().toMillis()));
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("retry");
    v.require(maxAttempts() >= 1, "maxAttempts", maxAttempts(), "must be at least 1");
    v.require(
        !initialBackoff().isNegative(), "initialBackoff", initialBackoff(), "must not be negative");
    v.require(
        maxBackoff().compareTo(initialBackoff()) >= 0,
        "maxBackoff",
        maxBackoff(),
        "must be at least initialBackoff");
    v.require(multiplier() >= 1.0, "multiplier", multiplier(), "must be at least 1");
    v.require(jitter() >= 0.0 && jitter() <= 1.0, "jitter", jitter(), "must be between 0 and 1");
    v.require(!maxElapsed().isNegative(), "maxElapsed", maxElapsed(), "must not be negative");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableRetryPolicy.Builder {}
}
