package io.github.gkeinference.core;

import org.jspecify.annotations.Nullable;

/**
 * The unchecked root of every exception the SDK throws.
 *
 * <p>Configuration problems are {@link
 * io.github.gkeinference.core.validate.SdkValidationException}; cloud and Kubernetes failures are
 * subclasses that name the resource and operation they concern and keep the original exception as
 * their cause.
 */
public class SdkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, in words
   */
  public SdkException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause it wraps.
   *
   * @param message what went wrong, in words
   * @param cause the original exception
   */
  public SdkException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
