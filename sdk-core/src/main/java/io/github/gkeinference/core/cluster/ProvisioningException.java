package io.github.gkeinference.core.cluster;

import io.github.gkeinference.core.SdkException;
import org.jspecify.annotations.Nullable;

/**
 * A GKE API call or long-running operation failed, timed out or was cancelled; the message names
 * the cluster and, when one was started, the operation.
 */
public final class ProvisioningException extends SdkException {
  private static final long serialVersionUID = 1L;

  private final String cluster;
  private final @Nullable String operationId;

  /**
   * Creates the exception.
   *
   * @param cluster the cluster's resource name
   * @param operationId the operation's id, or {@code null} when the call failed before one started
   * @param message what went wrong
   * @param cause the original exception, or {@code null}
   */
  public ProvisioningException(
      String cluster, @Nullable String operationId, String message, @Nullable Throwable cause) {
    super(
        message
            + " [cluster "
            + cluster
            + (operationId == null ? "" : ", operation " + operationId)
            + "]",
        cause);
    this.cluster = cluster;
    this.operationId = operationId;
  }

  /** Returns the cluster's resource name. */
  public String cluster() {
    return cluster;
  }

  /** Returns the operation's id, or {@code null} when no operation was started. */
  public @Nullable String operationId() {
    return operationId;
  }
}
