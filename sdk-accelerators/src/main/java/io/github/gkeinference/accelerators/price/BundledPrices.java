package io.github.gkeinference.accelerators.price;

import io.github.gkeinference.accelerators.internal.BundledCsv;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The price snapshot shipped with the SDK: on-demand, Spot and committed-use prices of the
 * catalog's machine types in us-central1, europe-west4 and asia-northeast1, each row with the date
 * it was read and its source ({@value #RESOURCE}).
 *
 * <p>Prices change; the snapshot is for planning, not billing. Monthly committed-use prices are
 * converted at 730 hours a month (the convention of the source). Immutable and thread-safe.
 */
public final class BundledPrices implements PriceSource {
  /** The classpath resource of the snapshot. */
  public static final String RESOURCE = "/io/github/gkeinference/accelerators/price/gce-prices.csv";

  private static final BundledPrices SNAPSHOT = load();

  private final PriceTable table;

  private BundledPrices(List<MachinePrice> prices) {
    this.table = new PriceTable(prices);
  }

  /** Returns the bundled snapshot. */
  public static BundledPrices snapshot() {
    return SNAPSHOT;
  }

  @Override
  public Optional<MachinePrice> price(String machineType, String region, PricingModel model) {
    return table.price(machineType, region, model);
  }

  @Override
  public Set<String> regions() {
    return table.regions();
  }

  /** Returns every row of the snapshot. */
  public List<MachinePrice> all() {
    return table.all();
  }

  /**
   * Reads the snapshot: CSV with a header {@code
   * machine_type,region,pricing_model,usd_per_hour,as_of,source}; lines starting with {@code #} are
   * comments.
   */
  static BundledPrices load() {
    List<MachinePrice> rows = new java.util.ArrayList<>();
    for (BundledCsv.Row row : BundledCsv.read(BundledPrices.class, RESOURCE, 6)) {
      rows.add(
          MachinePrice.builder()
              .machineType(row.get(0))
              .region(row.get(1))
              .pricingModel(
                  PricingModel.fromId(row.get(2))
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  RESOURCE
                                      + ":"
                                      + row.line()
                                      + ": unknown pricing model "
                                      + row.get(2))))
              .usdPerHour(Double.parseDouble(row.get(3)))
              .asOf(row.get(4))
              .source(row.get(5))
              .build());
    }
    return new BundledPrices(rows);
  }
}
