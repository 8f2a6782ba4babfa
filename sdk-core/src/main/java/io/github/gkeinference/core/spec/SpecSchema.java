package io.github.gkeinference.core.spec;

import com.google.protobuf.Message;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the JSON Schema of a spec document from the same builders {@link SpecBinder} binds to,
 * so that what the schema admits and what a file may hold cannot drift apart.
 */
final class SpecSchema {
  static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Map<String, ObjectNode> defs = new TreeMap<>();
  private final Map<Class<?>, String> names = new HashMap<>();

  private SpecSchema() {}

  /**
   * Returns the schema of one document of any of the kinds.
   *
   * @param kinds the kinds, by name
   * @return the schema
   */
  static ObjectNode generate(Map<String, SpecKind<?>> kinds) {
    SpecSchema schema = new SpecSchema();
    ObjectNode root = JSON.objectNode();
    root.put("$schema", DIALECT);
    root.put("title", "gke-inference spec document");
    root.put(
        "description",
        "One document of a gke-inference spec file: a kind and the fields of its Java builder.");
    root.put("type", "object");
    ArrayNode required = root.putArray("required");
    required.add("kind");
    required.add("spec");
    root.put("additionalProperties", false);
    ObjectNode properties = root.putObject("properties");
    ArrayNode kindNames = properties.putObject("kind").putArray("enum");
    properties.putObject("spec").put("type", "object");
    ArrayNode rules = root.putArray("allOf");
    for (SpecKind<?> kind : kinds.values()) {
      kindNames.add(kind.name());
      ObjectNode spec;
      if (kind.references().isEmpty()) {
        spec = schema.spec(kind.type());
      } else {
        // the kind's own copy: its reference fields are names, not the Java values
        spec = JSON.objectNode();
        spec.put("type", "object");
        spec.put("additionalProperties", false);
        ObjectNode fields =
            schema.properties(
                kind.type(), kind.references().keySet(), spec.putObject("properties"));
        for (String field : kind.references().keySet()) {
          ObjectNode reference = fields.putObject(field);
          reference.put("type", "string");
          reference.put(
              "description", "the name of a workload that an earlier document of the file renders");
        }
      }
      rules.add(when(kind.name(), spec));
    }
    kindNames.add(SpecFiles.MANIFEST);
    ObjectNode manifest = JSON.objectNode();
    manifest.put("type", "object");
    manifest.put("description", "a Kubernetes object, rendered as it is");
    manifest.putArray("required").add("apiVersion").add("kind").add("metadata");
    rules.add(when(SpecFiles.MANIFEST, manifest));
    ObjectNode defs = root.putObject("$defs");
    schema.defs.forEach(defs::set);
    return root;
  }

  private static ObjectNode when(String kind, ObjectNode spec) {
    ObjectNode rule = JSON.objectNode();
    rule.putObject("if").putObject("properties").putObject("kind").put("const", kind);
    rule.putObject("then").putObject("properties").set("spec", spec);
    return rule;
  }

  /** Returns a reference to the definition of a spec type, defining it on first use. */
  private ObjectNode spec(Class<?> type) {
    definition(type);
    ObjectNode ref = JSON.objectNode();
    ref.put("$ref", "#/$defs/" + names.get(type));
    return ref;
  }

  private ObjectNode definition(Class<?> type) {
    String existing = names.get(type);
    if (existing != null) {
      return defs.get(existing);
    }
    String name = defs.containsKey(type.getSimpleName()) ? type.getName() : type.getSimpleName();
    names.put(type, name);
    ObjectNode def = JSON.objectNode();
    defs.put(name, def);
    def.put("type", "object");
    def.put("additionalProperties", false);
    properties(type, Set.of(), def.putObject("properties"));
    return def;
  }

