package io.github.gkeinference.core.policy;

import java.util.Objects;
import java.util.function.Function;

/**
 * A platform's own rule for policy files: its name under {@code rules:}, the type its settings bind
 * to, and how the settings make the {@link Policy}. Register it with a {@link PolicyRuleProvider}
 * (found with {@link java.util.ServiceLoader}) or pass it to {@link PolicyFile#read(String,
 * HourlyPrice, java.util.Collection)}.
 *
 * {@snippet :
 * record TeamLabel(String prefix) {}
 *
 * PolicyRule<TeamLabel> teamLabel =
 *     PolicyRule.of(
 *         "teamLabelPrefix",
 *         TeamLabel.class,
 *         s ->
 *             Policy.of(
 *                 "teamLabelPrefix",
 *                 (bundle, v) -> {
 *                   for (ServedWorkload w : ServedWorkload.all(bundle)) {
 *                     String team = w.labels().getOrDefault("team", "");
 *                     v.at(w.path())
 *                         .require(team.startsWith(s.prefix()), "metadata.labels[team]", team,
 *                             "must start with " + s.prefix());
 *                   }
 *                 }));
 * // policy file:  rules: {teamLabelPrefix: {prefix: ml-, severity: WARNING}}
 * }
 *
 * <p>The settings are bound with Jackson with unknown fields refused and no coercion of scalars; a
 * {@code severity} beside them is read by {@link PolicyFile} and applied with {@link
 * Policy#withSeverity}, so the settings type must not have a field of that name. A rule without
 * settings takes an empty record.
 *
 * @param name the rule's name in policy files; must differ from the ready rules'
 * @param settings the type the settings bind to (a record or a Jackson-bindable class)
 * @param policy makes the policy from the bound settings
 * @param <T> the settings type
 */
public record PolicyRule<T>(String name, Class<T> settings, Function<? super T, Policy> policy) {
  /** Checks the components. */
  public PolicyRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(policy, "policy");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a policy rule needs a name");
    }
  }

  /**
   * Returns a rule.
   *
   * @param name the rule's name in policy files
   * @param settings the type the settings bind to
   * @param policy makes the policy from the settings
   * @param <T> the settings type
   * @return the rule
   */
  public static <T> PolicyRule<T> of(
      String name, Class<T> settings, Function<? super T, Policy> policy) {
    return new PolicyRule<>(name, settings, policy);
  }
}
