package io.github.gkeinference.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A platform's own rule in a policy file: registered through the ServiceLoader or in code. */
class PolicyRuleTest {
  private static final String FILE =
      """
      kind: Policy
      name: team
      rules:
        maxReplicas: {max: 4}
        teamLabelPrefix: {prefix: ml-, minLength: 5}
      """;

  /** {@link PolicyRulesTest#BUNDLE} has no team label; this adds one to the Deployment. */
  private static List<Violation> check(PolicySet set, String teamLabel) {
    String yaml =
        PolicyRulesTest.BUNDLE.replace(
            "labels: {cost-center: cc-1}", "labels: {cost-center: cc-1, team: " + teamLabel + "}");
    assertThat(yaml).contains("team: " + teamLabel);
    return set.check(PolicyRulesTest.bundle(yaml));
  }

  @Test
  void read_customRuleFromServiceLoader_checksBesideTheReadyRules() {
    PolicySet set = PolicyFile.read(FILE);
    assertThat(set.policies())
        .extracting(Policy::name)
        .containsExactly("maxReplicas", "teamLabelPrefix");
    assertThat(check(set, "ml-serving")).isEmpty();
    List<Violation> found = check(set, "web-serving");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).path()).isEqualTo("Deployment/ml/vllm.metadata.labels[team]");
    assertThat(found.get(0).message()).contains("must start with ml-");
    assertThat(found.get(0).severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void read_customRuleWithSeverity_warns() {
    PolicySet set =
        PolicyFile.read(FILE.replace("minLength: 5}", "minLength: 5, severity: WARNING}"));
    assertThat(check(set, "web")).extracting(Violation::severity).containsExactly(Severity.WARNING);
  }

  @Test
  void read_customRulePassedInCode_withoutProvider() {
    PolicyRule<NoSettings> noGateways =
        PolicyRule.of(
            "noGateways",
            NoSettings.class,
            s ->
                Policy.of(
                    "noGateways",
                    (bundle, v) ->
                        bundle.kubernetesResources().stream()
                            .filter(r -> r.kind().equals("Gateway"))
                            .forEach(r -> v.error("Gateway/" + r.name(), null, "no"))));
    PolicySet set =
        PolicyFile.read("kind: Policy\nrules:\n  noGateways: {}\n", null, List.of(noGateways));
    assertThat(set.check(PolicyRulesTest.bundle(PolicyRulesTest.BUNDLE)))
        .extracting(Violation::path)
        .containsExactly("Gateway/inference");
  }

  /** A rule without settings. */
  record NoSettings() {}

  @Test
  void read_badCustomSettingsAndUnknownRule_reportsOneErrorEachWithItsPath() {
    String bad =
        """
        kind: Policy
        rules:
          teamLabelPrefx: {prefix: ml-}
          teamLabelPrefix: {prefix: [ml-], minLength: five, colour: red}
        """;
    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> PolicyFile.read(bad));
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly(
            "rules.teamLabelPrefx",
            "rules.teamLabelPrefix.prefix",
            "rules.teamLabelPrefix.minLength",
            "rules.teamLabelPrefix.colour");
    // the unknown rule's message names the custom rule among the known ones
    assertThat(e.violations().get(0).message()).contains("teamLabelPrefix").contains("maxReplicas");
  }

  @Test
  void read_settingsTheRuleRefuses_isOneErrorAtTheRule() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> PolicyFile.read("kind: Policy\nrules:\n  teamLabelPrefix: {minLength: 3}\n"));
    assertThat(e.violations()).hasSize(1);
    assertThat(e.violations().get(0).path()).isEqualTo("rules.teamLabelPrefix");
    assertThat(e.violations().get(0).message()).contains("prefix must not be empty");
  }

  @Test
  void read_customRuleNamedLikeAReadyRule_isAProgrammingError() {
    PolicyRule<NoSettings> clash =
        PolicyRule.of("maxReplicas", NoSettings.class, s -> Policy.of("x", (b, v) -> {}));
    assertThatThrownBy(() -> PolicyFile.read("kind: Policy\n", null, List.of(clash)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxReplicas");
  }
}