  /** Adds the schema of each field of a spec type, except {@code skip}, to {@code properties}. */
  private ObjectNode properties(Class<?> type, Set<String> skip, ObjectNode properties) {
    setters(type)
        .forEach(
            (field, methods) -> {
              if (!skip.contains(field)) {
                properties.set(field, field(methods));
              }
            });
    return properties;
  }

  private static Map<String, List<Method>> setters(Class<?> type) {
    try {
      return SpecBinder.setters(type, type.getMethod("builder").getReturnType());
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type + " has no public static builder()", e);
    }
  }

  /** The schema of one field: what any of its setters takes (null for an Optional setter). */
  private ObjectNode field(List<Method> setters) {
    List<ObjectNode> choices = new ArrayList<>();
    boolean nullable = false;
    for (Method m : setters) {
      if (SpecBinder.optional(m)) {
        nullable = true;
        if (setters.size() > 1) {
          continue; // the plain overload takes the values
        }
      }
      ObjectNode choice = of(m.getGenericParameterTypes()[0]);
      if (!choices.contains(choice)) {
        choices.add(choice);
      }
    }
    if (nullable) {
      choices.add(JSON.objectNode().put("type", "null"));
    }
    if (choices.size() == 1) {
      return choices.get(0);
    }
    ObjectNode any = JSON.objectNode();
    ArrayNode list = any.putArray("anyOf");
    choices.forEach(list::add);
    return any;
  }

  private ObjectNode of(Type target) {
    ObjectNode s = JSON.objectNode();
    if (target instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Iterable.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.set("items", of(SpecBinder.bound(args[0])));
      } else if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object");
        s.set("additionalProperties", of(SpecBinder.bound(args[1])));
      } else if (java.util.Optional.class.equals(raw)) {
        return of(SpecBinder.bound(args[0]));
      }
      return s;
    }
    if (!(target instanceof Class<?> c)) {
      return s;
    }
    if (c == String.class) {
      s.put("type", "string");
    } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      s.put("type", "integer");
    } else if (c == double.class || c == Double.class) {
      s.put("type", "number");
    } else if (c == boolean.class || c == Boolean.class) {
      s.put("type", "boolean");
    } else if (c == OptionalInt.class || c == OptionalLong.class) {
      s.put("type", "integer");
    } else if (c == OptionalDouble.class) {
      s.put("type", "number");
    } else if (c.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        Enum<?> e = (Enum<?>) constant;
        if (SpecBinder.recognised(e)) {
          values.add(e.name());
          String lower = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
          if (!lower.equals(e.name())) {
            values.add(lower);
          }
        }
      }
    } else if (Message.class.isAssignableFrom(c)) {
      s.put("type", "object");
      s.put("description", "a " + c.getSimpleName() + " in its protobuf JSON mapping");
    } else if (SpecBinder.INTERFACES.containsKey(c)) {
      return implementations(c, SpecBinder.INTERFACES.get(c));
    } else if (SpecBinder.isSpec(c)) {
      return spec(c);
    } else {
      // the binder has no way to build this type from a file; say so rather than admit anything
      s.set("not", JSON.objectNode());
      s.put("description", c.getSimpleName() + " cannot be written in a spec file");
    }
    return s;
  }

  /** One of the implementations of an interface, chosen by the {@code type} field. */
  private ObjectNode implementations(Class<?> type, SpecBinder.Implementations implementations) {
    ObjectNode s = JSON.objectNode();
    s.put("description", "a " + type.getSimpleName() + "; its type field names the implementation");
    ArrayNode oneOf = s.putArray("oneOf");
    implementations
        .types()
        .forEach(
            (name, implementation) -> {
              ObjectNode fields = definition(implementation).deepCopy();
              ((ObjectNode) fields.get("properties")).putObject(SpecBinder.TYPE).put("const", name);
              if (!name.equals(implementations.defaultType())) {
                fields.putArray("required").add(SpecBinder.TYPE);
              }
              oneOf.add(fields);
            });
    return s;
  }
}
