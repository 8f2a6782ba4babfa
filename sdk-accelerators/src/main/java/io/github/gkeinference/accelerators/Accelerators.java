package io.github.gkeinference.accelerators;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
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
}
