package io.github.gkeinference.core.emit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one resource when a set was applied.
 *
 * @param kind the kind, for example {@code Deployment}
 * @param namespace the namespace, or {@code null} for cluster-scoped objects
 * @param name the name
 * @param path the API path, for example {@code /apis/apps/v1/namespaces/ml/deployments/web}
 * @param action what happened
 * @param reason why it failed (the status code and the server's message), or {@code null}
 * @param attempts how many times it was sent (0 when not attempted)
 * @param readiness whether it became ready, when readiness was checked
 */
public record ResourceResult(
    String kind,
    @Nullable String namespace,
    String name,
    String path,
    ApplyAction action,
    @Nullable String reason,
    int attempts,
    Readiness readiness) {

  /** Validates the components. */
  public ResourceResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(readiness, "readiness");
  }

  /** Returns whether the resource now holds the applied configuration. */
  public boolean applied() {
    return action == ApplyAction.CREATED
        || action == ApplyAction.CONFIGURED
        || action == ApplyAction.UNCHANGED;
  }

  ResourceResult withReadiness(Readiness r) {
    return new ResourceResult(kind, namespace, name, path, action, reason, attempts, r);
  }

  @Override
  public String toString() {
    return kind
        + " "
        + (namespace == null ? "" : namespace + "/")
        + name
        + ": "
        + action
        + (reason == null ? "" : " (" + reason + ")")
        + (readiness == Readiness.NOT_CHECKED ? "" : ", " + readiness);
  }

  /** Whether a workload became ready after it was applied. */
  public enum Readiness {
    /** Readiness was not checked (not asked for, or a kind without a readiness rule). */
    NOT_CHECKED,
    /** The workload reported ready within the timeout. */
    READY,
    /** The workload did not report ready within the timeout. */
    NOT_READY
  }
}
