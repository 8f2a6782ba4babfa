package io.github.gkeinference.accelerators;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorShape;
import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.nodepool.AcceleratorNodePool;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitReport;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;

/**
 * The front door of the accelerators module: the GKE GPU/TPU catalog and the entry points of its
 * features.
 *
 * <pre>{@code
 * AcceleratorType h100 = Accelerators.catalog().require("nvidia-h100-80gb");
 * }</pre>
 */
public final class Accelerators {
  private Accelerators() {}

  /** Returns the catalog of every GKE GPU and TPU the SDK knows. */
  public static AcceleratorCatalog catalog() {
    return AcceleratorCatalog.standard();
  }

  /**
   * Starts a placement of one Pod on an accelerator; {@code build().schedule()} gives the Pod's
   * node selector, device requests, tolerations and CPU/memory requests.
   *
   * @param acceleratorLabel the accelerator label, for example {@code nvidia-l4}
   * @return a builder with the accelerator set
   */
  public static AcceleratorPlacement.Builder placement(String acceleratorLabel) {
    return AcceleratorPlacement.builder().accelerator(acceleratorLabel);
  }

  /**
   * Starts a ComputeClass for one accelerator shape; see {@link AcceleratorComputeClass} for the
   * presets and the consistency rules.
   *
   * @param name the ComputeClass name
   * @param acceleratorLabel the accelerator label
   * @return a builder with the name and accelerator set
   */
  public static AcceleratorComputeClass.Builder computeClass(String name, String acceleratorLabel) {
    return AcceleratorComputeClass.builder().name(name).accelerator(acceleratorLabel);
  }

  /**
   * Starts a ComputeClass for an accelerator shape, named after it ({@link
   * AcceleratorShape#computeClassName()}); Pods select it with {@link
   * AcceleratorComputeClass#placement()}.
   *
   * @param shape the accelerator, devices, machine type and TPU topology
   * @return a builder with the shape set
   */
  public static AcceleratorComputeClass.Builder computeClass(AcceleratorShape shape) {
    return AcceleratorComputeClass.builder().from(shape);
  }

  /**
   * Starts a GKE node pool for one accelerator shape; see {@link AcceleratorNodePool}.
   *
   * @param name the node pool name
   * @param acceleratorLabel the accelerator label
   * @return a builder with the name and accelerator set
   */
  public static AcceleratorNodePool.Builder nodePool(String name, String acceleratorLabel) {
    return AcceleratorNodePool.builder().name(name).accelerator(acceleratorLabel);
  }

  /**
   * Plans a model on the request's candidate accelerators (every catalog accelerator when none is
   * given); see {@link FitPlanner}.
   *
   * @param request the model, serving settings and candidates
   * @return one plan per candidate, best first
   */
  public static FitReport plan(FitRequest request) {
    return FitPlanner.plan(request);
  }
}
