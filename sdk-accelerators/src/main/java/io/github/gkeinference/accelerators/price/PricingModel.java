package io.github.gkeinference.accelerators.price;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How capacity is paid for, named as GKE Inference Quickstart names its pricing models ({@code
 * gkerecommender.v1.Cost.pricing_model}).
 */
public enum PricingModel {
  /** On-demand list price. */
  ON_DEMAND("on-demand"),
  /** Spot VMs (preemptible; prices change up to once a month). */
  SPOT("spot"),
  /** A one-year resource-based committed-use discount. */
  COMMITTED_1_YEAR("1-year-cud"),
  /** A three-year resource-based committed-use discount. */
  COMMITTED_3_YEARS("3-years-cud");

  private final String id;

  PricingModel(String id) {
    this.id = id;
  }

  /** Returns the name, for example {@code on-demand} or {@code 1-year-cud}. */
  public String id() {
    return id;
  }

  /**
   * Reads a pricing model by its {@link #id()}, case-insensitive.
   *
   * @param name the name
   * @return the model, or empty when the name is unknown
   */
  public static Optional<PricingModel> fromId(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.id.equals(n)).findFirst();
  }

  /** Returns every id, comma-separated, for messages. */
  public static String ids() {
    return Arrays.stream(values()).map(PricingModel::id).collect(Collectors.joining(", "));
  }
}
