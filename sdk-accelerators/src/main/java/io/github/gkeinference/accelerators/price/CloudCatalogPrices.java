package io.github.gkeinference.accelerators.price;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.billing.v1.CloudCatalogClient;
import com.google.cloud.billing.v1.ListSkusRequest;
import com.google.cloud.billing.v1.PricingExpression;
import com.google.cloud.billing.v1.PricingInfo;
import com.google.cloud.billing.v1.Sku;
import com.google.type.Money;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.DeviceKind;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.core.SdkException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prices of the catalog's GPU machine types read from the Cloud Billing Catalog API ({@code
 * CloudCatalogClient.listSkus} of Compute Engine, {@value #COMPUTE_ENGINE}; reference
 * https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list).
 *
 * <p>Compute Engine prices a GPU VM by its parts, so one machine type's hourly price is {@code
 * vCPUs x core rate + memory GiB x RAM rate + GPUs x GPU rate}, each rate the SKU of that part in
 * the region under the pricing model. SKUs are recognised by their category usage type ({@code
 * OnDemand}, {@code Preemptible} = Spot, {@code Commit1Yr}, {@code Commit3Yr}) and description:
 * {@code <FAMILY> Instance Core|Ram running in ...} (on-demand), the same after {@code Spot
 * Preemptible }, {@code Commitment v1: <FAMILY> Cpu|Ram in ...}, and {@code <GPU name> running in
 * ...} / {@code Commitment v1: <GPU name> in ...} for GPUs, where FAMILY is the machine type's
 * series ({@code G2} for {@code g2-standard-24}) and the GPU names are {@link #DEFAULT_GPU_SKUS}
 * (add others with {@link Builder#gpuSku}). A machine type missing any of its three rates has no
 * price ({@link #price} is empty), as do TPUs (Cloud TPU is another billing service) and fractional
 * G4 shapes. Memory is taken as GiB: Compute Engine's machine type tables state GB and bill in GiB
 * hours.
 *
 * <p>All SKUs are read once by {@link Builder#fetch()}; {@link #price} does no I/O. Each price is
 * dated with the day it was read ({@link Builder#clock}). Immutable and thread-safe. The client
 * dependency is optional in this module: add {@code com.google.cloud:google-cloud-billing}.
 */
public final class CloudCatalogPrices implements PriceSource {
  /** The Cloud Billing service name of Compute Engine. */
  public static final String COMPUTE_ENGINE = "services/6F81-5844-456A";

  /** Where every price of this source comes from. */
  public static final String SOURCE =
      "https://cloudbilling.googleapis.com/v1/" + COMPUTE_ENGINE + "/skus";

  /** The GPU SKU names (description prefix) of the catalog's GPUs this source knows by default. */
  public static final Map<String, String> DEFAULT_GPU_SKUS =
      Map.of(
          "nvidia-l4", "Nvidia L4 GPU",
          "nvidia-tesla-t4", "Nvidia Tesla T4 GPU",
          "nvidia-tesla-a100", "Nvidia Tesla A100 GPU",
          "nvidia-a100-80gb", "Nvidia Tesla A100 80GB GPU",
          "nvidia-h100-80gb", "Nvidia H100 80GB GPU");

  private static final Pattern CORE =
      Pattern.compile(
          "([A-Z0-9]+) (?:Predefined )?Instance Core running in .*|([A-Z0-9]+) Cpu in .*");
  private static final Pattern RAM =
      Pattern.compile(
          "([A-Z0-9]+) (?:Predefined )?Instance Ram running in .*|([A-Z0-9]+) Ram in .*");

  private final PriceTable table;

  private CloudCatalogPrices(List<MachinePrice> prices) {
    this.table = new PriceTable(prices);
  }

  /**
   * Starts reading prices with a client; the caller keeps ownership of the client and closes it.
   *
   * @param client the Cloud Billing catalog client
   * @return a builder
   */
  public static Builder builder(CloudCatalogClient client) {
    return new Builder(client);
  }

  @Override
  public Optional<MachinePrice> price(String machineType, String region, PricingModel model) {
    return table.price(machineType, region, model);
  }

  @Override
  public Set<String> regions() {
    return table.regions();
  }

  /** Returns every price this source holds. */
  public List<MachinePrice> all() {
    return table.all();
  }

  /** The pricing model of a SKU's usage type, or empty for usage types the planner does not use. */
  static Optional<PricingModel> pricingModel(String usageType) {
    switch (usageType) {
      case "OnDemand":
        return Optional.of(PricingModel.ON_DEMAND);
      case "Preemptible":
        return Optional.of(PricingModel.SPOT);
      case "Commit1Yr":
        return Optional.of(PricingModel.COMMITTED_1_YEAR);
      case "Commit3Yr":
        return Optional.of(PricingModel.COMMITTED_3_YEARS);
      default:
        return Optional.empty();
    }
  }

  /** The USD rate of a SKU's first tier (the one from usage 0), or empty when it has none. */
  private static OptionalDouble rate(Sku sku, String unit) {
    if (sku.getPricingInfoCount() == 0) {
      return OptionalDouble.empty();
    }
    PricingInfo info = sku.getPricingInfo(0);
    PricingExpression e = info.getPricingExpression();
    if (!e.getUsageUnit().equals(unit) || e.getTieredRatesCount() == 0) {
      return OptionalDouble.empty();
    }
    PricingExpression.TierRate first = e.getTieredRates(0);
    for (PricingExpression.TierRate t : e.getTieredRatesList()) {
      if (t.getStartUsageAmount() < first.getStartUsageAmount()) {
        first = t;
      }
    }
    Money m = first.getUnitPrice();
    if (!m.getCurrencyCode().isEmpty() && !m.getCurrencyCode().equals("USD")) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(m.getUnits() + m.getNanos() / 1e9);
  }

  /** Reads prices; see {@link CloudCatalogPrices}. */
  public static final class Builder {
    private final CloudCatalogClient client;
    private final Set<String> regions = new LinkedHashSet<>();
    private final Map<String, String> gpuSkus = new LinkedHashMap<>(DEFAULT_GPU_SKUS);
    private AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    private Clock clock = Clock.systemUTC();

    private Builder(CloudCatalogClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Adds regions to read prices for (default: the bundled snapshot's regions).
     *
     * @param names regions, for example {@code us-central1}
     * @return this builder
     */
    public Builder regions(String... names) {
      regions.addAll(List.of(names));
      return this;
    }

    /**
     * Names the GPU SKU of an accelerator (the SKU description before {@code running in}).
     *
     * @param acceleratorLabel the catalog label, for example {@code nvidia-h200-141gb}
     * @param skuName the SKU name, for example {@code Nvidia H200 141GB GPU}
     * @return this builder
     */
    public Builder gpuSku(String acceleratorLabel, String skuName) {
      gpuSkus.put(Objects.requireNonNull(acceleratorLabel), Objects.requireNonNull(skuName));
      return this;
    }

    /**
     * Sets the catalog whose machine types are priced (default the standard catalog).
     *
     * @param catalog the catalog
     * @return this builder
     */
    public Builder catalog(AcceleratorCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog);
      return this;
    }

    /**
     * Sets the clock that dates the prices (default UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Reads every Compute Engine SKU (every page) and prices the catalog's GPU machine types.
     *
     * @return the prices
     * @throws SdkException when the API call fails (naming the service), with the cause
     */
    public CloudCatalogPrices fetch() {
      Set<String> wanted = regions.isEmpty() ? BundledPrices.snapshot().regions() : regions;
      // rates: region|model|part -> USD per unit; part = core:G2, ram:G2 or gpu:<label>
      Map<String, Double> rates = new HashMap<>();
      ListSkusRequest request =
          ListSkusRequest.newBuilder().setParent(COMPUTE_ENGINE).setCurrencyCode("USD").build();
      try {
        for (Sku sku : client.listSkus(request).iterateAll()) {
          Optional<PricingModel> model = pricingModel(sku.getCategory().getUsageType());
          if (model.isEmpty()) {
            continue;
          }
          Optional<String> part = part(sku.getDescription());
          if (part.isEmpty()) {
            continue;
          }
          String unit = part.get().startsWith("ram:") ? "GiBy.h" : "h";
          OptionalDouble rate = rate(sku, unit);
          if (rate.isEmpty()) {
            continue;
          }
          for (String region : sku.getServiceRegionsList()) {
            if (wanted.contains(region)) {
              rates.put(region + "|" + model.get().id() + "|" + part.get(), rate.getAsDouble());
            }
          }
        }
      } catch (ApiException e) {
        throw new SdkException(
            "Cloud Billing Catalog ListSkus of "
                + COMPUTE_ENGINE
                + " (Compute Engine) failed: "
                + e.getStatusCode().getCode()
                + " ("
                + e.getMessage()
                + ")",
            e);
      }
      String asOf = LocalDate.now(clock).toString();
      List<MachinePrice> prices = new ArrayList<>();
      for (AcceleratorType type : catalog.all()) {
        if (type.kind() != DeviceKind.GPU) {
          continue;
        }
        for (MachineShape shape : type.machineShapes()) {
          if (shape.fractional()) {
            continue;
          }
          String family = shape.machineType().split("-", 2)[0].toUpperCase(Locale.ROOT);
          for (String region : wanted) {
            for (PricingModel model : PricingModel.values()) {
              String prefix = region + "|" + model.id() + "|";
              Double core = rates.get(prefix + "core:" + family);
              Double ram = rates.get(prefix + "ram:" + family);
              Double gpu = rates.get(prefix + "gpu:" + shape.acceleratorLabel());
              if (core == null || ram == null || gpu == null) {
                continue;
              }
              double usd = shape.vcpus() * core + shape.memoryGb() * ram + shape.devices() * gpu;
              prices.add(
                  MachinePrice.builder()
                      .machineType(shape.machineType())
                      .region(region)
                      .pricingModel(model)
                      .usdPerHour(usd)
                      .asOf(asOf)
                      .source(SOURCE)
                      .build());
            }
          }
        }
      }
      return new CloudCatalogPrices(prices);
    }

    /** The part a SKU description prices ({@code core:G2}, {@code ram:G2}, {@code gpu:LABEL}). */
    private Optional<String> part(String description) {
      String d = description.strip();
      for (String prefix : List.of("Spot Preemptible ", "Commitment v1: ")) {
        if (d.regionMatches(true, 0, prefix, 0, prefix.length())) {
          d = d.substring(prefix.length());
        }
      }
      Matcher core = CORE.matcher(d);
      if (core.matches()) {
        return Optional.of("core:" + (core.group(1) != null ? core.group(1) : core.group(2)));
      }
      Matcher ram = RAM.matcher(d);
      if (ram.matches()) {
        return Optional.of("ram:" + (ram.group(1) != null ? ram.group(1) : ram.group(2)));
      }
      String lower = d.toLowerCase(Locale.ROOT);
      for (Map.Entry<String, String> gpu : gpuSkus.entrySet()) {
        String name = gpu.getValue().toLowerCase(Locale.ROOT);
        if (lower.startsWith(name + " running in ") || lower.startsWith(name + " in ")) {
          return Optional.of("gpu:" + gpu.getKey());
        }
      }
      return Optional.empty();
    }
  }
}
