package io.github.gkeinference.samples;

import java.util.Optional;

/**
 * Options a sample takes from the command line; each sample documents its defaults.
 *
 * @param model a Hugging Face model id, or empty for the sample's default
 * @param accelerator an accelerator label, or empty for the sample's default
 */
public record SampleOptions(Optional<String> model, Optional<String> accelerator) {
  /** Returns options that keep every sample default. */
  public static SampleOptions defaults() {
    return new SampleOptions(Optional.empty(), Optional.empty());
  }
}
