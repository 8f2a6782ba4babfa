package io.github.gkeinference.accelerators.nodepool;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Node-pool autoscaling over all zones ({@code total_min_node_count}, {@code
 * total_max_node_count}).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableAutoscaling.class)
public interface Autoscaling {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The fewest nodes over all zones; default 0 (scale to zero). */
  @Value.Default
  default int minNodes() {
    return 0;
  }

  /** The most nodes over all zones. */
  int maxNodes();

  /** How nodes spread over zones; empty leaves GKE's default. */
  Optional<LocationPolicy> locationPolicy();

  /**
   * Checks the bounds.
   *
   * @param v the collector at the autoscaling's path
   */
  default void check(Violations v) {
    v.require(minNodes() >= 0, "minNodes", minNodes(), "must be zero or more");
    v.require(maxNodes() >= 1, "maxNodes", maxNodes(), "must be at least 1");
    v.require(maxNodes() >= minNodes(), "maxNodes", maxNodes(), "must be at least minNodes");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableAutoscaling.Builder {}
}
