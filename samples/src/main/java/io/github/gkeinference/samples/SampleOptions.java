package io.github.gkeinference.samples;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Options a sample takes from the command line; each sample documents its defaults and which
 * options it uses.
 *
 * @param model a Hugging Face model id, or empty for the sample's default
 * @param accelerator an accelerator label, or empty for the sample's default
 * @param maxModelLen the served context (vLLM's max model len), or empty for the sample's
 * @param qps the requests per second to serve, or empty to size one replica
 * @param ttftMillis the time-to-first-token target in milliseconds, or empty for the default SLO
 * @param ntpotMillis the normalized time-per-output-token target in milliseconds, or empty
 */
public record SampleOptions(
    Optional<String> model,
    Optional<String> accelerator,
    OptionalInt maxModelLen,
    OptionalDouble qps,
    OptionalDouble ttftMillis,
    OptionalDouble ntpotMillis) {

  /**
   * Options with a model and an accelerator and every serving goal at the sample's default.
   *
   * @param model a Hugging Face model id, or empty for the sample's default
   * @param accelerator an accelerator label, or empty for the sample's default
   */
  public SampleOptions(Optional<String> model, Optional<String> accelerator) {
    this(
        model,
        accelerator,
        OptionalInt.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty());
  }

  /** Returns options that keep every sample default. */
  public static SampleOptions defaults() {
    return new SampleOptions(Optional.empty(), Optional.empty());
  }

  /** Returns whether any serving goal (max model len, QPS, TTFT, NTPOT) is given. */
  public boolean hasServingGoal() {
    return maxModelLen.isPresent()
        || qps.isPresent()
        || ttftMillis.isPresent()
        || ntpotMillis.isPresent();
  }
}
