package io.github.gkeinference.accelerators.catalog;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * How Pods share a GPU: MIG partitions, time-sharing or MPS
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/timesharing-gpus).
 *
 * <pre>{@code
 * GpuSharing.builder().partitionSize("1g.10gb").strategy(GpuSharing.Strategy.TIME_SHARING)
 *     .maxSharedClients(2).build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableGpuSharing.class)
public interface GpuSharing {
  /** The sharing strategy. */
  enum Strategy {
    /** Time-slicing: at most one {@code nvidia.com/gpu} per container. */
    TIME_SHARING,
    /** NVIDIA Multi-Process Service. */
    MPS
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** A MIG profile such as {@code 1g.10gb}; must be one the GPU supports. */
  Optional<String> partitionSize();

  /** Time-sharing or MPS. */
  Optional<Strategy> strategy();

  /** Clients per GPU for time-sharing or MPS; needs {@link #strategy()}. */
  OptionalInt maxSharedClients();

  /**
   * Checks this sharing against a GPU.
   *
   * @param v the collector, at the sharing's path
   * @param gpu the GPU
   */
  default void check(Violations v, AcceleratorType gpu) {
    partitionSize()
        .ifPresent(
            p ->
                v.require(
                    gpu.migProfile(p).isPresent(),
                    "partitionSize",
                    p,
                    gpu.migProfiles().isEmpty()
                        ? gpu.label() + " has no MIG profiles"
                        : "must be a MIG profile of "
                            + gpu.label()
                            + ": "
                            + String.join(
                                ", ", gpu.migProfiles().stream().map(MigProfile::name).toList())));
    maxSharedClients()
        .ifPresent(
            n -> {
              v.require(n >= 1, "maxSharedClients", n, "must be at least 1");
              v.require(
                  strategy().isPresent(),
                  "strategy",
                  null,
                  "is required with maxSharedClients (GKE rejects one without the other)");
            });
    strategy()
        .ifPresent(
            s ->
                v.require(
                    maxSharedClients().isPresent(),
                    "maxSharedClients",
                    null,
                    "is required with a sharing strategy (GKE rejects one without the other)"));
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGpuSharing.Builder {}
}
