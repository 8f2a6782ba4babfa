package io.github.gkeinference.core.retry;

import io.github.gkeinference.core.SdkException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls with bounded, jittered exponential backoff, and polls for a condition with a timeout;
 * time comes from an injected {@link Clock} and waiting goes through an injected {@link Sleeper}.
 *
 * <pre>{@code
 * Retrier retrier = Retrier.of(RetryPolicy.defaults(), Clock.systemUTC(), Sleeper.system());
 * Deployment live = retrier.call("get deployment", () -> client.apps()..get(), e -> Decision.retry());
 * }</pre>
 *
 * <p>Thread-safe when its clock and sleeper are.
 */
public final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random random;

  private Retrier(RetryPolicy policy, Clock clock, Sleeper sleeper, Random random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Creates a retrier.
   *
   * @param policy the retry policy
   * @param clock where time comes from
   * @param sleeper how to wait
   * @return the retrier
   */
  public static Retrier of(RetryPolicy policy, Clock clock, Sleeper sleeper) {
    return new Retrier(policy, clock, sleeper, new Random());
  }

  /**
   * Returns a copy of this retrier whose jitter comes from {@code random} (for repeatable tests).
   *
   * @param random the random source
   * @return the copy
   */
  public Retrier withRandom(Random random) {
    return new Retrier(policy, clock, sleeper, random);
  }

  /** Returns the policy. */
  public RetryPolicy policy() {
    return policy;
  }

  /** Returns the clock. */
  public Clock clock() {
    return clock;
  }

  /**
   * Runs {@code action} until it succeeds, {@code classify} says a failure is not worth retrying,
   * or the policy's attempts or time are used up; then the last failure is thrown as it is.
   *
   * @param what a short description for the log, for example {@code apply Deployment ml/web}
   * @param action the call
   * @param classify decides, for each failure, whether and when to retry
   * @param <T> the result type
   * @return the first successful result
   * @throws RuntimeException the last failure
   * @throws SdkException when the waiting thread is interrupted
   */
  public <T> T call(
      String what, Supplier<T> action, Function<RuntimeException, Decision> classify) {
    Instant start = clock.instant();
    Instant giveUpAfter = start.plus(policy.maxElapsed());
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (RuntimeException e) {
        Decision decision = classify.apply(e);
        if (!decision.shouldRetry() || attempt >= policy.maxAttempts()) {
          throw e;
        }
        Duration wait = decision.after() != null ? decision.after() : jittered(attempt);
        if (clock.instant().plus(wait).isAfter(giveUpAfter)) {
          throw e;
        }
        LOG.debug("{} failed (attempt {}), retrying in {}: {}", what, attempt, wait, e.toString());
        sleep(what, wait);
      }
    }
  }

  /**
   * Polls {@code poll} every {@code interval} until it returns a value, {@code timeout} has passed
   * or {@code cancelled} becomes true.
   *
   * @param what a short description for messages, for example {@code rollout of Deployment ml/web}
   * @param timeout how long to wait in total
   * @param interval the wait between two polls
   * @param cancelled checked before each wait; {@code true} stops polling
   * @param poll returns a value when the condition holds
   * @param <T> the value type
   * @return the value, or empty when the timeout passed or polling was cancelled
   * @throws SdkException when the waiting thread is interrupted
   */
  public <T> Optional<T> poll(
      String what,
      Duration timeout,
      Duration interval,
      BooleanSupplier cancelled,
      Supplier<Optional<T>> poll) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<T> value = poll.get();
      if (value.isPresent()) {
        return value;
      }
      if (cancelled.getAsBoolean() || !clock.instant().isBefore(deadline)) {
        return Optional.empty();
      }
      sleep(what, interval);
    }
  }

  /** Returns the jittered wait after a failed attempt. */
  Duration jittered(int attempt) {
    long base = policy.backoff(attempt).toMillis();
    double factor;
    synchronized (random) {
      factor = 1.0 - policy.jitter() * random.nextDouble();
    }
    return Duration.ofMillis(Math.round(base * factor));
  }

  private void sleep(String what, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SdkException("interrupted while waiting: " + what, e);
    }
  }

  /**
   * What to do after a failure.
   *
   * @param shouldRetry whether to try again
   * @param after how long to wait first, or {@code null} for the policy's backoff
   */
  public record Decision(boolean shouldRetry, @Nullable Duration after) {

    /** Do not retry: the failure is permanent. */
    public static Decision fail() {
      return new Decision(false, null);
    }

    /** Retry after the policy's jittered backoff. */
    public static Decision retry() {
      return new Decision(true, null);
    }

    /**
     * Retry after the wait the server asked for.
     *
     * @param after the wait, for example from a {@code Retry-After} header
     * @return the decision
     */
    public static Decision retryAfter(Duration after) {
      return new Decision(true, after);
    }
  }
}
