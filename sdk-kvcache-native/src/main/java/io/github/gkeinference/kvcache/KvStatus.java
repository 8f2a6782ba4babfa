package io.github.gkeinference.kvcache;

/**
 * Result codes of {@link KvCache} operations: 0 or a non-negative id means success, a negative
 * constant names the reason for a refusal. A refused operation leaves the cache unchanged.
 */
public final class KvStatus {

  /** Success. */
  public static final int OK = 0;

  /** Not enough free blocks; {@link KvCache#missingBlocks()} tells how many were missing. */
  public static final int NO_FREE_BLOCKS = -1;

  /** Every sequence slot is in use. */
  public static final int NO_SEQUENCE_SLOT = -2;

  /** The sequence would exceed the maximum number of tokens per sequence. */
  public static final int SEQUENCE_TOO_LONG = -3;

  /** The sequence id is not live (never added, freed, or swapped out for this operation). */
  public static final int UNKNOWN_SEQUENCE = -4;

  /** An argument is out of range (negative length, token index or layer out of range). */
  public static final int INVALID_ARGUMENT = -5;

  /** The offload tier has no room, or the cache has no offload tier. */
  public static final int OFFLOAD_UNAVAILABLE = -6;

  private KvStatus() {}

  /**
   * Name of a status code, for messages.
   *
   * @param status a code returned by {@link KvCache}
   * @return its name, or "OK(n)" for a non-negative result
   */
  public static String name(int status) {
    return switch (status) {
      case NO_FREE_BLOCKS -> "NO_FREE_BLOCKS";
      case NO_SEQUENCE_SLOT -> "NO_SEQUENCE_SLOT";
      case SEQUENCE_TOO_LONG -> "SEQUENCE_TOO_LONG";
      case UNKNOWN_SEQUENCE -> "UNKNOWN_SEQUENCE";
      case INVALID_ARGUMENT -> "INVALID_ARGUMENT";
      case OFFLOAD_UNAVAILABLE -> "OFFLOAD_UNAVAILABLE";
      default -> status >= 0 ? "OK(" + status + ")" : "UNKNOWN(" + status + ")";
    };
  }
}
