package io.github.gkeinference.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
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
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates rendered Kubernetes objects against the official schema of their {@code
 * apiVersion}/{@code kind}, as strictly as {@code kubectl apply --validate=strict}.
 *
 * <p>Built-in kinds use the Kubernetes OpenAPI v3 documents in {@code k8s/v1.33/}; custom resources
 * use the CRD schemas listed in {@code index.json}. Unknown fields are rejected in every kind (the
 * upstream documents do not say so themselves, so the validator adds {@code additionalProperties:
 * false} to every object schema that lists its properties and does not preserve unknown fields). On
 * top of the schemas it checks the API server's own rules that schemas do not carry: object names
 * (DNS-1123), label keys and values, port ranges and resource quantity syntax. A kind with no
 * schema is a finding, never a pass.
 *
 * <p>Thread-safe; compiled schemas are cached.
 */
public final class SchemaValidator {
  private static final Map<Path, SchemaValidator> SHARED = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
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

  private static final Set<String> PORT_FIELDS =
      Set.of("containerPort", "hostPort", "port", "targetPort", "nodePort");
  private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits", "capacity");

  private final Path dir;
  private final Map<String, String> crdFiles = new HashMap<>();
  private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

  private SchemaValidator(Path dir) {
    this.dir = dir;
    JsonNode index = read("index.json");
    for (JsonNode crd : index.path("crds")) {
      // index.json lists the newest schema first for a kind served in two bundles
      crdFiles.putIfAbsent(
          crd.path("apiVersion").asString() + "/" + crd.path("kind").asString(),
          crd.path("schemaFile").asString());
    }
  }

  /**
   * Returns the validator for a schema folder.
   *
   * @param schemasDir the folder laid out as {@code ../shared/schemas}
   * @return the (shared, cached) validator
   */
  public static SchemaValidator of(Path schemasDir) {
    return SHARED.computeIfAbsent(schemasDir.toAbsolutePath().normalize(), SchemaValidator::new);
  }

  /**
   * Returns the validator for the configured schema folder, or skips the calling test with a
   * visible message when the folder is absent; when {@code gkeinference.schemas.required=true} an
   * absent folder fails the test instead.
   *
   * @return the validator
   */
  public static SchemaValidator forTests() {
    Path dir = TestSettings.schemasDir();
    if (!Files.isRegularFile(dir.resolve("index.json"))) {
      String message =
          "Schema folder not found at "
              + dir
              + " (set -Dgkeinference.schemas.dir); schema validation skipped";
      if (TestSettings.schemasRequired()) {
        Assertions.fail(message + ", but -Dgkeinference.schemas.required=true");
      }
      System.err.println("WARNING: " + message);
      Assumptions.abort(message);
    }
    return of(dir);
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
      return schema(apiVersion, kind) != null;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Validates one object: a fabric8 object, one of the SDK's typed resources, or a JSON tree.
   *
   * @param object the object
   * @return every finding; empty when the object is valid
   */
  public List<SchemaFinding> validate(Object object) {
    JsonNode tree =
        object instanceof JsonNode node ? node : SERIALIZATION.convertValue(object, JsonNode.class);
    return validateTree(withoutNulls(tree));
  }

  /**
   * Validates every document of a (multi-document) YAML text.
   *
   * @param yaml the YAML
   * @return every finding of every document
   */
  public List<SchemaFinding> validateYaml(String yaml) {
    List<SchemaFinding> findings = new ArrayList<>();
    for (JsonNode doc : readYamlDocuments(yaml)) {
      findings.addAll(validateTree(doc));
    }
    return findings;
  }

  /**
   * Fails the calling test with every finding when the object is invalid.
   *
   * @param object the object
   */
  public void assertValid(Object object) {
    List<SchemaFinding> findings = validate(object);
    if (!findings.isEmpty()) {
      Assertions.fail(
          "schema violations:\n  "
              + String.join("\n  ", findings.stream().map(String::valueOf).toList()));
    }
  }

  /**
   * Reads every document of a YAML text as a JSON tree.
   *
   * @param yaml the YAML
   * @return the documents, empty ones left out
   */
  public static List<JsonNode> readYamlDocuments(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private List<SchemaFinding> validateTree(JsonNode tree) {
    String apiVersion = tree.path("apiVersion").asString("");
    String kind = tree.path("kind").asString("");
    String name = tree.path("metadata").path("name").asString("");
    String resource = (kind.isEmpty() ? "?" : kind) + "/" + (name.isEmpty() ? "?" : name);
    List<SchemaFinding> findings = new ArrayList<>();
    Schema schema = schema(apiVersion, kind);
    if (schema == null) {
      findings.add(
          new SchemaFinding(
              resource, "$", "no schema for apiVersion '" + apiVersion + "' kind '" + kind + "'"));
      return findings;
    }
    for (Error e : schema.validate(tree)) {
      findings.add(new SchemaFinding(resource, jsonPath(e.getInstanceLocation()), e.getMessage()));
    }
    apiServerRules(tree, kind, resource, findings);
    return findings;
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

  private @Nullable Schema schema(String apiVersion, String kind) {
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return null;
    }
    String id = apiVersion + "/" + kind;
    Schema cached = schemas.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode schemaNode =
        crdFiles.containsKey(id) ? crdSchema(id) : builtinSchema(apiVersion, kind);
    if (schemaNode == null) {
      return null;
    }
    Schema compiled = registry.getSchema(schemaNode);
    schemas.put(id, compiled);
    return compiled;
  }

  private JsonNode crdSchema(String id) {
    JsonNode schema = document(crdFiles.get(id)).deepCopy();
    strict(schema);
    return schema;
  }

  private @Nullable JsonNode builtinSchema(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    String file =
        group.isEmpty()
            ? "k8s/v1.33/api__" + version + "_openapi.json"
            : "k8s/v1.33/apis__" + group + "__" + version + "_openapi.json";
    if (!Files.isRegularFile(dir.resolve(file))) {
      return null;
    }
    JsonNode components = document(file).path("components");
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

  /**
   * Adds {@code additionalProperties: false} to every closed object schema, and drops {@code
   * format}: Kubernetes formats ({@code duration} as a Go duration such as {@code 15s}, {@code
   * int-or-string}, {@code int32}) do not mean what JSON Schema's formats mean.
   */
  private static void strict(JsonNode node) {
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
      if (o.has("properties")
          && o.get("properties").isObject()
          && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        o.put("additionalProperties", false);
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        strict(e.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(SchemaValidator::strict);
    }
  }

  private JsonNode document(String file) {
    return documents.computeIfAbsent(file, this::read);
  }

  private JsonNode read(String file) {
    try {
      return JSON.readTree(Files.readString(dir.resolve(file)));
    } catch (IOException | JacksonException e) {
      throw new UncheckedIOException(
          "cannot read schema file " + dir.resolve(file), new IOException(e));
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
