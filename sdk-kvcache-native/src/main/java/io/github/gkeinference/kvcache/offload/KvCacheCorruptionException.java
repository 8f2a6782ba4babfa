package io.github.gkeinference.kvcache.offload;

/** A block read back from the offload tier did not match the checksum taken when it was stored. */
public final class KvCacheCorruptionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the block and the offload slot
   */
  public KvCacheCorruptionException(String message) {
    super(message);
  }
}
