package io.github.gkeinference.kvcache.sim;

import java.util.Arrays;

/**
 * One request of a trace.
 *
 * @param arrivalMillis arrival time in milliseconds from the start of the trace
 * @param promptTokens prompt token ids (copied; not modified by the simulator)
 * @param outputTokens number of tokens to generate, at least 1
 * @param prefixGroup shared-prefix group (e.g. the system prompt), or -1
 * @param conversation multi-turn conversation id, or -1 for a single-turn request
 */
public record TraceRequest(
    long arrivalMillis, int[] promptTokens, int outputTokens, int prefixGroup, int conversation) {

  /** Checks the values and copies the prompt. */
  public TraceRequest {
    if (arrivalMillis < 0 || promptTokens.length == 0 || outputTokens < 1) {
      throw new IllegalArgumentException(
          "arrivalMillis "
              + arrivalMillis
              + " must be >= 0, promptTokens non-empty, outputTokens "
              + outputTokens
              + " >= 1");
    }
    promptTokens = promptTokens.clone();
  }

  /**
   * Prompt token ids (a copy).
   *
   * @return tokens
   */
  @Override
  public int[] promptTokens() {
    return promptTokens.clone();
  }

  /**
   * Prompt length.
   *
   * @return tokens
   */
  public int promptLength() {
    return promptTokens.length;
  }

  int[] tokensUnsafe() {
    return promptTokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceRequest r
        && r.arrivalMillis == arrivalMillis
        && Arrays.equals(r.promptTokens, promptTokens)
        && r.outputTokens == outputTokens
        && r.prefixGroup == prefixGroup
        && r.conversation == conversation;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(arrivalMillis) * 31 + Arrays.hashCode(promptTokens);
  }

  @Override
  public String toString() {
    return "TraceRequest[t="
        + arrivalMillis
        + "ms, prompt="
        + promptTokens.length
        + ", output="
        + outputTokens
        + ", group="
        + prefixGroup
        + ", conversation="
        + conversation
        + "]";
  }
}
