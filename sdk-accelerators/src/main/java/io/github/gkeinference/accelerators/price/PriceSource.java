package io.github.gkeinference.accelerators.price;

import java.util.Optional;
import java.util.Set;

/**
 * Where the planner reads machine prices. The SDK ships {@link BundledPrices}, a dated snapshot,
 * and {@link CloudCatalogPrices}, read from the Cloud Billing Catalog API; a negotiated price list
 * implements the same two methods.
 *
 * <pre>{@code
 * PriceSource prices = BundledPrices.snapshot();
 * double perHour = prices.price("a3-highgpu-8g", "us-central1", PricingModel.ON_DEMAND)
 *     .orElseThrow()
 *     .usdPerHour();
 * }</pre>
 *
 * <p>Implementations are thread-safe and do no I/O in {@link #price}; load or fetch up front.
 */
public interface PriceSource {
  /**
   * Returns the price of one VM of a machine type.
   *
   * @param machineType the machine type
   * @param region the region
   * @param model the pricing model
   * @return the price, or empty when the source has none for that combination
   */
  Optional<MachinePrice> price(String machineType, String region, PricingModel model);

  /** Returns the regions this source has prices for. */
  Set<String> regions();
}
