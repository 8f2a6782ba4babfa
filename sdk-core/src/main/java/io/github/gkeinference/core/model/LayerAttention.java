package io.github.gkeinference.core.model;

import java.util.Objects;

/**
 * How one decoder layer attends: to the whole context, or to a bounded window of recent tokens.
 *
 * <p>The window decides how much KV cache the layer keeps per sequence: a {@link Kind#FULL full}
 * layer keeps every token, a {@link Kind#SLIDING_WINDOW sliding-window} layer (Gemma 3, gpt-oss,
 * Mistral) keeps at most {@code window} tokens, and a {@link Kind#CHUNKED_LOCAL chunked-local}
 * layer (Llama 4) keeps at most one chunk of {@code window} tokens, which is what vLLM budgets for
 * it ({@code ChunkedLocalAttentionSpec}).
 *
 * @param kind the attention kind
 * @param window the window or chunk in tokens; 0 for {@link Kind#FULL}
 */
public record LayerAttention(Kind kind, int window) {
  private static final LayerAttention FULL = new LayerAttention(Kind.FULL, 0);

  /** The attention kinds. */
  public enum Kind {
    /** Attends to every earlier token. */
    FULL,
    /** Attends to the last {@code window} tokens. */
    SLIDING_WINDOW,
    /** Attends to the tokens of the same chunk of {@code window} tokens. */
    CHUNKED_LOCAL
  }

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException when a windowed kind has no positive window, or a full layer
   *     has one
   */
  public LayerAttention {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.FULL ? window != 0 : window < 1) {
      throw new IllegalArgumentException(
          kind == Kind.FULL
              ? "a full-attention layer has no window, was " + window
              : "the window of a " + kind + " layer must be at least 1 token, was " + window);
    }
  }

  /** Returns a full-attention layer. */
  public static LayerAttention full() {
    return FULL;
  }

  /**
   * Returns a sliding-window layer.
   *
   * @param window the window in tokens; at least 1
   * @return the layer
   */
  public static LayerAttention slidingWindow(int window) {
    return new LayerAttention(Kind.SLIDING_WINDOW, window);
  }

  /**
   * Returns a chunked-local layer.
   *
   * @param chunk the chunk in tokens; at least 1
   * @return the layer
   */
  public static LayerAttention chunkedLocal(int chunk) {
    return new LayerAttention(Kind.CHUNKED_LOCAL, chunk);
  }

  /** Returns whether this layer attends to the whole context. */
  public boolean isFull() {
    return kind == Kind.FULL;
  }

  /**
   * Returns how many tokens of a sequence of {@code contextLength} tokens this layer keeps in the
   * KV cache.
   *
   * @param contextLength the sequence length in tokens; zero or more
   * @return {@code contextLength} for full layers, otherwise at most the window
   */
  public long cachedTokens(long contextLength) {
    return isFull() ? contextLength : Math.min(contextLength, window);
  }

  /** Returns {@code full}, {@code sliding_window(512)} or {@code chunked_local(8192)}. */
  @Override
  public String toString() {
    return isFull() ? "full" : kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + window + ")";
  }
}
