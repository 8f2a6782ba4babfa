package io.github.gkeinference.core.policy;

import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a policy file: YAML or JSON that names the ready rules of {@link PolicyRules} and their
 * settings. Its JSON Schema is {@link #schema()}.
 *
 * <pre>{@code
 * kind: Policy
 * name: prod
 * rules:
 *   allowedAccelerators: {accelerators: [nvidia-l4, nvidia-h100-80gb]}
 *   maxDevicesPerService: {max: 8}
 *   requiredLabels: {labels: [cost-center], severity: WARNING}
 * }</pre>
 *
 * <p>Every problem of a file (an unknown rule or field, a value of the wrong type, a missing
 * setting) is reported with its path, all at once, in one {@link SdkValidationException}.
 *
 * <p>A platform's own rules ({@link PolicyRule}) are named in the same {@code rules:} map: register
 * them with a {@link PolicyRuleProvider} or pass them to {@link #read(String, HourlyPrice,
 * Collection)}. The published schema describes the ready rules only; a file with custom rules is
 * checked by this reader, which knows them.
 */
public final class PolicyFile {
  /** The value of a policy file's {@code kind}. */
  public static final String KIND = "Policy";

  /** The classpath resource of the policy file's JSON Schema (draft 2020-12). */
  public static final String SCHEMA_RESOURCE =
      "/io/github/gkeinference/core/policy/policy.schema.json";

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  /** A rule taking a list of names. */
  record Names(
      @Nullable List<String> accelerators,
      @Nullable List<String> regions,
      @Nullable List<String> labels,
      @Nullable List<String> registries,
      @Nullable Severity severity) {}

  /** A rule taking a limit. */
  record Limit(@Nullable Integer max, @Nullable Severity severity) {}

  /** A rule that allows or refuses something. */
  record Allowed(@Nullable Boolean allowed, @Nullable Severity severity) {}

  /** A budget. */
  record Budget(@Nullable Double usd, @Nullable Severity severity) {}

  /** How one rule of the file binds: its settings' type and how they make the policy. */
  private record Binding<T>(
      Class<T> type, String field, BiFunction<T, @Nullable HourlyPrice, Optional<Policy>> make) {}

  private static final Map<String, Binding<?>> RULES = new LinkedHashMap<>();

  static {
    names("allowedAccelerators", "accelerators", PolicyRules::allowedAccelerators);
    names("allowedRegions", "regions", PolicyRules::allowedRegions);
    names("requiredLabels", "labels", PolicyRules::requiredLabels);
    names("allowedRegistries", "registries", PolicyRules::allowedRegistries);
    limit("maxDevicesPerReplica", PolicyRules::maxDevicesPerReplica);
    limit("maxDevicesPerService", PolicyRules::maxDevicesPerService);
    limit("maxReplicas", PolicyRules::maxReplicas);
    allowed("spotAllowed", PolicyRules::spotAllowed);
    allowed("flexStartAllowed", PolicyRules::flexStartAllowed);
    allowed("externalGatewaysAllowed", PolicyRules::externalGatewaysAllowed);
    RULES.put(
        "maxHourlyUsd",
        new Binding<>(
            Budget.class,
            "usd",
            (b, price) ->
                b.usd() == null || price == null
                    ? Optional.empty()
                    : Optional.of(PolicyRules.maxHourlyUsd(b.usd(), price))));
  }

  private PolicyFile() {}

  /**
   * Returns the names of the ready rules a policy file may set ({@link PolicyRules}); custom rules
   * ({@link PolicyRule}) come on top.
   *
   * @return the rule names, in documentation order
   */
  public static List<String> ruleNames() {
    return List.copyOf(RULES.keySet());
  }

  /**
   * Reads a policy file without prices (a file that sets {@code maxHourlyUsd} is refused), with the
   * ready rules and those of every {@link PolicyRuleProvider} on the class path.
   *
   * @param text the YAML or JSON text
   * @return the policies
   * @throws SdkValidationException listing every problem with its path
   */
  public static PolicySet read(String text) {
    return read(text, null);
  }

  /**
   * Reads a policy file with the ready rules and the rules of every {@link PolicyRuleProvider} on
   * the class path (found with {@link ServiceLoader}).
   *
   * @param text the YAML or JSON text
   * @param prices the device prices {@code maxHourlyUsd} uses, or {@code null} when there are none
   * @return the policies
   * @throws SdkValidationException listing every problem with its path
   * @throws IllegalArgumentException when a provided rule's name is taken
   */
  public static PolicySet read(String text, @Nullable HourlyPrice prices) {
    return read(text, prices, providedRules());
  }

