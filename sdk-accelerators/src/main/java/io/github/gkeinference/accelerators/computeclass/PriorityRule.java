package io.github.gkeinference.accelerators.computeclass;

import io.github.gkeinference.core.spec.SdkStyle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One priority rule of an {@link AcceleratorComputeClass}: how to get capacity (on-demand, Spot,
 * reservation, flex-start) and, rarely, a different machine type or device count than the class's.
 *
 * <p>The accelerator, device count and machine type normally come from the class; a rule that
 * overrides them must still carry exactly the class's accelerator and count, or the class reports a
 * violation naming the rule (the bug this catches is in the reference architecture's {@code
 * gpu-h100-80gb-high-x2} class, GoogleCloudPlatform/accelerated-platforms@9320f3b2 {@code
 * platforms/gke/base/core/custom_compute_class/templates/manifests}: a 2-GPU class whose 1-day
 * flex-start rule uses a 1-GPU machine).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutablePriorityRule.class)
public interface PriorityRule {
  /**
   * The longest flex-start run: 7 days (Compute Engine "About Flex-start VMs": "run for up to seven
   * days"; ComputeClass {@code flexStart.nodeRecycling.leadTimeSeconds} maximum 604800 in the CRD
   * schema; the seed's 7-day flex-start rule uses the same value,
   * GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/custom_compute_class/templates/manifests).
   */
  long MAX_FLEX_START_RUN_SECONDS = 604_800;

  /**
   * The node recycling lead time the seed's flex-start rules use: 3600 s
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/core/custom_compute_class/templates/manifests).
   */
  long DEFAULT_LEAD_TIME_SECONDS = 3600;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this rule. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Returns an on-demand rule ({@code spot: false}). */
  static PriorityRule onDemand() {
    return builder().spot(false).build();
  }

  /** Returns a Spot rule. */
  static PriorityRule spotVms() {
    return builder().spot(true).build();
  }

  /** Returns a rule that uses any matching reservation, best effort ({@code spot: false}). */
  static PriorityRule anyReservation() {
    return builder().spot(false).reservation(ReservationAffinity.ANY_BEST_EFFORT).build();
  }

  /**
   * Returns a rule that uses one specific reservation.
   *
   * @param name the reservation name
   * @return the rule
   */
  static PriorityRule specificReservation(String name) {
    return builder().reservation(ReservationAffinity.SPECIFIC).reservationName(name).build();
  }

  /**
   * Returns a flex-start rule with node recycling, whose nodes run at most {@code maxRun}.
   *
   * @param maxRun the maximum run duration, at most 7 days
   * @return the rule
   */
  static PriorityRule flexStartFor(Duration maxRun) {
    return builder()
        .flexStart(true)
        .nodeRecyclingLeadTimeSeconds(DEFAULT_LEAD_TIME_SECONDS)
        .maxRunDurationSeconds(maxRun.getSeconds())
        .build();
  }

  /** A machine type other than the class's; must carry the class's accelerator and count. */
  Optional<String> machineType();

  /** A machine family (for example {@code a3}); must be the family of the class's machine type. */
  Optional<String> machineFamily();

  /** A device count other than the class's; must equal the class's count. */
  OptionalInt devices();

  /** Whether to use Spot VMs; empty leaves it to GKE. */
  Optional<Boolean> spot();

  /** The reservation affinity; empty renders no {@code reservations}. */
  Optional<ReservationAffinity> reservation();

  /** The reservation name, for {@link ReservationAffinity#SPECIFIC}. */
  Optional<String> reservationName();

  /** The project of a shared reservation, for {@link ReservationAffinity#SPECIFIC}. */
  Optional<String> reservationProject();

  /** The reservation block, for {@link ReservationAffinity#SPECIFIC}. */
  Optional<String> reservationBlock();

  /** Whether to use flex-start (Dynamic Workload Scheduler); default false. */
  @Value.Default
  default boolean flexStart() {
    return false;
  }

  /** The flex-start node recycling lead time in seconds; only with {@link #flexStart()}. */
  OptionalLong nodeRecyclingLeadTimeSeconds();

  /** How long a node may run, in seconds. */
  OptionalLong maxRunDurationSeconds();

  /** Zones for this rule; empty uses the class's zones. */
  List<String> zones();

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutablePriorityRule.Builder {}
}
