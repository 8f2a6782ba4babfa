package io.github.gkeinference.accelerators;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;

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
}
