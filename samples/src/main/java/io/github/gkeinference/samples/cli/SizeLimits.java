package io.github.gkeinference.samples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Upper bounds on the sizes a command allocates memory for ({@code kvcache simulate}'s replicas,
 * block pools and trace, {@code bench}'s users, prompt and duration), checked before anything is
 * allocated, so that a runaway value fails at once with one line and exit 2 instead of exhausting
 * the heap. Every bound a command checks is collected, then reported together.
 */
final class SizeLimits {
  private final List<String> problems = new ArrayList<>();

  /**
   * Records a problem when {@code value} is more than {@code max}.
   *
   * @param what the option or derived size, for example {@code --replicas}
   * @param value the value given
   * @param max the largest accepted value
   * @param unit what the value counts, for the message
   * @return this
   */
  SizeLimits atMost(String what, long value, long max, String unit) {
    if (value > max) {
      problems.add(
          String.format(Locale.ROOT, "%s %,d is more than %,d %s", what, value, max, unit));
    }
    return this;
  }

  /**
   * Prints one line naming every size over its bound, if any.
   *
   * @param err standard error
   * @return true when a size was over its bound (the command then exits 2)
   */
  boolean reportTo(PrintWriter err) {
    if (problems.isEmpty()) {
      return false;
    }
    err.println(
        "error: too large: "
            + String.join("; ", problems)
            + " (bounds that keep the command's memory bounded; docs/cli.md)");
    return true;
  }
}
