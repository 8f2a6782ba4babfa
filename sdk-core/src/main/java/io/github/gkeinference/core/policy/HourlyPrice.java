package io.github.gkeinference.core.policy;

import java.util.OptionalDouble;

/**
 * The list price of one accelerator device for one hour, for {@link PolicyRules#maxHourlyUsd}. The
 * accelerators module's price catalog provides one; core holds no prices.
 */
@FunctionalInterface
public interface HourlyPrice {
  /**
   * Returns the price of one device for one hour.
   *
   * @param accelerator the accelerator type, for example {@code nvidia-l4}
   * @param spot whether the device runs on Spot VMs
   * @return US dollars per device-hour, or empty when the price is unknown
   */
  OptionalDouble usdPerDeviceHour(String accelerator, boolean spot);
}
