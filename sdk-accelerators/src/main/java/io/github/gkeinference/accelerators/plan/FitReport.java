package io.github.gkeinference.accelerators.plan;

import java.util.List;
import java.util.Optional;

/**
 * The planner's answers for every candidate accelerator, best first: feasible plans before
 * infeasible ones, then fewest devices, then the lowest caller-supplied price.
 *
 * @param plans one plan per candidate accelerator, ranked
 */
public record FitReport(List<FitPlan> plans) {
  /** Copies the plans. */
  public FitReport {
    plans = List.copyOf(plans);
  }

  /** Returns the recommended plan: the best feasible one, if any accelerator fits. */
  public Optional<FitPlan> recommendation() {
    return plans.stream().filter(FitPlan::feasible).findFirst();
  }

  /** Returns the feasible plans, best first. */
  public List<FitPlan> feasible() {
    return plans.stream().filter(FitPlan::feasible).toList();
  }

  /**
   * Returns the plan for one accelerator.
   *
   * @param accelerator the accelerator label
   * @return the plan, or empty when the accelerator was not a candidate
   */
  public Optional<FitPlan> forAccelerator(String accelerator) {
    return plans.stream().filter(p -> p.accelerator().equals(accelerator)).findFirst();
  }
}
