package io.github.gkeinference.core.policy;

import java.util.List;

/**
 * Contributes a platform's own rules to policy files: list the implementation in {@code
 * META-INF/services/io.github.gkeinference.core.policy.PolicyRuleProvider} of a jar on the class
 * path, and {@link PolicyFile#read(String, HourlyPrice)} (so the CLI's {@code --policy}) knows the
 * rules by name.
 */
public interface PolicyRuleProvider {
  /**
   * Returns the rules.
   *
   * @return the rules; their names differ from each other and from the ready rules'
   */
  List<PolicyRule<?>> rules();
}
