package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A simulation of an {@link InferenceAutoscaler}'s HPA against a traffic profile: one-second steps,
 * Poisson arrivals, a shared queue in front of the replicas (an ideal load balancer such as the GKE
 * Inference Gateway), replicas that serve {@link ReplicaCapacity#maxConcurrentSequences()} at once,
 * metrics that reach the HPA {@link #metricDelaySeconds()} late, and new pods that serve only after
 * {@link #podStartupSeconds()}. The same spec and seed always give the same result.
 *
 * <pre>{@code
 * SimulationResult result = HpaSimulation.builder()
 *     .autoscaler(autoscaler)
 *     .traffic(TrafficProfile.step(2, 20, 600, 1800, 3600))
 *     .capacity(ReplicaCapacity.of(64, 8000, 0.03))
 *     .objective(ServiceObjective.ttft(2.0, 0.9))
 *     .podStartupSeconds(180)
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Simplifications, each of which makes the result an estimate to check against measurements:
 * token counts are drawn once per second for that second's arrivals; prefill of one request does
 * not slow others; a removed replica finishes its running requests; pods that are not ready report
 * no metric (what a model server loading its weights does).
 */
@Value.Immutable
@SdkStyle
public interface HpaSimulation {
  /** The default of kube-controller-manager's {@code --horizontal-pod-autoscaler-sync-period}. */
  int DEFAULT_SYNC_PERIOD_SECONDS = 15;

  /**
   * The default metric delay: one Managed Prometheus scrape interval of 15 s (the PodMonitoring
   * interval GKE's examples use, https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md); the adapter
   * and Cloud Monitoring add more in practice, so measure it on your cluster.
   */
  int DEFAULT_METRIC_DELAY_SECONDS = 15;

  /** The signals the simulator can model. */
  Set<ScalingMetric.SignalKind> MODELLED =
      Set.of(
          ScalingMetric.SignalKind.QUEUE,
          ScalingMetric.SignalKind.BATCH,
          ScalingMetric.SignalKind.OCCUPANCY,
          ScalingMetric.SignalKind.BACKLOG);

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The autoscaler whose limits, metrics and behaviour are simulated. */
  InferenceAutoscaler autoscaler();

  /** The traffic. */
  TrafficProfile traffic();

  /** What one replica serves. */
  ReplicaCapacity capacity();

  /** The latency objective the result is measured against. */
  ServiceObjective objective();

  /**
   * Seconds from a pod's creation to serving: scheduling, node start if needed, image pull, model
   * load (the model source's start-up estimate).
   */
  int podStartupSeconds();

  /** Seconds between HPA reconciliations; default {@value #DEFAULT_SYNC_PERIOD_SECONDS}. */
  @Value.Default
  default int syncPeriodSeconds() {
    return DEFAULT_SYNC_PERIOD_SECONDS;
  }

  /** The HPA tolerance; default 0.1, Kubernetes' default. */
  @Value.Default
  default double tolerance() {
    return HpaController.DEFAULT_TOLERANCE;
  }

  /** How late metrics reach the HPA; default {@value #DEFAULT_METRIC_DELAY_SECONDS}. */
  @Value.Default
  default int metricDelaySeconds() {
    return DEFAULT_METRIC_DELAY_SECONDS;
  }

  /** Ready replicas at the start; default the autoscaler's minimum. */
  @Value.Default
  default int initialReplicas() {
    return autoscaler().minReplicas();
  }

  /** The random seed; default 1. */
  @Value.Default
  default long seed() {
    return 1;
  }

  /**
   * Checks the spec.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("simulation");
    v.require(
        podStartupSeconds() >= 0, "podStartupSeconds", podStartupSeconds(), "must be 0 or more");
    v.require(
        syncPeriodSeconds() >= 1, "syncPeriodSeconds", syncPeriodSeconds(), "must be at least 1");
    v.require(tolerance() >= 0 && tolerance() < 1, "tolerance", tolerance(), "must be in [0, 1)");
    v.require(
        metricDelaySeconds() >= 0, "metricDelaySeconds", metricDelaySeconds(), "must be 0 or more");
    v.require(initialReplicas() >= 1, "initialReplicas", initialReplicas(), "must be at least 1");
    for (int i = 0; i < autoscaler().metrics().size(); i++) {
      ScalingMetric m = autoscaler().metrics().get(i);
      v.require(
          MODELLED.contains(m.signal()),
          "autoscaler.metrics[" + i + "].signal",
          m.signal(),
          "cannot be simulated; the simulator models " + MODELLED);
    }
    v.throwIfErrors();
  }

  /**
   * Runs the simulation.
   *
   * @return the result
   */
  default SimulationResult run() {
    return new Simulator(this).run();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableHpaSimulation.Builder {}
}
