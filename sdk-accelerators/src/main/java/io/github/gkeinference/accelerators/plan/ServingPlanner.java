package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.accelerators.giq.GiqMeasurement;
import io.github.gkeinference.accelerators.giq.GiqProfile;
import io.github.gkeinference.accelerators.perf.PerformanceEstimate;
import io.github.gkeinference.accelerators.perf.PerformanceModel;
import io.github.gkeinference.accelerators.perf.ServingScenario;
import io.github.gkeinference.accelerators.price.BundledPrices;
import io.github.gkeinference.accelerators.price.MachinePrice;
import io.github.gkeinference.accelerators.price.PriceSource;
import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Recommends what to deploy for a {@link ServingGoal}: enumerates accelerators, device counts and
 * multi-host layouts, fits the model on each ({@link FitPlanner}'s memory arithmetic), estimates
 * per-replica capacity under the SLO ({@link PerformanceModel}), sizes replicas for the target
 * rate, prices them ({@link PriceSource}) and ranks the feasible options by cost.
 *
 * <pre>{@code
 * ServingReport report = ServingPlanner.plan(goal);
 * ServingOption best = report.recommendation().orElseThrow();
 * best.fit().tensorParallelism();  // 4; serving's VllmFlags.of(best.fit()) renders the flags
 * best.usdPerMillionOutputTokens(); // estimate
 * }</pre>
 *
 * <h2>Layouts</h2>
 *
 * <ul>
 *   <li>GPUs: one host with a power-of-two number of GPUs (tensor parallelism = GPUs), and 2 or
 *       {@value #MAX_GPU_HOSTS} hosts of the largest machine type with tensor parallelism inside a
 *       host and one pipeline stage per host (TP 8 x PP 2 on two {@code a3-highgpu-8g}).
 *   <li>TPUs: every slice topology of a power-of-two chip count up to {@value #MAX_TPU_CHIPS}
 *       chips, single- and multi-host, tensor parallelism over all chips; the fewest hosts per chip
 *       count.
 * </ul>
 *
 * <h2>Ranking</h2>
 *
 * Feasible options first, then the lowest total price per hour of the deployment that meets the
 * goal, then the lowest cost per million output tokens, then the fewest devices ({@link
 * ServingReport#rankingRule()} says it in words):
 *
 * <ul>
 *   <li>without a target rate, the deployment is one replica: the smallest that meets the SLO, so a
 *       large layout whose tokens are cheaper only at full utilisation does not win;
 *   <li>with a target rate, the deployment is the replicas that rate needs (replicas x price per
 *       replica).
 * </ul>
 *
 * Options without a price in the region come after priced ones. Rejected options follow with their
 * reasons.
 *
 * <h2>Measured profiles</h2>
 *
 * Given GKE Inference Quickstart profiles ({@code giq.GiqProfiles}), an option whose model,
 * accelerator, device count and server (vLLM) match a profile is sized and ranked on the profile's
 * fastest measured point within the SLO instead of the estimate ({@link ServingOption#basis()} is
 * {@value ServingOption#MEASURED}); when no measured point meets the SLO, the estimate stays and a
 * note says so. The measured point's input tokens per second are taken at the goal's prompt length
 * (GIQ measured at its own workload).
 *
 * <h2>What an option says about its own accuracy</h2>
 *
 * Every option ranked on the estimate carries {@link ServingOption#notes() notes} derived from the
 * calibration ({@code perf.Calibration}, {@code docs/planning-accuracy.md}): how many published
 * measurements on its accelerator the model was checked against and their median error, or that
 * none was; that pipeline parallelism is not calibrated when no measurement on the accelerator used
 * it; and, for FP4 weights on a device without FP4 tensor cores (by the catalog's speeds), that
 * tokens/s is likely an upper bound, with the left-out measurement of that path and how far it ran
 * below the estimate.
 *
 * <p>Stateless and thread-safe.
 */
public final class ServingPlanner {
  /** The most hosts a GPU replica is planned across. */
  public static final int MAX_GPU_HOSTS = 4;

  /** The largest TPU slice the planner considers, in chips. */
  public static final int MAX_TPU_CHIPS = 64;

  /**
   * The full-length sequences the KV cache must hold at once for {@link #longestContext} to serve a
   * context: two, so that one request of the longest context never takes the whole cache. An SDK
   * assumption.
   */
  public static final int LONG_CONTEXT_SEQUENCES = 2;

  private ServingPlanner() {}

  /**
   * Returns a feasible option's fit with the longest context it serves well: the model's {@code
   * max_position_embeddings}, or else the longest power of two below it, whose KV cache holds
   * {@value #LONG_CONTEXT_SEQUENCES} sequences of that length at once; the goal's {@link
   * ServingGoal#maxModelLen()} when no longer context does. The layout, the memory split and so the
   * estimates of the option stay as they are: vLLM's KV cache does not depend on the max model len.
   *
   * @param goal the goal the option was planned for
   * @param option a feasible option of the goal's report
   * @return the fit with the longest well-served max model len
   * @throws IllegalArgumentException when the option is not feasible
   */
  public static FitPlan longestContext(ServingGoal goal, ServingOption option) {
    if (!option.feasible()) {
      throw new IllegalArgumentException("option " + option.name() + " is not feasible");
    }
    int limit = goal.architecture().maxPositionEmbeddings();
    FitRequest request = goal.fitRequest().toBuilder().minConcurrentSequences(1).build();
    for (int len = limit;
        len > goal.maxModelLen();
        len = Integer.highestOneBit(len) == len ? len / 2 : Integer.highestOneBit(len)) {
      FitPlan longer =
          FitPlanner.planOn(request.toBuilder().maxModelLen(len).build(), option.fit());
      if (longer.feasible() && longer.maxConcurrentSequences() >= LONG_CONTEXT_SEQUENCES) {
        return longer;
      }
    }
    return option.fit();
  }

  /**
   * Plans a goal with the bundled price snapshot.
   *
   * @param goal the goal
   * @return the ranked options
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every problem of
   *     the goal
   */
  public static ServingReport plan(ServingGoal goal) {
    return plan(goal, BundledPrices.snapshot());
  }

  /**
   * Plans a goal with the given prices.
   *
   * @param goal the goal
   * @param prices the price source
   * @return the ranked options; an SLO nothing meets gives a report without a recommendation
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every problem of
   *     the goal
   */
  public static ServingReport plan(ServingGoal goal, PriceSource prices) {
    return plan(goal, prices, List.of());
  }

  /**
   * Plans a goal with the given prices and measured profiles: an option a profile measured is
   * ranked on the measurement (see Measured profiles in the class documentation).
   *
   * <pre>{@code
   * FetchedProfiles fetched = giq.profiles(GiqQuery.of("meta-llama/Llama-3.1-8B-Instruct"));
   * ServingReport report = ServingPlanner.plan(goal, BundledPrices.snapshot(), fetched.profiles());
   * }</pre>
   *
   * @param goal the goal
   * @param prices the price source
   * @param measured GIQ profiles; those of another model (when {@link ServingGoal#model()} is set)
   *     or another server than vLLM are ignored
   * @return the ranked options; an SLO nothing meets gives a report without a recommendation
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every problem of
   *     the goal
   */
  public static ServingReport plan(
      ServingGoal goal, PriceSource prices, Collection<GiqProfile> measured) {
    Violations v = Violations.root();
    goal.validate(v, prices);
    v.throwIfErrors();
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    List<AcceleratorType> types =
        goal.candidates().isEmpty()
            ? catalog.all()
            : goal.candidates().stream().distinct().map(catalog::require).toList();
    FitRequest request = goal.fitRequest();
    PricingModel pricing = goal.pricingModel().orElseThrow();
    List<ServingOption> options = new ArrayList<>();
    for (AcceleratorType type : types) {
      for (FitPlanner.Option layout : layouts(type)) {
        options.add(evaluate(goal, request, type, layout, prices, pricing, measured));
      }
    }
    // One rule with and without a target rate: without one, every feasible option is one replica.
    Comparator<ServingOption> cost =
        Comparator.comparing((ServingOption o) -> o.usdPerHour().orElse(Double.MAX_VALUE))
            .thenComparing(o -> o.usdPerMillionOutputTokens().orElse(Double.MAX_VALUE));
    options.sort(
        Comparator.comparing((ServingOption o) -> !o.feasible())
            .thenComparing(cost)
            .thenComparingInt(o -> o.fit().devices())
            .thenComparing(o -> o.fit().accelerator()));
    return ServingReport.builder().goal(goal).options(options).build();
  }

  /** The layouts the planner tries on one accelerator. */
  static List<FitPlanner.Option> layouts(AcceleratorType type) {
    List<FitPlanner.Option> out = new ArrayList<>();
    if (type.isTpu()) {
      TreeMap<Integer, TpuTopology> byChips = new TreeMap<>();
      for (TpuTopology t : type.topologies()) {
        int chips = t.chips();
        if (Integer.bitCount(chips) == 1 && chips <= MAX_TPU_CHIPS) {
          TpuTopology seen = byChips.get(chips);
          if (seen == null || t.vms() < seen.vms()) {
            byChips.put(chips, t);
          }
        }
      }
      byChips.forEach(
          (chips, t) -> out.add(new FitPlanner.Option(chips, t.machineType(), t.topology(), 1)));
      return out;
    }
    TreeMap<Integer, MachineShape> byDevices = new TreeMap<>();
    for (MachineShape s : type.machineShapes()) {
      if (!s.fractional() && Integer.bitCount(s.devices()) == 1) {
        byDevices.putIfAbsent(s.devices(), type.shapesWith(s.devices()).get(0));
      }
    }
    byDevices.forEach((d, s) -> out.add(new FitPlanner.Option(d, s.machineType(), null, 1)));
    if (!byDevices.isEmpty()) {
      MachineShape largest = byDevices.lastEntry().getValue();
      for (int hosts = 2; hosts <= MAX_GPU_HOSTS; hosts *= 2) {
        out.add(
            new FitPlanner.Option(largest.devices() * hosts, largest.machineType(), null, hosts));
      }
    }
    return out;
  }

  /**
   * Returns the performance model's scenario of a goal's workload on a fit plan's layout.
   *
   * @param goal the model and workload
   * @param fit the layout (tensor and pipeline parallelism)
   * @param device the device's speeds
   * @return the scenario
   */
  static ServingScenario scenario(ServingGoal goal, FitPlan fit, DevicePerformance device) {
    return ServingScenario.builder()
        .architecture(goal.architecture())
        .device(device)
        .tensorParallelism(fit.tensorParallelism())
        .pipelineParallelism(fit.pipelineParallelism())
        .weightDtype(goal.weightDtype())
        .kvCacheDtype(goal.kvCacheDtype().storage(goal.architecture().nativeDtype()))
        .inputTokens(goal.inputTokens())
        .outputTokens(goal.outputTokens())
        .efficiency(goal.efficiency())
        .build();
  }

  private static ServingOption evaluate(
      ServingGoal goal,
      FitRequest request,
      AcceleratorType type,
      FitPlanner.Option layout,
      PriceSource prices,
      PricingModel pricing,
      Collection<GiqProfile> measured) {
    FitPlan fit = FitPlanner.attempt(request, type, layout);
    List<String> reasons = new ArrayList<>(fit.reasons());
    List<String> sloMisses = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int workload = goal.inputTokens() + goal.outputTokens();
    int kvLimit = fit.feasible() ? FitPlanner.sequences(request, fit, workload) : 0;
    Optional<PerformanceEstimate> estimate = Optional.empty();
    Optional<DevicePerformance> device = type.performanceFacts();
    if (device.isEmpty()) {
      reasons.add("the catalog has no performance facts for " + type.label());
    } else if (fit.feasible()) {
      ServingScenario scenario = scenario(goal, fit, device.get());
      double ttft = goal.ttftMillis() / 1000;
      double ntpot = goal.ntpotMillis() / 1000;
      estimate = PerformanceModel.maxConcurrency(scenario, kvLimit, ttft, ntpot);
      if (estimate.isEmpty()) {
        if (kvLimit < 1) {
          reasons.add("the KV cache holds no request of " + workload + " tokens");
        } else {
          PerformanceEstimate one = PerformanceModel.estimate(scenario, 1);
          if (one.ttftSeconds() > ttft) {
            sloMisses.add(
                String.format(
                    Locale.ROOT,
                    "misses TTFT: %.0f ms with one request, target %.0f ms (estimate)",
                    one.ttftSeconds() * 1000,
                    goal.ttftMillis()));
          }
          if (one.ntpotSeconds() > ntpot) {
            sloMisses.add(
                String.format(
                    Locale.ROOT,
                    "misses NTPOT: %.1f ms with one request, target %.0f ms (estimate)",
                    one.ntpotSeconds() * 1000,
                    goal.ntpotMillis()));
          }
        }
      }
    }
    Optional<GiqProfile> profile = Optional.empty();
    Optional<GiqMeasurement> point = Optional.empty();
    if (fit.feasible() && kvLimit >= 1) {
      List<GiqProfile> matching = matching(goal, fit, measured);
      for (GiqProfile p : matching) {
        Optional<GiqMeasurement> best = p.best(goal.ttftMillis(), goal.ntpotMillis());
        if (best.isPresent()
            && (point.isEmpty()
                || best.get().outputTokensPerSecond() > point.get().outputTokensPerSecond())) {
          profile = Optional.of(p);
          point = best;
        }
      }
      if (point.isPresent()) {
        GiqProfile p = profile.orElseThrow();
        sloMisses.clear();
        notes.add(
            String.format(
                Locale.ROOT,
                "ranked on GIQ's measurement (%s %s, %s): %.2f QPS at TTFT %.0f ms, NTPOT %.0f"
                    + " ms, measured at GIQ's workload",
                p.modelServer(),
                p.modelServerVersion(),
                p.instanceType(),
                point.get().qps(),
                point.get().ttftMillis(),
                point.get().ntpotMillis()));
      } else if (!matching.isEmpty()) {
        notes.add(
            "GIQ measured this layout but no measured point meets the SLO; ranked on the"
                + " estimate");
      }
    }
    reasons.addAll(sloMisses);
    if (estimate.isPresent() && point.isEmpty()) {
      notes.addAll(0, EstimateNotes.of(fit, goal.weightDtype(), device.orElseThrow()));
    }
    OptionalDouble rps =
        point.isPresent()
            ? point.stream().mapToDouble(GiqMeasurement::qps).findFirst()
            : estimate.stream().mapToDouble(PerformanceEstimate::requestsPerSecond).findFirst();
    OptionalDouble tokensPerSecond =
        point.isPresent()
            ? point.stream().mapToDouble(GiqMeasurement::outputTokensPerSecond).findFirst()
            : estimate.stream().mapToDouble(PerformanceEstimate::outputTokensPerSecond).findFirst();
    int replicas = 0;
    if (reasons.isEmpty() && rps.isPresent() && rps.getAsDouble() > 0) {
      double perReplica = rps.getAsDouble();
      replicas =
          goal.targetQps().isPresent()
              ? (int) Math.max(1, Math.ceil(goal.targetQps().getAsDouble() / perReplica))
              : 1;
    }
    Optional<MachinePrice> price = prices.price(fit.machineType(), goal.region(), pricing);
    if (price.isEmpty()) {
      notes.add(
          "no "
              + pricing.id()
              + " price for "
              + fit.machineType()
              + " in "
              + goal.region()
              + "; not ranked by cost");
    }
    OptionalDouble perReplica =
        price.stream().mapToDouble(p -> p.usdPerHour() * fit.hosts()).findFirst();
    OptionalDouble perMillion = OptionalDouble.empty();
    if (rps.isPresent() && tokensPerSecond.isPresent() && perReplica.isPresent()) {
      double weighted =
          rps.getAsDouble() * goal.inputTokens() / goal.outputInputCostRatio()
              + tokensPerSecond.getAsDouble();
      if (weighted > 0) {
        perMillion = OptionalDouble.of(perReplica.getAsDouble() / 3600 / weighted * 1e6);
      }
    }
    return ServingOption.builder()
        .fit(fit)
        .estimate(estimate)
        .measuredProfile(profile)
        .measurement(point)
        .kvConcurrencyLimit(kvLimit)
        .replicas(replicas)
        .usdPerHourPerReplica(perReplica)
        .usdPerMillionOutputTokens(perMillion)
        .reasons(reasons)
        .notes(notes)
        .build();
  }

  /**
   * The profiles of the goal's model (when it names one) served by vLLM on the fit's accelerator
   * and device count.
   */
  private static List<GiqProfile> matching(
      ServingGoal goal, FitPlan fit, Collection<GiqProfile> measured) {
    return measured.stream()
        .filter(p -> goal.model().map(m -> m.equalsIgnoreCase(p.model())).orElse(true))
        .filter(p -> p.modelServer().equalsIgnoreCase("vllm"))
        .filter(p -> p.acceleratorType().equals(fit.accelerator()))
        .filter(p -> p.acceleratorCount() == fit.devices())
        .toList();
  }
}
