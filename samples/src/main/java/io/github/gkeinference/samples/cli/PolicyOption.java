package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.price.BundledPrices;
import io.github.gkeinference.accelerators.price.MachinePrice;
import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.policy.HourlyPrice;
import io.github.gkeinference.core.policy.PolicyFile;
import io.github.gkeinference.core.policy.PolicySet;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --policy FILE} option of {@code render}, {@code validate}, {@code plan} and {@code
 * apply}: the platform's rules ({@link PolicyFile}) checked over what the command renders or reads.
 */
final class PolicyOption {
  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "A policy file (kind: Policy, rules: ...; see samples/policies/platform.yaml): what"
              + " violates an error rule is not emitted, and the command exits 2 listing"
              + " every violation.")
  @Nullable Path policy;

  /**
   * Checks a bundle against the policy file and prints every violation; returns whether the bundle
   * may be emitted (no error). Without {@code --policy} it prints nothing and returns true.
   *
   * @param bundle what the command rendered or read
   * @param err where the violations go
   * @return whether no rule found an error
   * @throws InputFiles.InputException when the file cannot be read
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the file is not a
   *     valid policy file, listing every problem with its path
   */
  boolean allows(RenderedSet bundle, PrintWriter err) throws InputFiles.InputException {
    if (policy == null) {
      return true;
    }
    PolicySet set =
        PolicyFile.read(InputFiles.read(policy), bundledPrices(ServingGoal.DEFAULT_REGION));
    return allows(set, bundle, err);
  }

  /**
   * Returns the exit code that refuses a bundle, after printing why, or null when the bundle may be
   * emitted: {@link GkeInferenceCli#INVALID} for a violation, an unreadable or invalid policy file.
   *
   * @param bundle what the command rendered or read
   * @param err where the violations go
   * @return {@link GkeInferenceCli#INVALID}, or null
   */
  @Nullable Integer refusal(RenderedSet bundle, PrintWriter err) {
    try {
      if (allows(bundle, err)) {
        return null;
      }
      err.println("error: refused by the policy " + policy);
    } catch (InputFiles.InputException e) {
      err.println("error: " + e.getMessage());
    } catch (SdkValidationException e) {
      err.println("error: " + policy + " is not a valid policy file:");
      for (Violation v : e.violations()) {
        err.println(v);
      }
    }
    return GkeInferenceCli.INVALID;
  }

  /**
   * Returns the list price of one device-hour in a region from the accelerators module's bundled
   * price snapshot ({@link BundledPrices}, each row with its source): the cheapest machine type
   * with the accelerator, divided by its device count. An estimate, for {@code maxHourlyUsd}.
   */
  static HourlyPrice bundledPrices(String region) {
    AcceleratorCatalog catalog = Accelerators.catalog();
    List<MachinePrice> prices = BundledPrices.snapshot().all();
    return (accelerator, spot) ->
        prices.stream()
            .filter(p -> p.region().equals(region))
            .filter(p -> p.pricingModel() == (spot ? PricingModel.SPOT : PricingModel.ON_DEMAND))
            .flatMap(
                p ->
                    catalog
                        .byMachineType(p.machineType())
                        .filter(s -> s.acceleratorLabel().equals(accelerator) && s.devices() > 0)
                        .map(s -> p.usdPerHour() / s.devices())
                        .stream())
            .mapToDouble(Double::doubleValue)
            .min();
  }

  /**
   * Checks what {@code plan} recommends, rendered as the {@code online-inference-gpu} sample
   * renders it, so that a plan the platform would refuse says so (exit 2) before anyone renders it.
   *
   * @param render renders the recommendation; called only with {@code --policy}
   * @param err where the violations go
   * @return {@link GkeInferenceCli#INVALID}, or null when the recommendation is allowed
   */
  @Nullable Integer refusalOf(Supplier<RenderedSet> render, PrintWriter err) {
    if (policy == null) {
      return null;
    }
    RenderedSet bundle;
    try {
      bundle = render.get();
    } catch (RuntimeException e) {
      err.println("error: cannot render the recommendation to check the policy: " + e.getMessage());
      return GkeInferenceCli.INVALID;
    }
    return refusal(bundle, err);
  }

  private static boolean allows(PolicySet set, RenderedSet bundle, PrintWriter err) {
    List<Violation> found = set.check(bundle);
    for (Violation v : found) {
      err.println("policy " + set.name() + ": " + v);
    }
    return found.stream().noneMatch(Violation::isError);
  }
}
