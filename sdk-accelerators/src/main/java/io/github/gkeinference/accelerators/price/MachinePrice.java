package io.github.gkeinference.accelerators.price;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;

/** The hourly price of one machine type in one region under one pricing model, with its source. */
@Value.Immutable
@SdkStyle
public interface MachinePrice {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The machine type, for example {@code a3-highgpu-8g} or {@code ct6e-standard-4t}. */
  String machineType();

  /** The region, for example {@code us-central1}. */
  String region();

  /** The pricing model. */
  PricingModel pricingModel();

  /** US dollars per hour for one VM of the machine type, accelerators included. */
  double usdPerHour();

  /** The date the price was read, ISO 8601 ({@code 2025-03-06}). */
  String asOf();

  /** Where the price was read: a URL, with the file and commit when it is a repository. */
  String source();

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        usdPerHour() >= 0 && !Double.isNaN(usdPerHour()),
        "usdPerHour",
        usdPerHour(),
        "must be 0 or more");
    v.require(asOf().matches("\\d{4}-\\d{2}-\\d{2}"), "asOf", asOf(), "must be YYYY-MM-DD");
    v.require(source().startsWith("https://"), "source", source(), "must be an https URL");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableMachinePrice.Builder {}
}
