package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.giq.FetchedProfiles;
import io.github.gkeinference.accelerators.giq.GiqMeasurement;
import io.github.gkeinference.accelerators.giq.GiqProfile;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The part of {@code plan --profiles giq} after the estimate table: GKE Inference Quickstart's
 * measured profiles of the model, each at its fastest measured point within the goal's TTFT and
 * NTPOT, beside the SDK's estimate for the same accelerator and count.
 */
final class GiqSection {
  private GiqSection() {}

  /**
   * Prints the measured profiles of a model.
   *
   * @param fetched the profiles GIQ returned for the model
   * @param model the Hugging Face id
   * @param goal the goal (latency targets and pricing model)
   * @param plans the planner's report, for the estimate beside each measurement
   * @param out where the table goes
   */
  static void print(
      FetchedProfiles fetched,
      String model,
      ServingGoal goal,
      ServingReport plans,
      PrintWriter out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "Measured by GKE Inference Quickstart (GIQ): %d profile(s) of %s; each at its fastest"
            + " measured point with TTFT <= %,.0f ms and NTPOT <= %,.0f ms%n",
        fetched.profiles().size(),
        model,
        goal.ttftMillis(),
        goal.ntpotMillis());
    if (fetched.profiles().isEmpty()) {
      out.println("  GIQ has no profile of this model.");
    } else {
      out.printf(
          Locale.ROOT,
          "  %-22s %-4s %-18s %-16s %8s %10s %9s %9s %10s %14s%n",
          "ACCELERATOR",
          "N",
          "MACHINE",
          "SERVER",
          "QPS",
          "TOKENS/S",
          "TTFT ms",
          "NTPOT ms",
          "$/1M OUT",
          "EST. TOKENS/S");
      for (GiqProfile p : fetched.profiles()) {
        Optional<GiqMeasurement> best = p.best(goal.ttftMillis(), goal.ntpotMillis());
        String estimate = PlanCommand.fmt(estimate(plans.options(), p), GiqSection::number, "-");
        if (best.isEmpty()) {
          out.printf(
              Locale.ROOT,
              "  %-22s %-4d %-18s %-16s  no measured point meets the SLO%s%n",
              p.acceleratorType(),
              p.acceleratorCount(),
              p.instanceType(),
              p.modelServer() + " " + p.modelServerVersion(),
              estimate.equals("-") ? "" : " (estimate " + estimate + " tokens/s)");
          continue;
        }
        GiqMeasurement m = best.get();
        String cost =
            goal.pricingModel()
                .flatMap(m::cost)
                .map(c -> String.format(Locale.ROOT, "%.2f", c.usdPerMillionOutputTokens()))
                .orElse("-");
        out.printf(
            Locale.ROOT,
            "  %-22s %-4d %-18s %-16s %8.2f %10s %9.0f %9.0f %10s %14s%n",
            p.acceleratorType(),
            p.acceleratorCount(),
            p.instanceType(),
            p.modelServer() + " " + p.modelServerVersion(),
            m.qps(),
            number(m.outputTokensPerSecond()),
            m.ttftMillis(),
            m.ntpotMillis(),
            cost,
            estimate);
      }
    }
    for (String c : fetched.comments()) {
      out.println("  GIQ: " + c);
    }
    out.println(
        "  GIQ numbers are measurements at GIQ's own workload; EST. TOKENS/S is this SDK's"
            + " estimate for the same accelerator and count at this goal.");
  }

  /** The planner's estimated output tokens/s per replica for the profile's accelerator shape. */
  private static OptionalDouble estimate(List<ServingOption> options, GiqProfile p) {
    return options.stream()
        .filter(
            o ->
                o.fit().accelerator().equals(p.acceleratorType())
                    && o.fit().devices() == p.acceleratorCount())
        .filter(o -> o.measurement().isEmpty())
        .flatMap(o -> o.estimate().stream())
        .mapToDouble(e -> e.outputTokensPerSecond())
        .findFirst();
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
