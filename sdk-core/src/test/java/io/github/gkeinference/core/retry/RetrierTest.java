package io.github.gkeinference.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import io.github.gkeinference.core.SdkException;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {
  private final FakeTime time = new FakeTime();

  @Test
  void call_interruptedWhileWaiting_stopsAtOnceKeepsTheInterruptAndNamesTheCall() throws Exception {
    Sleeper sleeper = mock(Sleeper.class);
    doThrow(new InterruptedException()).when(sleeper).sleep(any());
    Retrier retrier = Retrier.of(RetryPolicy.builder().maxAttempts(5).build(), time, sleeper);
    AtomicInteger attempts = new AtomicInteger();

    try {
      assertThatThrownBy(
              () ->
                  retrier.call(
                      "get cluster",
                      () -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("unavailable");
                      },
                      e -> Retrier.Decision.retry()))
          .isInstanceOf(SdkException.class)
          .hasMessage("interrupted while waiting: get cluster")
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted(); // clear the flag for the next test
    }
    assertThat(attempts).hasValue(1);
    verify(sleeper, times(1)).sleep(any());
    verifyNoMoreInteractions(sleeper);
  }

  @Test
  void call_failingTwice_succeedsOnThirdAttemptWithGrowingJitteredWaits() {
    RetryPolicy policy =
        RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).jitter(0.5).build();
    Retrier retrier = Retrier.of(policy, time, time).withRandom(new Random(7));
    AtomicInteger attempts = new AtomicInteger();

    String result =
        retrier.call(
            "flaky",
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("boom");
              }
              return "ok";
            },
            e -> Retrier.Decision.retry());

    assertThat(result).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
    // wait after attempt 1 lies in [100 * 0.5, 100] ms, after attempt 2 in [200 * 0.5, 200] ms
    assertThat(time.sleeps()).hasSize(2);
    assertThat(time.sleeps().get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(time.sleeps().get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void call_permanentFailure_throwsAtOnce() {
    Retrier retrier = Retrier.of(RetryPolicy.defaults(), time, time);
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retrier.call(
                    "bad",
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalArgumentException("no");
                    },
                    e -> Retrier.Decision.fail()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(attempts).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void call_alwaysFailing_stopsAtMaxAttempts() {
    Retrier retrier = Retrier.of(RetryPolicy.builder().maxAttempts(4).build(), time, time);
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retrier.call(
                    "down",
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException("down");
                    },
                    e -> Retrier.Decision.retry()))
        .hasMessage("down");
    assertThat(attempts).hasValue(4);
  }

  @Test
  void call_retryAfterBeyondMaxElapsed_givesUp() {
    Retrier retrier =
        Retrier.of(RetryPolicy.builder().maxElapsed(Duration.ofSeconds(10)).build(), time, time);
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retrier.call(
                    "throttled",
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException("429");
                    },
                    e -> Retrier.Decision.retryAfter(Duration.ofSeconds(11))))
        .hasMessage("429");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void poll_conditionNeverTrue_returnsEmptyAfterTimeout() {
    Retrier retrier = Retrier.of(RetryPolicy.defaults(), time, time);

    Optional<String> result =
        retrier.poll(
            "never", Duration.ofSeconds(30), Duration.ofSeconds(10), () -> false, Optional::empty);

    assertThat(result).isEmpty();
    // polls at 0 s, 10 s, 20 s and 30 s: three waits of 10 s
    assertThat(time.sleeps())
        .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
  }
}