  /**
   * Reads a policy file with the ready rules and exactly these rules of the caller's: what a tool
   * that registers its rules in code (no {@link PolicyRuleProvider}) calls.
   *
   * @param text the YAML or JSON text
   * @param prices the device prices {@code maxHourlyUsd} uses, or {@code null} when there are none
   * @param custom the caller's rules
   * @return the policies
   * @throws SdkValidationException listing every problem with its path
   * @throws IllegalArgumentException when two rules share a name, or one has a ready rule's name
   */
  public static PolicySet read(
      String text, @Nullable HourlyPrice prices, Collection<? extends PolicyRule<?>> custom) {
    Objects.requireNonNull(text, "text");
    Map<String, PolicyRule<?>> own = byName(custom);
    List<String> known = new ArrayList<>(RULES.keySet());
    known.addAll(own.keySet());
    Violations v = Violations.root();
    List<JsonNode> docs = YamlDocuments.read(text);
    if (docs.size() != 1 || !docs.get(0).isObject()) {
      v.error("", docs.size() + " documents", "a policy file is one YAML or JSON object");
      v.throwIfErrors();
    }
    JsonNode root = docs.get(0);
    String name = "policy";
    List<Policy> policies = new ArrayList<>();
    boolean sawKind = false;
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "kind" -> {
          sawKind = true;
          v.require(
              value.isString() && value.asString().equals(KIND),
              "kind",
              value.toString(),
              "must be " + KIND);
        }
        case "name" -> {
          if (value.isString() && !value.asString().isBlank()) {
            name = value.asString();
          } else {
            v.error("name", value.toString(), "must be a non-empty string");
          }
        }
        case "rules" -> {
          if (!value.isObject()) {
            v.error("rules", value.toString(), "must be a map of rule name to its settings");
            continue;
          }
          for (Map.Entry<String, JsonNode> rule : value.properties()) {
            Binding<?> binding = RULES.get(rule.getKey());
            PolicyRule<?> custom1 = own.get(rule.getKey());
            Violations at = v.at("rules").at(rule.getKey());
            if (binding != null) {
              bind(binding, rule.getValue(), prices, at).ifPresent(policies::add);
            } else if (custom1 != null) {
              bindCustom(custom1, rule.getValue(), at).ifPresent(policies::add);
            } else {
              v.at("rules")
                  .error(rule.getKey(), null, "is not a policy rule; known rules: " + known);
            }
          }
        }
        default ->
            v.error(field.getKey(), null, "is not a field of a policy file (kind, name, rules)");
      }
    }
    v.require(sawKind, "kind", null, "is required: " + KIND);
    v.throwIfErrors();
    return PolicySet.of(name, policies);
  }

  /** Returns the rules of every {@link PolicyRuleProvider} on the class path. */
  static List<PolicyRule<?>> providedRules() {
    List<PolicyRule<?>> all = new ArrayList<>();
    for (PolicyRuleProvider provider :
        ServiceLoader.load(PolicyRuleProvider.class, PolicyFile.class.getClassLoader())) {
      all.addAll(provider.rules());
    }
    return all;
  }

  /**
   * Returns the settings of a record type, its component names: checked before binding, because
   * Jackson runs a record's constructor (and its checks) before it reports an unknown field.
   */
  private static Optional<List<String>> settingNames(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    return components == null
        ? Optional.empty()
        : Optional.of(Arrays.stream(components).map(RecordComponent::getName).toList());
  }

  private static Map<String, PolicyRule<?>> byName(Collection<? extends PolicyRule<?>> custom) {
    Map<String, PolicyRule<?>> byName = new LinkedHashMap<>();
    for (PolicyRule<?> rule : custom) {
      if (RULES.containsKey(rule.name())
          || rule.name().equals("severity")
          || byName.put(rule.name(), rule) != null) {
        throw new IllegalArgumentException(
            "two policy rules are named " + rule.name() + " (custom rules need their own names)");
      }
    }
    return byName;
  }

  /**
   * Binds a custom rule's settings, each setting alone first so that every wrong type and unknown
   * field is reported, then all together.
   */
  private static <T> Optional<Policy> bindCustom(PolicyRule<T> rule, JsonNode node, Violations v) {
    if (!node.isObject()) {
      v.error("", node.toString(), "must be a map of the rule's settings (and severity)");
      return Optional.empty();
    }
    ObjectNode settings = MAPPER.createObjectNode();
    Severity severity = null;
    boolean ok = true;
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      ObjectNode alone = MAPPER.createObjectNode();
      alone.set(f.getKey(), f.getValue());
      try {
        if (f.getKey().equals("severity")) {
          severity = MAPPER.treeToValue(f.getValue(), Severity.class);
        } else if (!settingNames(rule.settings()).map(n -> n.contains(f.getKey())).orElse(true)) {
          v.error(
              f.getKey(),
              null,
              "is not a setting of this rule ("
                  + String.join(", ", settingNames(rule.settings()).orElseThrow())
                  + ", severity)");
          ok = false;
        } else {
          MAPPER.treeToValue(alone, rule.settings());
          settings.set(f.getKey(), f.getValue());
        }
      } catch (MismatchedInputException e) {
        v.error(
            f.getKey() + path(e.getPath()),
            f.getValue().toString(),
            "is not a setting of this rule or has the wrong type: "
                + firstLine(e.getOriginalMessage()));
        ok = false;
      } catch (JacksonException e) {
        // alone, a setting may fail the settings type's own checks (another one missing): the
        // binding of all settings below reports those
      }
    }
    if (!ok) {
      return Optional.empty();
    }
    Policy policy;
    try {
      policy = rule.policy().apply(MAPPER.treeToValue(settings, rule.settings()));
    } catch (JacksonException | IllegalArgumentException e) {
      String message =
          e instanceof JacksonException j ? firstLine(j.getOriginalMessage()) : e.getMessage();
      v.error("", node.toString(), "is not valid for this rule: " + message);
      return Optional.empty();
    }
    Objects.requireNonNull(policy, () -> "rule " + rule.name() + " made no policy");
    return Optional.of(severity == null ? policy : policy.withSeverity(severity));
  }

  private static <T> Optional<Policy> bind(
      Binding<T> binding, JsonNode node, @Nullable HourlyPrice prices, Violations v) {
    if (!node.isObject()) {
      v.error("", node.toString(), "must be a map with '" + binding.field() + "'");
      return Optional.empty();
    }
    boolean ok = true;
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!f.getKey().equals(binding.field()) && !f.getKey().equals("severity")) {
        v.error(
            f.getKey(), null, "is not a setting of this rule (" + binding.field() + ", severity)");
        ok = false;
        continue;
      }
      // each setting alone, so that every wrong type is reported, not only the first
      ObjectNode alone = MAPPER.createObjectNode();
      alone.set(f.getKey(), f.getValue());
      try {
        MAPPER.treeToValue(alone, binding.type());
      } catch (JacksonException e) {
        v.error(
            f.getKey() + path(e.getPath()),
            f.getValue().toString(),
            "has the wrong type: " + firstLine(e.getOriginalMessage()));
        ok = false;
      }
    }
    JsonNode given = node.get(binding.field());
    if (given == null) {
      v.error(binding.field(), null, "is required");
      ok = false;
    }
    if (!ok || given == null) {
      return Optional.empty();
    }
    T settings = MAPPER.treeToValue(node, binding.type());
    if (given.isNumber() && given.asDouble() < 0) {
      v.error(binding.field(), given.toString(), "must be zero or more");
      return Optional.empty();
    }
    if (binding.type() == Budget.class && prices == null) {
      v.error("", null, "needs device prices; read the file with PolicyFile.read(text, prices)");
      return Optional.empty();
    }
    Optional<Policy> policy = binding.make().apply(settings, prices);
    Severity severity = severity(settings);
    return severity == null ? policy : policy.map(p -> p.withSeverity(severity));
  }

  private static @Nullable Severity severity(Object settings) {
    if (settings instanceof Names n) {
      return n.severity();
    } else if (settings instanceof Limit l) {
      return l.severity();
    } else if (settings instanceof Allowed a) {
      return a.severity();
    } else if (settings instanceof Budget b) {
      return b.severity();
    }
    return null;
  }

  /**
   * Returns the JSON Schema (draft 2020-12) of a policy file.
   *
   * @return the schema as JSON text
   */
  public static String schema() {
    try (InputStream in = PolicyFile.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      return new String(
          Objects.requireNonNull(in, SCHEMA_RESOURCE).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path below the setting itself: list indexes only, the setting's name comes first. */
  private static String path(List<JacksonException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference r :
        references.subList(Math.min(1, references.size()), references.size())) {
      if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      } else if (r.getPropertyName() != null) {
        path.append('.').append(r.getPropertyName());
      }
    }
    return path.toString();
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static void names(
      String rule, String field, java.util.function.Function<List<String>, Policy> make) {
    RULES.put(
        rule,
        new Binding<>(
            Names.class,
            field,
            (n, price) ->
                Optional.ofNullable(
                        switch (field) {
                          case "accelerators" -> n.accelerators();
                          case "regions" -> n.regions();
                          case "labels" -> n.labels();
                          default -> n.registries();
                        })
                    .map(make)));
  }

  private static void limit(String rule, java.util.function.IntFunction<Policy> make) {
    RULES.put(
        rule,
        new Binding<>(
            Limit.class, "max", (l, price) -> Optional.ofNullable(l.max()).map(make::apply)));
  }

  private static void allowed(String rule, java.util.function.Function<Boolean, Policy> make) {
    RULES.put(
        rule,
        new Binding<>(
            Allowed.class, "allowed", (a, price) -> Optional.ofNullable(a.allowed()).map(make)));
  }
}
