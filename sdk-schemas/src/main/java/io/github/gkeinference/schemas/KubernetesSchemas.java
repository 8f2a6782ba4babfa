package io.github.gkeinference.schemas;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates Kubernetes objects against the official schema of their {@code apiVersion}/{@code
 * kind}, as strictly as {@code kubectl apply --validate=strict}.
 *
 * <p>Built-in kinds use the Kubernetes OpenAPI v3 documents in {@code k8s/v1.33/}; custom resources
 * use the CRD schemas listed in {@code index.json}. The schemas ship in this jar ({@link
 * #bundled()}); {@link #of(Path)} reads a folder laid out the same way instead.
 *
 * <p>What the API server does, this does too:
 *
 * <ul>
 *   <li>Unknown fields are rejected in every kind (the upstream documents do not say so themselves,
 *       so every object schema that lists its properties and does not preserve unknown fields gets
 *       {@code additionalProperties: false}).
 *   <li>A custom resource's structural defaults are applied before it is validated, so a required
 *       property that has a default may be omitted, as the API server accepts it.
 *   <li>The rules that schemas do not carry are checked: object names (DNS-1123), label keys and
 *       values, port ranges and resource quantity syntax.
 * </ul>
 *
 * <p>A kind with no schema is a finding, never a pass. Thread-safe; compiled schemas are cached.
 */
public final class KubernetesSchemas {
  /** The classpath folder that holds the bundled schemas. */
  private static final String RESOURCE_ROOT = "/io/github/gkeinference/schemas/";

  private static final Map<Path, KubernetesSchemas> BY_DIR = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern QUANTITY =
      Pattern.compile(
          "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?");

  /** A Go duration as Kubernetes CRDs with {@code format: duration} accept it. */
  private static final String GO_DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|\u00b5s|ms|s|m|h))+$";

  /** Kinds whose names are DNS-1035 labels (Service) or DNS-1123 labels (Namespace). */
  private static final Set<String> LABEL_NAMED_KINDS = Set.of("Service", "Namespace");

  /**
   * RBAC kinds, whose names need only be valid path segments ({@code system:auth-delegator} is
   * one): Kubernetes {@code pkg/apis/rbac/validation} {@code ValidateRBACName} is {@code
   * path.IsValidPathSegmentName}.
   */
  private static final Set<String> PATH_SEGMENT_NAMED_KINDS =
      Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

  private static final Set<String> PORT_FIELDS =
      Set.of("containerPort", "hostPort", "port", "targetPort", "nodePort");
  private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits", "capacity");

  /** Reads one schema file by its path relative to the schema root; null when absent. */
  private interface SchemaFiles {
    @Nullable InputStream open(String relative) throws IOException;

    String describe(String relative);
  }

  private final SchemaFiles files;
  private final Map<String, String> crdFiles = new HashMap<>();
  private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

  /** A compiled schema and, for custom resources, the structural schema its defaults come from. */
  private record Compiled(Schema schema, @Nullable JsonNode structural) {}

  private KubernetesSchemas(SchemaFiles files) {
    this.files = files;
    JsonNode index = document("index.json");
    for (JsonNode crd : index.path("crds")) {
      // index.json lists the newest schema first for a kind served in two bundles
      crdFiles.putIfAbsent(
          crd.path("apiVersion").asString() + "/" + crd.path("kind").asString(),
          crd.path("schemaFile").asString());
    }
  }

  private static final class Bundled {
    static final KubernetesSchemas INSTANCE =
        new KubernetesSchemas(
            new SchemaFiles() {
              @Override
              public @Nullable InputStream open(String relative) {
                return KubernetesSchemas.class.getResourceAsStream(RESOURCE_ROOT + relative);
              }

              @Override
              public String describe(String relative) {
                return "classpath:" + RESOURCE_ROOT + relative;
              }
            });
  }

  /**
   * Returns the validator over the schemas bundled in this jar (their sources, versions and sha256
   * are listed in its {@code index.json} and {@code README.md}).
   *
   * @return the shared validator
   */
  public static KubernetesSchemas bundled() {
    return Bundled.INSTANCE;
  }

  /**
   * Returns the validator for a schema folder laid out like the bundled one ({@code index.json},
   * {@code crds/}, {@code k8s/v1.33/}).
   *
   * @param dir the folder
   * @return the (shared, cached) validator
   * @throws IllegalArgumentException when the folder has no {@code index.json}, naming the folder
   */
  public static KubernetesSchemas of(Path dir) {
    Path normalized = dir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(normalized.resolve("index.json"))) {
      throw new IllegalArgumentException(
          "schema folder "
              + normalized
              + " does not exist or has no index.json (it must be laid out like the bundled"
              + " schemas: index.json, crds/, k8s/v1.33/)");
    }
    return BY_DIR.computeIfAbsent(
        normalized,
        d ->
            new KubernetesSchemas(
                new SchemaFiles() {
                  @Override
                  public @Nullable InputStream open(String relative) throws IOException {
                    Path file = d.resolve(relative);
                    return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
                  }

                  @Override
                  public String describe(String relative) {
                    return d.resolve(relative).toString();
                  }
                }));
  }

  /**
   * Returns whether a schema exists for this kind.
   *
   * @param apiVersion for example {@code apps/v1}
   * @param kind for example {@code Deployment}
   * @return whether it can be validated
   */
  public boolean knows(String apiVersion, String kind) {
    try {
      return compiled(apiVersion, kind) != null;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Validates one object: a fabric8 object, one of the SDK's typed resources, or a JSON tree (for
   * example one document of a YAML file). The object is not changed.
   *
   * @param object the object
   * @return every finding; empty when the object is valid
   */
  public List<SchemaFinding> validate(Object object) {
    JsonNode tree =
        object instanceof JsonNode node ? node : SERIALIZATION.convertValue(object, JsonNode.class);
    return validateTree(withoutNulls(tree));
  }

  private List<SchemaFinding> validateTree(JsonNode tree) {
    String apiVersion = tree.path("apiVersion").asString("");
    String kind = tree.path("kind").asString("");
    String name = tree.path("metadata").path("name").asString("");
    String resource = (kind.isEmpty() ? "?" : kind) + "/" + (name.isEmpty() ? "?" : name);
    List<SchemaFinding> findings = new ArrayList<>();
    Compiled schema = compiled(apiVersion, kind);
    if (schema == null) {
      findings.add(
          new SchemaFinding(
              resource, "$", "no schema for apiVersion '" + apiVersion + "' kind '" + kind + "'"));
      return findings;
    }
    if (schema.structural() != null) {
      applyDefaults(schema.structural(), tree);
    }
    for (Error e : schema.schema().validate(tree)) {
      findings.add(new SchemaFinding(resource, jsonPath(e.getInstanceLocation()), e.getMessage()));
    }
    apiServerRules(tree, kind, resource, findings);
    return findings;
  }

  /**
   * Fills in the defaults of a structural schema where the object lacks the property, as the API
   * server does for custom resources before it validates them. Structural schemas keep defaults out
   * of {@code allOf}/{@code anyOf}/{@code oneOf}, so properties, items and additionalProperties are
   * all there is to follow. Works on the caller's private copy of the tree.
   */
  private static void applyDefaults(JsonNode schema, JsonNode instance) {
    if (instance instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Map.Entry<String, JsonNode> p : properties.properties()) {
        JsonNode def = p.getValue().get("default");
        if (!object.has(p.getKey()) && def != null) {
          object.set(p.getKey(), def.deepCopy());
        }
        JsonNode child = object.get(p.getKey());
        if (child != null) {
          applyDefaults(p.getValue(), child);
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
          if (!properties.has(e.getKey())) {
            applyDefaults(additional, e.getValue());
          }
        }
      }
    } else if (instance.isArray() && schema.path("items").isObject()) {
      for (JsonNode item : instance) {
        applyDefaults(schema.path("items"), item);
      }
    }
  }

  /** Writes a node path as {@code $.spec.containers[0].name}, the form the SDK uses everywhere. */
  private static String jsonPath(NodePath path) {
    StringBuilder text = new StringBuilder("$");
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        text.append('.').append(element);
      }
    }
    return text.toString();
  }

  private void apiServerRules(
      JsonNode tree, String kind, String resource, List<SchemaFinding> findings) {
    String name = tree.path("metadata").path("name").asString("");
    if (name.isEmpty()) {
      findings.add(new SchemaFinding(resource, "$.metadata.name", "is required"));
    } else if (PATH_SEGMENT_NAMED_KINDS.contains(kind)) {
      if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
        findings.add(
            new SchemaFinding(
                resource,
                "$.metadata.name",
                "'"
                    + name
                    + "' is not a valid path segment name (not '.' or '..', no '/' or '%')"));
      }
    } else if (LABEL_NAMED_KINDS.contains(kind)) {
      Pattern p = kind.equals("Service") ? DNS_1035_LABEL : DNS_LABEL;
      if (name.length() > 63 || !p.matcher(name).matches()) {
        findings.add(
            new SchemaFinding(
                resource,
                "$.metadata.name",
                "'"
                    + name
                    + "' is not a valid DNS label (lower case, digits and '-', at most 63)"));
      }
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      findings.add(
          new SchemaFinding(
              resource,
              "$.metadata.name",
              "'"
                  + name
                  + "' is not a valid DNS-1123 subdomain (lower case, digits, '-' and '.', at most 253)"));
    }
    walk(tree, "$", null, resource, findings);
  }

  private void walk(
      JsonNode node,
      String path,
      @Nullable String key,
      String resource,
      List<SchemaFinding> findings) {
    if (node.isObject()) {
      if (("labels".equals(key) || "matchLabels".equals(key))) {
        node.properties()
            .forEach(e -> checkLabel(e.getKey(), e.getValue(), path, resource, findings));
      }
      if ("annotations".equals(key)) {
        node.properties()
            .forEach(
                e -> checkQualifiedName(e.getKey(), path, "annotation key", resource, findings));
      }
      if (key != null && QUANTITY_MAPS.contains(key)) {
        node.properties()
            .forEach(e -> checkQuantity(e.getValue(), path + "." + e.getKey(), resource, findings));
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path + "." + e.getKey();
        JsonNode value = e.getValue();
        if (PORT_FIELDS.contains(e.getKey()) && value.isIntegralNumber()) {
          int port = value.asInt();
          boolean hostPortUnset = e.getKey().equals("hostPort") && port == 0;
          if (!hostPortUnset && (port < 1 || port > 65535)) {
            findings.add(
                new SchemaFinding(resource, child, port + " is not a valid port (1-65535)"));
          }
        }
        if (e.getKey().equals("sizeLimit")) {
          checkQuantity(value, child, resource, findings);
        }
        walk(value, child, e.getKey(), resource, findings);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", key, resource, findings);
      }
    }
  }

  private static void checkLabel(
      String labelKey, JsonNode value, String path, String resource, List<SchemaFinding> findings) {
    checkQualifiedName(labelKey, path, "label key", resource, findings);
    String v = value.asString("");
    if (!v.isEmpty() && (v.length() > 63 || !LABEL_NAME.matcher(v).matches())) {
      findings.add(
          new SchemaFinding(
              resource,
              path + "." + labelKey,
              "label value '"
                  + v
                  + "' is invalid (at most 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric)"));
    }
  }

  private static void checkQualifiedName(
      String key, String path, String what, String resource, List<SchemaFinding> findings) {
    int slash = key.lastIndexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean ok = name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    if (slash >= 0) {
      ok &= !prefix.isEmpty() && prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches();
    }
    if (!ok) {
      findings.add(
          new SchemaFinding(
              resource,
              path + "." + key,
              what
                  + " '"
                  + key
                  + "' is invalid (optional DNS prefix and '/', then at most 63 alphanumerics, '-', '_', '.')"));
    }
  }

  private static void checkQuantity(
      JsonNode value, String path, String resource, List<SchemaFinding> findings) {
    if (value.isNumber()) {
      return;
    }
    String q = value.asString("");
    if (!QUANTITY.matcher(q).matches()) {
      findings.add(
          new SchemaFinding(resource, path, "'" + q + "' is not a valid resource quantity"));
    }
  }

  private @Nullable Compiled compiled(String apiVersion, String kind) {
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return null;
    }
    String id = apiVersion + "/" + kind;
    Compiled cached = compiled.get(id);
    if (cached != null) {
      return cached;
    }
    Compiled result;
    if (crdFiles.containsKey(id)) {
      JsonNode structural = document(crdFiles.get(id));
      JsonNode strict = structural.deepCopy();
      strict(strict);
      result = new Compiled(registry.getSchema(strict), structural);
    } else {
      JsonNode builtin = builtinSchema(apiVersion, kind);
      if (builtin == null) {
        return null;
      }
      result = new Compiled(registry.getSchema(builtin), null);
    }
    compiled.put(id, result);
    return result;
  }

  private @Nullable JsonNode builtinSchema(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    String file =
        group.isEmpty()
            ? "k8s/v1.33/api__" + version + "_openapi.json"
            : "k8s/v1.33/apis__" + group + "__" + version + "_openapi.json";
    JsonNode doc = optionalDocument(file);
    if (doc == null) {
      return null;
    }
    JsonNode components = doc.path("components");
    @Nullable String found = null;
    for (Map.Entry<String, JsonNode> e : components.path("schemas").properties()) {
      for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
        if (gvk.path("group").asString().equals(group)
            && gvk.path("version").asString().equals(version)
            && gvk.path("kind").asString().equals(kind)) {
          found = e.getKey();
        }
      }
    }
    if (found == null) {
      return null;
    }
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    wrapper.put("$ref", "#/components/schemas/" + found);
    JsonNode strictComponents = components.deepCopy();
    strict(strictComponents);
    wrapper.set("components", strictComponents);
    return wrapper;
  }

  /** The combinators whose branches only constrain the object that holds them. */
  private static final Set<String> COMBINATORS = Set.of("allOf", "anyOf", "oneOf", "not");

  /**
   * Adds {@code additionalProperties: false} to every closed object schema, and drops {@code
   * format}: Kubernetes formats ({@code duration} as a Go duration such as {@code 15s}, {@code
   * int-or-string}, {@code int32}) do not mean what JSON Schema's formats mean. A branch of {@code
   * allOf}/{@code anyOf}/{@code oneOf}/{@code not} is not closed: it lists only the properties it
   * constrains (Gateway API's {@code addresses} items: a {@code oneOf} branch names {@code type}
   * alone), and the object that holds the combinator is closed already.
   */
  private static void strict(JsonNode node) {
    strict(node, true);
  }

  private static void strict(JsonNode node, boolean close) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if ("duration".equals(o.path("format").asString("")) && !o.has("pattern")) {
        // Kubernetes' "duration" format is Go's time.ParseDuration ("15s", "1m30s"), not the
        // ISO 8601 duration JSON Schema means; check it with a pattern instead.
        o.put("pattern", GO_DURATION);
      }
      if (o.path("format").isString()) {
        o.remove("format");
      }
      if (close
          && o.has("properties")
          && o.get("properties").isObject()
          && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        o.put("additionalProperties", false);
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        boolean branch = COMBINATORS.contains(e.getKey());
        if (branch && e.getValue().isArray()) {
          e.getValue().forEach(b -> strict(b, false));
        } else {
          strict(e.getValue(), !branch);
        }
      }
    } else if (node.isArray()) {
      node.forEach(KubernetesSchemas::strict);
    }
  }

  private JsonNode document(String file) {
    JsonNode doc = optionalDocument(file);
    if (doc == null) {
      throw new UncheckedIOException(
          new IOException("schema file " + files.describe(file) + " is missing"));
    }
    return doc;
  }

  private @Nullable JsonNode optionalDocument(String file) {
    JsonNode cached = documents.get(file);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = files.open(file)) {
      if (in == null) {
        return null;
      }
      JsonNode doc = JSON.readTree(in);
      documents.put(file, doc);
      return doc;
    } catch (IOException | JacksonException e) {
      throw new UncheckedIOException(
          "cannot read schema file " + files.describe(file), new IOException(e));
    }
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties()
          .forEach(
              e -> {
                if (!e.getValue().isNull()) {
                  copy.set(e.getKey(), withoutNulls(e.getValue()));
                }
              });
      return copy;
    }
    if (node.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> copy.add(withoutNulls(n)));
      return copy;
    }
    return node;
  }
}
