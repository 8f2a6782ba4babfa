package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.accelerators.perf.PerformanceModel;
import io.github.gkeinference.accelerators.perf.ServingScenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sizes the two pools of prefill/decode (P/D) disaggregation with the {@link PerformanceModel}:
 * every number it gives is an estimate, and so labelled.
 *
 * <ul>
 *   <li><b>Prefill side.</b> A prefill replica prefills one prompt after another in {@code p}
 *       seconds ({@link PerformanceEstimate#prefillSeconds()}). Prompts queue for it like for the
 *       performance model's shared server (Kingman's G/D/1 wait, {@code ca2 / 2 * rho / (1 - rho) *
 *       p}), so the TTFT budget left after the prefill and one decode step bounds the replica's
 *       utilisation {@code rho} and its prompts per second, {@code rho / p}; replicas = target
 *       requests per second over that.
 *   <li><b>Decode side.</b> A decode replica prefills nothing: its time per output token is the
 *       decode step alone ({@link PerformanceEstimate#decodeStepSeconds()}), so it runs the largest
 *       batch whose step meets the NTPOT target and that its KV cache holds (sequences of input +
 *       output tokens); requests per second = batch / step / output tokens; replicas = target over
 *       that.
 * </ul>
 *
 * <p>Not estimated: the KV cache transfer from prefill to decode (NIXL over the cluster's network;
 * its time adds to TTFT and depends on the network the SDK does not model), the decider that lets
 * short or cached prompts skip the prefill side (every request is counted on both sides) and the
 * routing sidecar's hop. Without a target rate each side gets one replica and its capacity is
 * reported.
 */
public final class DisaggregatedPlanner {
  private DisaggregatedPlanner() {}

  /**
   * One side's sizing.
   *
   * @param fit the side's fit plan (its layout and KV cache)
   * @param replicas the replicas that serve the target rate (1 without a target)
   * @param requestsPerSecond one replica's capacity, estimated
   * @param estimate the performance model's estimate the capacity comes from: at one sequence for
   *     the prefill side, at the chosen batch for the decode side
   */
  public record Side(
      FitPlan fit, int replicas, double requestsPerSecond, PerformanceEstimate estimate) {}

  /**
   * The sizing of both sides, or why there is none.
   *
   * @param prefill the prefill side, when it can meet the TTFT target
   * @param decode the decode side, when it can meet the NTPOT target
   * @param reasons why a side has no sizing; empty when both have one
   * @param notes what the estimate leaves out, in words
   */
  public record Plan(
      Optional<Side> prefill, Optional<Side> decode, List<String> reasons, List<String> notes) {
    /** Copies the lists. */
    public Plan {
      reasons = List.copyOf(reasons);
      notes = List.copyOf(notes);
    }

    /** Returns whether both sides are sized. */
    public boolean feasible() {
      return prefill.isPresent() && decode.isPresent();
    }

    /**
     * Returns the plan in words, one line each, every number marked as an estimate.
     *
     * @return the lines
     */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      prefill.ifPresent(
          s ->
              out.add(
                  String.format(
                      Locale.ROOT,
                      "prefill: %d x %s TP %d, %.2f requests/s per replica, %.0f ms per prompt"
                          + " (estimate)",
                      s.replicas(),
                      s.fit().machineType(),
                      s.fit().tensorParallelism(),
                      s.requestsPerSecond(),
                      s.estimate().prefillSeconds() * 1000)));
      decode.ifPresent(
          s ->
              out.add(
                  String.format(
                      Locale.ROOT,
                      "decode: %d x %s TP %d, %.2f requests/s per replica at %d sequences, %.1f ms"
                          + " per output token (estimate)",
                      s.replicas(),
                      s.fit().machineType(),
                      s.fit().tensorParallelism(),
                      s.requestsPerSecond(),
                      s.estimate().concurrency(),
                      s.estimate().decodeStepSeconds() * 1000)));
      reasons.forEach(r -> out.add("not sized: " + r));
      notes.forEach(n -> out.add("note: " + n));
      return out;
    }
  }

  /** What the plan always says it leaves out. */
  static final List<String> NOTES =
      List.of(
          "estimates of the performance model, not measurements",
          "the KV cache transfer from prefill to decode (NIXL) is not estimated; it adds to TTFT",
          "every request is counted on both sides: the decider that keeps short or cached prompts"
              + " on the decode side is not modelled");

  /**
   * Sizes both sides for a goal.
   *
   * @param goal the model, workload, SLO and target rate
   * @param prefillAccelerator the prefill side's accelerator label
   * @param prefillDevices the devices of one prefill replica (its tensor parallelism)
   * @param decodeAccelerator the decode side's accelerator label
   * @param decodeDevices the devices of one decode replica
   * @return the plan
   * @throws io.github.gkeinference.core.validate.SdkValidationException when a label is unknown or
   *     no machine type has that many devices
   */
  public static Plan plan(
      ServingGoal goal,
      String prefillAccelerator,
      int prefillDevices,
      String decodeAccelerator,
      int decodeDevices) {
    FitRequest request = goal.fitRequest().toBuilder().minConcurrentSequences(1).build();
    FitPlan prefillFit = FitPlanner.planOn(request, prefillAccelerator, prefillDevices);
    FitPlan decodeFit = FitPlanner.planOn(request, decodeAccelerator, decodeDevices);
    List<String> reasons = new ArrayList<>();
    Optional<ServingScenario> prefillScenario = scenario(goal, prefillFit, "prefill", reasons);
    Optional<ServingScenario> decodeScenario = scenario(goal, decodeFit, "decode", reasons);
    Optional<Side> decode = Optional.empty();
    if (decodeScenario.isPresent()) {
      int kvLimit =
          FitPlanner.sequences(request, decodeFit, goal.inputTokens() + goal.outputTokens());
      decode = decodeSide(goal, decodeFit, decodeScenario.get(), kvLimit, reasons);
    }
    Optional<Side> prefill = Optional.empty();
    if (prefillScenario.isPresent() && decode.isPresent()) {
      prefill =
          prefillSide(
              goal,
              prefillFit,
              prefillScenario.get(),
              decode.get().estimate().decodeStepSeconds(),
              reasons);
    }
    return new Plan(prefill, decode, reasons, NOTES);
  }

  private static Optional<ServingScenario> scenario(
      ServingGoal goal, FitPlan fit, String side, List<String> reasons) {
    if (!fit.feasible()) {
      reasons.add(side + ": " + String.join("; ", fit.reasons()));
      return Optional.empty();
    }
    Optional<DevicePerformance> device =
        AcceleratorCatalog.standard().require(fit.accelerator()).performanceFacts();
    if (device.isEmpty()) {
      reasons.add(side + ": the catalog has no performance facts for " + fit.accelerator());
      return Optional.empty();
    }
    return Optional.of(ServingPlanner.scenario(goal, fit, device.get()));
  }

  /**
   * The largest batch up to the KV limit whose decode step meets the NTPOT target; the step grows
   * with the batch, so the search is a bisection.
   */
  private static Optional<Side> decodeSide(
      ServingGoal goal, FitPlan fit, ServingScenario s, int kvLimit, List<String> reasons) {
    double ntpot = goal.ntpotMillis() / 1000;
    if (kvLimit < 1) {
      reasons.add(
          "decode: the KV cache holds no request of "
              + (goal.inputTokens() + goal.outputTokens())
              + " tokens");
      return Optional.empty();
    }
    PerformanceEstimate one = PerformanceModel.estimate(s, 1);
    if (one.decodeStepSeconds() > ntpot) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "decode: one sequence's step takes %.1f ms, above the NTPOT target of %.0f ms"
                  + " (estimate)",
              one.decodeStepSeconds() * 1000,
              goal.ntpotMillis()));
      return Optional.empty();
    }
    int lo = 1;
    int hi = kvLimit;
    PerformanceEstimate best = one;
    while (lo < hi) {
      int mid = lo + (hi - lo + 1) / 2;
      PerformanceEstimate e = PerformanceModel.estimate(s, mid);
      if (e.decodeStepSeconds() <= ntpot) {
        lo = mid;
        best = e;
      } else {
        hi = mid - 1;
      }
    }
    double rps = best.concurrency() / best.decodeStepSeconds() / goal.outputTokens();
    return Optional.of(new Side(fit, replicas(goal, rps), rps, best));
  }

  /**
   * The prefill side's replicas: the utilisation at which the mean queueing wait still leaves the
   * prefill and one decode step inside the TTFT target.
   */
  private static Optional<Side> prefillSide(
      ServingGoal goal, FitPlan fit, ServingScenario s, double decodeStep, List<String> reasons) {
    PerformanceEstimate one = PerformanceModel.estimate(s, 1);
    double p = one.prefillSeconds();
    double budget = goal.ttftMillis() / 1000 - decodeStep;
    if (budget <= p) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "prefill: one prompt takes %.0f ms and a decode step %.1f ms, which leaves no room"
                  + " in the TTFT target of %.0f ms (estimate)",
              p * 1000,
              decodeStep * 1000,
              goal.ttftMillis()));
      return Optional.empty();
    }
    double x = (budget - p) / p;
    double ca2 = goal.efficiency().arrivalVariability();
    // ca2 / 2 * rho / (1 - rho) <= x  <=>  rho <= 2x / (ca2 + 2x)
    double rho = ca2 == 0 ? 1 : 2 * x / (ca2 + 2 * x);
    double rps = rho / p;
    return Optional.of(new Side(fit, replicas(goal, rps), rps, one));
  }

  private static int replicas(ServingGoal goal, double perReplica) {
    if (goal.targetQps().isEmpty()) {
      return 1;
    }
    return Math.max(1, (int) Math.ceil(goal.targetQps().getAsDouble() / perReplica - 1e-9));
  }
}
