package io.github.gkeinference.accelerators.nodepool;

import java.util.Objects;

/**
 * A node taint of a node pool.
 *
 * @param key the taint key
 * @param value the taint value
 * @param effect {@code NO_SCHEDULE}, {@code PREFER_NO_SCHEDULE} or {@code NO_EXECUTE}
 */
public record NodeTaintSpec(
    String key, String value, com.google.container.v1.NodeTaint.Effect effect) {
  /** Validates the components. */
  public NodeTaintSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(effect, "effect");
  }

  /**
   * Returns a {@code NoSchedule} taint.
   *
   * @param key the key
   * @param value the value
   * @return the taint
   */
  public static NodeTaintSpec noSchedule(String key, String value) {
    return new NodeTaintSpec(key, value, com.google.container.v1.NodeTaint.Effect.NO_SCHEDULE);
  }
}
