package io.github.gkeinference.accelerators.price;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundledPricesTest {
  private static final List<String> REGIONS =
      List.of("us-central1", "europe-west4", "asia-northeast1");

  @Test
  void snapshot_coversTheThreeRegionsWithSourcedDatedRows() {
    BundledPrices prices = BundledPrices.snapshot();

    assertThat(prices.regions()).containsExactlyInAnyOrderElementsOf(REGIONS);
    assertThat(prices.all())
        .allSatisfy(
            p -> {
              assertThat(p.source()).startsWith("https://github.com/");
              assertThat(AcceleratorCatalog.standard().byMachineType(p.machineType()))
                  .as(p.machineType())
                  .isPresent();
            });
  }

  /** The machine types the planner picks first for each accelerator family have every price. */
  @Test
  void snapshot_hasOnDemandAndSpotForThePlannersMachineTypesInEveryRegion() {
    BundledPrices prices = BundledPrices.snapshot();
    for (String machine :
        List.of(
            "g2-standard-4",
            "g2-standard-24",
            "g2-standard-48",
            "g2-standard-96",
            "a2-highgpu-1g",
            "a2-ultragpu-1g",
            "a3-highgpu-8g",
            "ct6e-standard-4t")) {
      for (String region : REGIONS) {
        assertThat(prices.price(machine, region, PricingModel.ON_DEMAND))
            .as(machine + " " + region)
            .isPresent();
        assertThat(prices.price(machine, region, PricingModel.SPOT))
            .as(machine + " " + region)
            .isPresent();
      }
    }
  }

  /** Spot and commitments are discounts: never above on-demand, three years below one. */
  @Test
  void snapshot_discountsAreBelowOnDemand() {
    BundledPrices prices = BundledPrices.snapshot();
    for (MachinePrice p : prices.all()) {
      double onDemand =
          prices
              .price(p.machineType(), p.region(), PricingModel.ON_DEMAND)
              .orElseThrow()
              .usdPerHour();
      assertThat(p.usdPerHour()).as(p.toString()).isLessThanOrEqualTo(onDemand);
      prices
          .price(p.machineType(), p.region(), PricingModel.COMMITTED_3_YEARS)
          .ifPresent(
              three ->
                  assertThat(three.usdPerHour())
                      .isLessThan(
                          prices
                              .price(p.machineType(), p.region(), PricingModel.COMMITTED_1_YEAR)
                              .orElseThrow()
                              .usdPerHour()));
    }
  }

  @Test
  void pricingModel_readsGiqNames() {
    assertThat(PricingModel.fromId("1-year-cud")).contains(PricingModel.COMMITTED_1_YEAR);
    assertThat(PricingModel.fromId(" Spot ")).contains(PricingModel.SPOT);
    assertThat(PricingModel.fromId("monthly")).isEmpty();
  }
}
