package io.github.gkeinference.core.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when something sleeps on it; records every sleep. */
public final class FakeTime extends Clock implements Sleeper {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<Duration> sleeps = new ArrayList<>();
  private Runnable onSleep = () -> {};

  /** Runs {@code action} after each sleep (for example to change server state). */
  public FakeTime onSleep(Runnable action) {
    this.onSleep = action;
    return this;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
    onSleep.run();
  }

  /** Returns every sleep so far. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }
}
