package io.github.gkeinference.core.policy;

import java.util.List;

/**
 * A platform team's own rule, as a test registers it: {@code teamLabelPrefix} refuses a workload
 * whose {@code team} label does not start with the configured prefix. Listed in {@code
 * META-INF/services} of the test class path, so {@link PolicyFile#read(String)} finds it.
 */
public final class TeamLabelRules implements PolicyRuleProvider {
  /** The settings of {@code teamLabelPrefix}. */
  record TeamLabel(String prefix, int minLength) {
    TeamLabel {
      if (prefix == null || prefix.isEmpty()) {
        throw new IllegalArgumentException("prefix must not be empty");
      }
    }
  }

  static final PolicyRule<TeamLabel> TEAM_LABEL =
      PolicyRule.of(
          "teamLabelPrefix",
          TeamLabel.class,
          s ->
              Policy.of(
                  "teamLabelPrefix",
                  (bundle, v) -> {
                    for (ServedWorkload w : ServedWorkload.all(bundle)) {
                      String team = w.labels().getOrDefault("team", "");
                      v.at(w.path())
                          .require(
                              team.startsWith(s.prefix()) && team.length() >= s.minLength(),
                              "metadata.labels[team]",
                              team,
                              "must start with "
                                  + s.prefix()
                                  + " and be "
                                  + s.minLength()
                                  + " characters or more");
                    }
                  }));

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public TeamLabelRules() {}

  @Override
  public List<PolicyRule<?>> rules() {
    return List.of(TEAM_LABEL);
  }
}
