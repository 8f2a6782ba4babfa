package io.github.gkeinference.core.model;

import java.util.Objects;

/**
 * How one decoder layer attends: to the whole context, or to a bounded window of recent tokens.
 *
 * <p>The window decides which tokens the layer attends to: a {@link Kind#FULL full} layer every
 * token, a {@link Kind#SLIDING_WINDOW sliding-window} layer (Gemma 3, gpt-oss, Mistral) the last
 * {@code window}, a {@link Kind#CHUNKED_LOCAL chunked-local} layer (Llama 4) the tokens of its
 * chunk of {@code window} ({@link #cachedTokens}). What vLLM reserves per sequence is more ({@link
 * #budgetTokens}): a sliding-window layer keeps {@code window - 1 + max_num_batched_tokens} tokens
 * plus one block, and chunked-local layers are budgeted as full attention because vLLM disables its
 * hybrid KV cache manager for them unless {@code
 * VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=1}.
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
   * Returns how many tokens of a sequence of {@code contextLength} tokens this layer attends to
   * (and reads from the KV cache for the next token); see {@link #budgetTokens} for what vLLM
   * reserves.
   *
   * @param contextLength the sequence length in tokens; zero or more
   * @return {@code contextLength} for full layers, otherwise at most the window
   */
  public long cachedTokens(long contextLength) {
    return isFull() ? contextLength : Math.min(contextLength, window);
  }

  /**
   * Returns the tokens vLLM reserves in this layer for one sequence of {@code contextLength}
   * tokens, a whole number of blocks: full and chunked-local layers {@code ceil(contextLength /
   * blockSize)} blocks; sliding-window layers {@code ceil(min(window - 1 + maxNumBatchedTokens,
   * contextLength) / blockSize) + 1} blocks (vLLM v0.11 {@code vllm/v1/kv_cache_interface.py}:
   * {@code FullAttentionSpec} and {@code SlidingWindowSpec.max_memory_usage_bytes}; chunked-local
   * layers become {@code FullAttentionSpec} unless {@code
   * VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=1}, {@code vllm/envs.py}).
   *
   * @param contextLength the sequence length in tokens; zero or more
   * @param maxNumBatchedTokens vLLM's {@code --max-num-batched-tokens}; at least 1
   * @param blockSize the KV block size in tokens; at least 1
   * @return the reserved tokens, a multiple of {@code blockSize}
   */
  public long budgetTokens(long contextLength, int maxNumBatchedTokens, int blockSize) {
    if (contextLength < 0 || maxNumBatchedTokens < 1 || blockSize < 1) {
      throw new IllegalArgumentException(
          "need contextLength >= 0, maxNumBatchedTokens >= 1 and blockSize >= 1");
    }
    if (kind != Kind.SLIDING_WINDOW) {
      return ceilDiv(contextLength, blockSize) * blockSize;
    }
    long tokens = Math.min((long) window - 1 + maxNumBatchedTokens, contextLength);
    return (ceilDiv(tokens, blockSize) + 1) * blockSize;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Returns {@code full}, {@code sliding_window(512)} or {@code chunked_local(8192)}. */
  @Override
  public String toString() {
    return isFull() ? "full" : kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + window + ")";
  }
}
