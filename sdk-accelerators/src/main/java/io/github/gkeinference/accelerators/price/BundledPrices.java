package io.github.gkeinference.accelerators.price;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
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
    InputStream in = BundledPrices.class.getResourceAsStream(RESOURCE);
    Objects.requireNonNull(in, RESOURCE);
    List<MachinePrice> rows = new java.util.ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean header = true;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] f = line.split(",", 6);
        if (f.length != 6) {
          throw new IllegalStateException(RESOURCE + ":" + number + ": expected 6 fields");
        }
        int line1 = number;
        rows.add(
            MachinePrice.builder()
                .machineType(f[0].trim())
                .region(f[1].trim())
                .pricingModel(
                    PricingModel.fromId(f[2])
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    RESOURCE + ":" + line1 + ": unknown pricing model " + f[2])))
                .usdPerHour(Double.parseDouble(f[3].trim()))
                .asOf(f[4].trim())
                .source(f[5].trim())
                .build());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BundledPrices(rows);
  }
}
