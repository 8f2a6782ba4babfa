package io.github.gkeinference.autoscaling.simulation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a simulation found: objective attainment, the time to first token at the objective's
 * percentile, replica-hours, every scale event, and per-second series of load, replicas and queue.
 */
public final class SimulationResult {
  private final ServiceObjective objective;
  private final long requests;
  private final long requestsMeetingObjective;
  private final double ttftAtPercentileSeconds;
  private final double replicaHours;
  private final List<ScaleEvent> scaleEvents;
  private final float[] arrivals;
  private final int[] replicas;
  private final int[] readyReplicas;
  private final long[] queue;

  SimulationResult(
      ServiceObjective objective,
      long requests,
      long requestsMeetingObjective,
      double ttftAtPercentileSeconds,
      double replicaHours,
      List<ScaleEvent> scaleEvents,
      float[] arrivals,
      int[] replicas,
      int[] readyReplicas,
      long[] queue) {
    this.objective = objective;
    this.requests = requests;
    this.requestsMeetingObjective = requestsMeetingObjective;
    this.ttftAtPercentileSeconds = ttftAtPercentileSeconds;
    this.replicaHours = replicaHours;
    this.scaleEvents = List.copyOf(scaleEvents);
    this.arrivals = arrivals;
    this.replicas = replicas;
    this.readyReplicas = readyReplicas;
    this.queue = queue;
  }

  /** Returns the objective the run was measured against. */
  public ServiceObjective objective() {
    return objective;
  }

  /** Returns the number of requests that arrived. */
  public long requests() {
    return requests;
  }

  /** Returns the share of requests that met the objective's limits, 0..1 (1 without requests). */
  public double sloAttainment() {
    return requests == 0 ? 1.0 : (double) requestsMeetingObjective / requests;
  }

  /** Returns whether the attainment reaches the objective's percentile. */
  public boolean meetsObjective() {
    return sloAttainment() >= objective.percentile();
  }

  /**
   * Returns the time to first token at the objective's percentile, in seconds (to 0.05 s; infinite
   * beyond 600 s).
   */
  public double ttftAtPercentileSeconds() {
    return ttftAtPercentileSeconds;
  }

  /** Returns the replica-hours used, starting pods included. */
  public double replicaHours() {
    return replicaHours;
  }

  /** Returns every change of the replica count, in time order. */
  public List<ScaleEvent> scaleEvents() {
    return scaleEvents;
  }

  /** Returns the number of simulated seconds. */
  public int seconds() {
    return replicas.length;
  }

  /** Returns the requests that arrived in each second (a copy). */
  public float[] arrivals() {
    return arrivals.clone();
  }

  /** Returns the replica count ({@code spec.replicas}) at the end of each second (a copy). */
  public int[] replicas() {
    return replicas.clone();
  }

  /** Returns the ready (serving) replicas at the end of each second (a copy). */
  public int[] readyReplicas() {
    return readyReplicas.clone();
  }

  /** Returns the requests waiting at the end of each second (a copy). */
  public long[] queue() {
    return queue.clone();
  }

  /** Returns the most replicas at any time. */
  public int peakReplicas() {
    return Arrays.stream(replicas).max().orElse(0);
  }

  float arrivalAt(int second) {
    return arrivals[second];
  }

  int replicasAt(int second) {
    return replicas[second];
  }

  int readyAt(int second) {
    return readyReplicas[second];
  }

  long queueAt(int second) {
    return queue[second];
  }

  /** Returns one line with the headline numbers. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SimulationResult[requests=%d, sloAttainment=%.4f, ttftP%.0f=%.2fs, replicaHours=%.2f,"
            + " scaleEvents=%d, peakReplicas=%d]",
        requests,
        sloAttainment(),
        objective.percentile() * 100,
        ttftAtPercentileSeconds,
        replicaHours,
        scaleEvents.size(),
        peakReplicas());
  }
}
