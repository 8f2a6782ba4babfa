package io.github.gkeinference.core.policy;

import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
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
   * Returns the names of the rules a policy file may set.
   *
   * @return the rule names, in documentation order
   */
  public static List<String> ruleNames() {
    return List.copyOf(RULES.keySet());
  }

  /**
   * Reads a policy file without prices: a file that sets {@code maxHourlyUsd} is refused.
   *
   * @param text the YAML or JSON text
   * @return the policies
   * @throws SdkValidationException listing every problem with its path
   */
  public static PolicySet read(String text) {
    return read(text, null);
  }

  /**
   * Reads a policy file.
   *
   * @param text the YAML or JSON text
   * @param prices the device prices {@code maxHourlyUsd} uses, or {@code null} when there are none
   * @return the policies
   * @throws SdkValidationException listing every problem with its path
   */
  public static PolicySet read(String text, @Nullable HourlyPrice prices) {
    Objects.requireNonNull(text, "text");
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
            if (binding == null) {
              v.at("rules")
                  .error(rule.getKey(), null, "is not a policy rule; known rules: " + ruleNames());
              continue;
            }
            bind(binding, rule.getValue(), prices, v.at("rules").at(rule.getKey()))
                .ifPresent(policies::add);
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
