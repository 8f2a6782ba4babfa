package io.github.gkeinference.accelerators.price;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Prices keyed by machine type, region and pricing model: the lookup every price source shares. */
final class PriceTable {
  private final Map<String, MachinePrice> byKey;
  private final Set<String> regions;

  /**
   * Indexes prices.
   *
   * @param prices the prices, at most one per machine type, region and pricing model
   * @throws IllegalStateException on a duplicate
   */
  PriceTable(List<MachinePrice> prices) {
    Map<String, MachinePrice> map = new LinkedHashMap<>();
    Set<String> r = new TreeSet<>();
    for (MachinePrice p : prices) {
      if (map.put(key(p.machineType(), p.region(), p.pricingModel()), p) != null) {
        throw new IllegalStateException("duplicate price row " + p);
      }
      r.add(p.region());
    }
    this.byKey = Collections.unmodifiableMap(map);
    this.regions = Collections.unmodifiableSet(r);
  }

  Optional<MachinePrice> price(String machineType, String region, PricingModel model) {
    return Optional.ofNullable(byKey.get(key(machineType, region, model)));
  }

  Set<String> regions() {
    return regions;
  }

  List<MachinePrice> all() {
    return List.copyOf(byKey.values());
  }

  private static String key(String machineType, String region, PricingModel model) {
    return machineType + "|" + region + "|" + model.id();
  }
}
