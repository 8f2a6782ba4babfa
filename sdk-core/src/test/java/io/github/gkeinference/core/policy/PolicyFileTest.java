package io.github.gkeinference.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Policy files: binding, errors with paths, and agreement with the published JSON Schema. */
class PolicyFileTest {
  /** Sets every rule the file knows, so the schema and the binder are compared on all of them. */
  static final String EVERY_RULE =
      """
      kind: Policy
      name: prod
      rules:
        allowedAccelerators: {accelerators: [nvidia-l4]}
        allowedRegions: {regions: [us-central1]}
        maxDevicesPerReplica: {max: 1}
        maxDevicesPerService: {max: 4}
        maxReplicas: {max: 4}
        requiredLabels: {labels: [cost-center]}
        allowedRegistries: {registries: [us-docker.pkg.dev/vertex-ai]}
        spotAllowed: {allowed: false}
        flexStartAllowed: {allowed: false}
        externalGatewaysAllowed: {allowed: false}
        maxHourlyUsd: {usd: 3.0, severity: WARNING}
      """;

  private static Schema schema() {
    JsonNode node = JsonMapper.shared().readTree(PolicyFile.schema());
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
  }

  private static List<Error> schemaErrors(String yaml) {
    return schema().validate(YamlDocuments.read(yaml).get(0));
  }

  @Test
  void read_everyRule_bindsEveryRuleAndValidatesAgainstSchema() {
    PolicySet set = PolicyFile.read(EVERY_RULE, PolicyRulesTest.PRICES);
    assertThat(set.name()).isEqualTo("prod");
    assertThat(set.policies())
        .extracting(Policy::name)
        .containsExactlyInAnyOrderElementsOf(PolicyFile.ruleNames());
    assertThat(schemaErrors(EVERY_RULE)).isEmpty();
  }

  @Test
  void read_everyRule_actsLikeTheRulesInJava() {
    PolicySet set = PolicyFile.read(EVERY_RULE, PolicyRulesTest.PRICES);
    assertThat(set.check(PolicyRulesTest.bundle(PolicyRulesTest.BUNDLE))).isEmpty();
    List<Violation> found =
        set.check(
            PolicyRulesTest.bundle(
                PolicyRulesTest.BUNDLE.replace("type: nvidia-l4", "type: nvidia-h100-80gb")));
    // the H100 has no price in the test list: the budget warns (as the file asks), the
    // accelerator rule refuses
    assertThat(found)
        .extracting(Violation::severity)
        .containsExactlyInAnyOrder(Severity.ERROR, Severity.WARNING);
  }

  @Test
  void read_threeProblems_reportsOneErrorEachWithItsPath() {
    String bad =
        """
        kind: Policy
        rules:
          allowedGpus: {accelerators: [nvidia-l4]}
          maxReplicas: {max: eight}
          spotAllowed: {allowed: false, zones: [a]}
        """;
    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> PolicyFile.read(bad));
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("rules.allowedGpus", "rules.maxReplicas.max", "rules.spotAllowed.zones");
    assertThat(e.violations().get(0).message()).contains("not a policy rule");
    assertThat(e.violations().get(1).message()).contains("wrong type");
    assertThat(e.violations().get(2).message()).contains("not a setting");
    // the schema refuses the same file, at the same three places
    assertThat(schemaErrors(bad)).isNotEmpty();
    assertThat(schemaErrors(bad).toString())
        .contains("allowedGpus")
        .contains("/rules/maxReplicas/max")
        .contains("zones");
  }

  @Test
  void read_wrongTypesInsideOneRule_reportsEach() {
    String bad =
        """
        kind: Policy
        rules:
          allowedRegions: {regions: us-central1, severity: LOUD}
        """;
    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> PolicyFile.read(bad));
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("rules.allowedRegions.regions", "rules.allowedRegions.severity");
  }

  @Test
  void read_missingSettingAndUnknownTopField_reportsBoth() {
    String bad =
        """
        kind: Policy
        owner: platform
        rules:
          maxReplicas: {severity: WARNING}
        """;
    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> PolicyFile.read(bad));
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("owner", "rules.maxReplicas.max");
  }

  @Test
  void read_budgetWithoutPrices_isRefused() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> PolicyFile.read("kind: Policy\nrules: {maxHourlyUsd: {usd: 10}}\n"));
    assertThat(e.violations())
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("rules.maxHourlyUsd");
  }

  @Test
  void schema_namesExactlyTheRulesTheFileBinds() {
    JsonNode rules =
        JsonMapper.shared()
            .readTree(PolicyFile.schema())
            .path("properties")
            .path("rules")
            .path("properties");
    assertThat(rules.propertyNames()).containsExactlyInAnyOrderElementsOf(PolicyFile.ruleNames());
  }
}
