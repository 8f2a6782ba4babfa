package io.github.gkeinference.samples.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A one-line progress display on standard error for commands that run longer than a second: the
 * line is rewritten in place ({@code \r}, erase to end of line) and cleared when the work ends. It
 * is off, printing nothing at all, unless standard output and error are a terminal and {@code
 * --quiet} is not given, so that redirected output ({@code -o json > plan.json}, pipes, tests)
 * never holds progress text. Progress never goes to standard output.
 */
final class Progress implements AutoCloseable {
  private final PrintWriter err;
  private final boolean on;
  private final long startNanos = System.nanoTime();
  private String status = "";
  private boolean shown;
  private ScheduledExecutorService ticker;

  private Progress(PrintWriter err, boolean on) {
    this.err = err;
    this.on = on;
  }

  /** Returns the progress display of a command: on only on a terminal without --quiet. */
  static Progress of(CommandSpec spec) {
    return new Progress(
        spec.commandLine().getErr(), CliSettings.terminal() && !GkeInferenceCli.quiet(spec));
  }

  /** Returns a display that prints nothing. */
  static Progress off(PrintWriter err) {
    return new Progress(err, false);
  }

  /** Returns whether the display prints anything. */
  boolean on() {
    return on;
  }

  /**
   * Shows a status, for example {@code simulating routing 2/3: least-kv-usage}; the elapsed time is
   * appended and kept current while {@link #ticking} runs.
   */
  synchronized void status(String text) {
    status = text;
    draw();
  }

  /**
   * Runs work while the status line's elapsed time ticks every half second (for one long call that
   * reports no steps of its own), then returns its result.
   */
  <T> T ticking(String text, Supplier<T> work) {
    status(text);
    if (on && ticker == null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "gke-inference-progress");
                t.setDaemon(true);
                return t;
              });
      ticker.scheduleAtFixedRate(this::tick, 500, 500, TimeUnit.MILLISECONDS);
    }
    try {
      return work.get();
    } finally {
      stopTicker();
    }
  }

  private synchronized void tick() {
    draw();
  }

  private void draw() {
    if (!on) {
      return;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    err.print(
        "\r"
            + status
            + String.format(Locale.ROOT, " (%d:%02d)", seconds / 60, seconds % 60)
            + ERASE);
    err.flush();
    shown = true;
  }

  private void stopTicker() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }

  /**
   * Prints a line of the command's own output ({@code apply}'s line per object) without mixing it
   * with the status line: the status is cleared first and drawn again below it.
   */
  synchronized void println(PrintWriter out, String line) {
    boolean was = shown;
    if (was) {
      err.print("\r" + ERASE);
      err.flush();
    }
    out.println(line);
    out.flush();
    if (was) {
      draw();
    }
  }

  /** Clears the line, so that what the command prints next starts on a clean line. */
  @Override
  public synchronized void close() {
    stopTicker();
    if (shown) {
      err.print("\r" + ERASE);
      err.flush();
      shown = false;
    }
  }

  /** ANSI: erase from the cursor to the end of the line. */
  private static final String ERASE = "\u001b[K";
}
