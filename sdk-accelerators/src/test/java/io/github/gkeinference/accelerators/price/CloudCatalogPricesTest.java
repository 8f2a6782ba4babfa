package io.github.gkeinference.accelerators.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.billing.v1.Category;
import com.google.cloud.billing.v1.PricingExpression;
import com.google.cloud.billing.v1.PricingInfo;
import com.google.cloud.billing.v1.Sku;
import com.google.type.Money;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.testing.billing.FakeCloudCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudCatalogPricesTest {
  private static final String CE = CloudCatalogPrices.COMPUTE_ENGINE;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

  private FakeCloudCatalog billing;

  @BeforeEach
  void start() {
    billing = FakeCloudCatalog.start();
  }

  @AfterEach
  void stop() {
    billing.close();
  }

  /** A SKU with one tier; the price in nano-dollars so fixtures are exact. */
  private static Sku sku(
      String description, String usageType, String unit, long nanoUsd, String... regions) {
    return Sku.newBuilder()
        .setDescription(description)
        .setCategory(Category.newBuilder().setResourceFamily("Compute").setUsageType(usageType))
        .addAllServiceRegions(List.of(regions))
        .addPricingInfo(
            PricingInfo.newBuilder()
                .setPricingExpression(
                    PricingExpression.newBuilder()
                        .setUsageUnit(unit)
                        .addTieredRates(
                            PricingExpression.TierRate.newBuilder()
                                .setStartUsageAmount(0)
                                .setUnitPrice(
                                    Money.newBuilder()
                                        .setCurrencyCode("USD")
                                        .setUnits(nanoUsd / 1_000_000_000L)
                                        .setNanos((int) (nanoUsd % 1_000_000_000L))))))
        .build();
  }

  private void addG2(String usageType, String prefix, long core, long ram, long gpu) {
    billing
        .addSku(
            CE,
            sku(
                prefix + "G2 Instance Core running in Americas",
                usageType,
                "h",
                core,
                "us-central1"))
        .addSku(
            CE,
            sku(
                prefix + "G2 Instance Ram running in Americas",
                usageType,
                "GiBy.h",
                ram,
                "us-central1"))
        .addSku(
            CE,
            sku(prefix + "Nvidia L4 GPU running in Americas", usageType, "h", gpu, "us-central1"));
  }

  @Test
  void fetch_pricesAMachineTypeFromItsCoreRamAndGpuSkus_underEveryPricingModel() {
    addG2("OnDemand", "", 25_000_000L, 3_000_000L, 560_000_000L);
    addG2("Preemptible", "Spot Preemptible ", 10_000_000L, 1_000_000L, 200_000_000L);
    billing
        .addSku(
            CE,
            sku(
                "Commitment v1: G2 Cpu in Americas for 1 Year",
                "Commit1Yr",
                "h",
                15_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "Commitment v1: G2 Ram in Americas for 1 Year",
                "Commit1Yr",
                "GiBy.h",
                2_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "Commitment v1: Nvidia L4 GPU in Iowa for 1 Year",
                "Commit1Yr",
                "h",
                350_000_000L,
                "us-central1"))
        .pageSize(2);

    CloudCatalogPrices prices =
        CloudCatalogPrices.builder(billing.client()).regions("us-central1").clock(CLOCK).fetch();

    MachineShape g2 = AcceleratorCatalog.standard().byMachineType("g2-standard-24").orElseThrow();
    // The fixture's arithmetic assumes the catalog's shape: 24 vCPUs, 96 GB, 2 x L4.
    assertThat(List.of(g2.vcpus(), (int) g2.memoryGb(), g2.devices())).containsExactly(24, 96, 2);
    MachinePrice onDemand =
        prices.price("g2-standard-24", "us-central1", PricingModel.ON_DEMAND).orElseThrow();
    // 24 x 0.025 + 96 x 0.003 + 2 x 0.56 = 0.6 + 0.288 + 1.12
    assertThat(onDemand.usdPerHour()).isCloseTo(2.008, within(1e-9));
    assertThat(onDemand.asOf()).isEqualTo("2026-12-06");
    assertThat(onDemand.source()).isEqualTo(CloudCatalogPrices.SOURCE);
    // 24 x 0.01 + 96 x 0.001 + 2 x 0.2 = 0.24 + 0.096 + 0.4
    assertThat(
            prices
                .price("g2-standard-24", "us-central1", PricingModel.SPOT)
                .orElseThrow()
                .usdPerHour())
        .isCloseTo(0.736, within(1e-9));
    // 24 x 0.015 + 96 x 0.002 + 2 x 0.35 = 0.36 + 0.192 + 0.7
    assertThat(
            prices
                .price("g2-standard-24", "us-central1", PricingModel.COMMITTED_1_YEAR)
                .orElseThrow()
                .usdPerHour())
        .isCloseTo(1.252, within(1e-9));
    assertThat(prices.price("g2-standard-24", "us-central1", PricingModel.COMMITTED_3_YEARS))
        .isEmpty();
    // Every page was read: 9 SKUs at 2 a page.
    assertThat(billing.requests()).hasSize(5);
    assertThat(billing.requests())
        .allSatisfy(r -> assertThat(r.getCurrencyCode()).isEqualTo("USD"));
    assertThat(prices.regions()).containsExactly("us-central1");
  }

  @Test
  void fetch_machineTypeWithoutItsGpuSku_orInAnotherRegion_hasNoPrice() {
    billing
        .addSku(
            CE,
            sku(
                "A2 Instance Core running in Americas",
                "OnDemand",
                "h",
                30_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "A2 Instance Ram running in Americas",
                "OnDemand",
                "GiBy.h",
                4_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "Nvidia Tesla A100 GPU running in EMEA",
                "OnDemand",
                "h",
                2_900_000_000L,
                "europe-west4"));

    CloudCatalogPrices prices =
        CloudCatalogPrices.builder(billing.client())
            .regions("us-central1", "europe-west4")
            .clock(CLOCK)
            .fetch();

    // us-central1 has no A100 SKU; europe-west4 has no A2 core or RAM SKU.
    assertThat(prices.price("a2-highgpu-1g", "us-central1", PricingModel.ON_DEMAND)).isEmpty();
    assertThat(prices.price("a2-highgpu-1g", "europe-west4", PricingModel.ON_DEMAND)).isEmpty();
    assertThat(prices.all()).isEmpty();
  }

  @Test
  void fetch_gpuNamesDoNotMatchLongerNames_andWrongUnitsAreIgnored() {
    billing
        .addSku(
            CE,
            sku(
                "A2 Instance Core running in Americas",
                "OnDemand",
                "h",
                30_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "A2 Instance Ram running in Americas",
                "OnDemand",
                "GiBy.h",
                4_000_000L,
                "us-central1"))
        // The 80 GB A100 is another SKU than the 40 GB one; a monthly rate is not an hourly one.
        .addSku(
            CE,
            sku(
                "Nvidia Tesla A100 80GB GPU running in Americas",
                "OnDemand",
                "h",
                3_900_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "Nvidia Tesla A100 GPU running in Americas",
                "OnDemand",
                "mo",
                2_000_000_000_000L,
                "us-central1"));

    CloudCatalogPrices prices =
        CloudCatalogPrices.builder(billing.client()).regions("us-central1").clock(CLOCK).fetch();

    assertThat(prices.price("a2-highgpu-1g", "us-central1", PricingModel.ON_DEMAND)).isEmpty();
    MachineShape ultra =
        AcceleratorCatalog.standard().byMachineType("a2-ultragpu-1g").orElseThrow();
    assertThat(
            prices
                .price("a2-ultragpu-1g", "us-central1", PricingModel.ON_DEMAND)
                .orElseThrow()
                .usdPerHour())
        .isCloseTo(
            ultra.vcpus() * 0.03 + ultra.memoryGb() * 0.004 + ultra.devices() * 3.9, within(1e-9));
  }

  @Test
  void fetch_extraGpuSkuName_pricesThatAccelerator() {
    billing
        .addSku(
            CE,
            sku(
                "A3 Instance Core running in Americas",
                "OnDemand",
                "h",
                20_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "A3 Instance Ram running in Americas",
                "OnDemand",
                "GiBy.h",
                2_000_000L,
                "us-central1"))
        .addSku(
            CE,
            sku(
                "Nvidia H200 141GB GPU running in Americas",
                "OnDemand",
                "h",
                5_000_000_000L,
                "us-central1"));
    MachineShape h200 =
        AcceleratorCatalog.standard().machineTypesWith("nvidia-h200-141gb", 8).get(0);

    CloudCatalogPrices without =
        CloudCatalogPrices.builder(billing.client()).regions("us-central1").clock(CLOCK).fetch();
    CloudCatalogPrices with =
        CloudCatalogPrices.builder(billing.client())
            .regions("us-central1")
            .gpuSku("nvidia-h200-141gb", "Nvidia H200 141GB GPU")
            .clock(CLOCK)
            .fetch();

    assertThat(without.price(h200.machineType(), "us-central1", PricingModel.ON_DEMAND)).isEmpty();
    assertThat(
            with.price(h200.machineType(), "us-central1", PricingModel.ON_DEMAND)
                .orElseThrow()
                .usdPerHour())
        .isCloseTo(h200.vcpus() * 0.02 + h200.memoryGb() * 0.002 + 8 * 5.0, within(1e-9));
  }

  @Test
  void fetch_failedCall_namesTheServiceAndKeepsTheCause() {
    // No Compute Engine service in the fake: the API answers NOT_FOUND.
    assertThatThrownBy(() -> CloudCatalogPrices.builder(billing.client()).fetch())
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("ListSkus of " + CE)
        .hasMessageContaining("NOT_FOUND")
        .hasCauseInstanceOf(ApiException.class);
  }
}
