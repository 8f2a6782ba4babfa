package io.github.gkeinference.core.policy;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Objects;

/**
 * The policies of one environment, checked together over a spec's rendered objects or over foreign
 * YAML. Read one from a policy file ({@link PolicyFile}) or list the rules in Java:
 *
 * {@snippet :
 * PolicySet policies =
 *     PolicySet.of(
 *         "prod",
 *         List.of(
 *             PolicyRules.allowedAccelerators(List.of("nvidia-l4", "nvidia-h100-80gb")),
 *             PolicyRules.maxDevicesPerService(8)));
 * policies.enforce(spec.render()); // throws SdkValidationException listing every violation
 * }
 *
 * @param name the policy set's name, for messages
 * @param policies the rules
 */
public record PolicySet(String name, List<Policy> policies) {
  /** Copies the components. */
  public PolicySet {
    Objects.requireNonNull(name, "name");
    policies = List.copyOf(policies);
  }

  /**
   * Returns a policy set.
   *
   * @param name its name
   * @param policies the rules
   * @return the set
   */
  public static PolicySet of(String name, List<Policy> policies) {
    return new PolicySet(name, policies);
  }

  /**
   * Returns every violation of every rule over a bundle; workloads of foreign YAML are described by
   * {@link io.github.gkeinference.core.emit.ForeignWorkloads} first.
   *
   * @param bundle the rendered objects or foreign YAML
   * @return the violations, errors and warnings, rule by rule
   */
  public List<Violation> check(RenderedSet bundle) {
    Violations v = Violations.root();
    for (Policy policy : policies) {
      policy.check(bundle, v);
    }
    return v.all();
  }

  /**
   * Returns every violation of every rule over what a spec renders.
   *
   * @param spec the spec
   * @return the violations
   */
  public List<Violation> check(RenderableSpec spec) {
    return check(spec.render());
  }

  /**
   * Throws when any rule finds an error in the bundle.
   *
   * @param bundle the rendered objects
   * @throws SdkValidationException listing every violation, warnings included, when any is an error
   */
  public void enforce(RenderedSet bundle) {
    List<Violation> found = check(bundle);
    if (found.stream().anyMatch(Violation::isError)) {
      throw new SdkValidationException(found);
    }
  }
}
