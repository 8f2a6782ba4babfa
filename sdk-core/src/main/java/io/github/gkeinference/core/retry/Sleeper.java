package io.github.gkeinference.core.retry;

import java.time.Duration;

/**
 * Waits for a while. Production code uses {@link #system()}; tests pass a sleeper that advances a
 * fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}.
   *
   * @param duration how long
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;

  /** Returns the sleeper that really sleeps ({@link Thread#sleep(long)}). */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
