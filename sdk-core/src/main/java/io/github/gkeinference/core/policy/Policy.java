package io.github.gkeinference.core.policy;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.Objects;

/**
 * A named rule over a rendered bundle: the objects a spec rendered, or foreign YAML, with the typed
 * {@link io.github.gkeinference.core.render.WorkloadFacts} of every workload ({@link
 * ServedWorkload#all(RenderedSet)}).
 *
 * <p>A rule reports what it refuses into {@link Violations} with a path naming the object and field
 * ({@code Deployment/default/vllm.spec.replicas}). Ready rules are in {@link PolicyRules}; a
 * platform team adds its own in Java:
 *
 * {@snippet :
 * Policy costCenter =
 *     Policy.of(
 *         "costCenterFormat",
 *         (bundle, v) -> {
 *           for (ServedWorkload w : ServedWorkload.all(bundle)) {
 *             String cc = w.labels().getOrDefault("cost-center", "");
 *             v.at(w.path()).require(cc.matches("cc-[0-9]+"), "metadata.labels[cost-center]", cc,
 *                 "must be cc-<number>");
 *           }
 *         });
 * }
 */
public interface Policy {
  /** Returns the rule's name, as in policy files (for example {@code allowedAccelerators}). */
  String name();

  /**
   * Adds a violation for everything in the bundle this rule refuses.
   *
   * @param bundle the rendered objects, with workload facts ({@link PolicySet} adds them to foreign
   *     YAML)
   * @param violations where violations go
   */
  void check(RenderedSet bundle, Violations violations);

  /** The check of a rule, for {@link #of(String, Check)}. */
  @FunctionalInterface
  interface Check {
    /**
     * Adds a violation for everything in the bundle the rule refuses.
     *
     * @param bundle the rendered objects
     * @param violations where violations go
     */
    void check(RenderedSet bundle, Violations violations);
  }

  /**
   * Returns a policy of a name and a check.
   *
   * @param name the rule's name
   * @param check the check
   * @return the policy
   */
  static Policy of(String name, Check check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    return new Policy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(RenderedSet bundle, Violations violations) {
        check.check(bundle, violations);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /**
   * Returns this rule reporting every finding with one severity: {@link Severity#WARNING} lets a
   * platform announce a rule before it enforces it.
   *
   * @param severity the severity of every finding
   * @return the rule
   */
  default Policy withSeverity(Severity severity) {
    Objects.requireNonNull(severity, "severity");
    Policy self = this;
    return of(
        name(),
        (bundle, violations) -> {
          Violations own = Violations.root();
          self.check(bundle, own);
          violations.addAll(
              own.all().stream()
                  .map(v -> new Violation(v.path(), v.rejectedValue(), v.message(), severity))
                  .toList());
        });
  }
}
