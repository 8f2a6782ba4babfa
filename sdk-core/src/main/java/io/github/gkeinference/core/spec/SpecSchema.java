package io.github.gkeinference.core.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the JSON Schema (draft 2020-12) of spec documents from what Jackson binds: the
 * {@code @JsonProperty} setters of the {@code Json} delegate that Immutables generates for a spec
 * type annotated {@code @JsonDeserialize(as = ImmutableX.class)}, the components of a record, the
 * {@code @JsonSubTypes} of an interface, so that what the schema admits and what {@link SpecBinder}
 * binds cannot drift apart. {@link SpecBinder} validates every spec against this schema before it
 * binds, which is how a file gets every unknown field and wrong type reported at once.
 *
 * <p>The schema is stricter than Jackson in two places: a nested spec may not be {@code null}, and
 * an enum value is its constant name or the name in lower case with '-' for '_'.
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
      rules.add(when(kind.name(), schema.spec(kind.type(), kind.references().keySet())));
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

  /**
   * Returns the schema of one spec, standing alone: what {@link SpecBinder} checks a spec against.
   *
   * @param type the spec type
   * @param references the fields that name an earlier document's workload (strings in the file)
   * @return the schema
   */
  static ObjectNode of(Class<?> type, Set<String> references) {
    SpecSchema schema = new SpecSchema();
    ObjectNode root = schema.spec(type, references).deepCopy();
    root.put("$schema", DIALECT);
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

  /** A kind's spec: a reference to its definition, or its own copy when it has references. */
  private ObjectNode spec(Class<?> type, Set<String> references) {
    if (references.isEmpty()) {
      return of(type);
    }
    ObjectNode spec = JSON.objectNode();
    ObjectNode fields = describe(type, references, spec);
    for (String field : references) {
      ObjectNode reference = fields.putObject(field);
      reference.put("type", "string");
      reference.put(
          "description", "the name of a workload that an earlier document of the file renders");
    }
    return spec;
  }

  /** Returns a reference to the definition of a type, defining it on first use. */
  private ObjectNode ref(Class<?> type) {
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
    describe(type, Set.of(), def);
    return def;
  }

  /**
   * Writes the object schema of a type into {@code def}, leaving out the fields in {@code skip}.
   *
   * @return the schema's properties
   */
  private ObjectNode describe(Class<?> type, Set<String> skip, ObjectNode def) {
    def.put("type", "object");
    def.put("title", type.getSimpleName());
    def.put("additionalProperties", false);
    ObjectNode properties = def.putObject("properties");
    Set<String> required = new TreeSet<>();
    fields(type)
        .forEach(
            (field, f) -> {
              if (f.required()) {
                required.add(field);
              }
              if (!skip.contains(field)) {
                properties.set(field, of(f.type()));
              }
            });
    Implementations.Tag tag = Implementations.tagOf(type);
    if (tag != null) {
      properties.putObject(tag.property()).put("const", tag.name());
      def.put("title", tag.label());
    }
    if (!required.isEmpty()) {
      ArrayNode list = def.putArray("required");
      required.forEach(list::add);
    }
    return properties;
  }

  /** One field of a spec in a file: its Java type and whether the file must give it. */
  record Field(Type type, boolean required) {}

  /**
   * Returns the fields a file may give for a type, by name: the {@code @JsonProperty} setters of
   * the Immutables {@code Json} delegate, or a record's components.
   *
   * @throws IllegalArgumentException when Jackson has no way to build the type from a file
   */
  static Map<String, Field> fields(Class<?> type) {
    Map<String, Field> fields = new TreeMap<>();
    Class<?> delegate = delegate(type);
    if (delegate != null) {
      for (Method m : delegate.getDeclaredMethods()) {
        JsonProperty p = m.getAnnotation(JsonProperty.class);
        if (p != null && m.getParameterCount() == 1) {
          fields.put(p.value(), new Field(m.getGenericParameterTypes()[0], p.required()));
        }
      }
      return fields;
    }
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        fields.put(c.getName(), new Field(c.getGenericType(), !optional(c.getType())));
      }
      return fields;
    }
    throw new IllegalArgumentException(type + " cannot be written in a spec file");
  }

  /**
   * Returns whether a file can give a value of the type: a spec with a Json delegate or a record.
   */
  static boolean bindable(Class<?> type) {
    return delegate(type) != null || type.isRecord();
  }

  /** Returns the Immutables {@code Json} delegate Jackson binds a spec type through, if any. */
  static @Nullable Class<?> delegate(Class<?> type) {
    JsonDeserialize binding = type.getAnnotation(JsonDeserialize.class);
    if (binding == null || binding.as() == Void.class) {
      return null;
    }
    for (Class<?> nested : binding.as().getDeclaredClasses()) {
      if (nested.getSimpleName().equals("Json")) {
        return nested;
      }
    }
    return null;
  }

  static boolean optional(Class<?> c) {
    return c == Optional.class
        || c == OptionalInt.class
        || c == OptionalLong.class
        || c == OptionalDouble.class;
  }

  private ObjectNode of(Type target) {
    ObjectNode s = JSON.objectNode();
    if (target instanceof WildcardType w) {
      return of(w.getUpperBounds()[0]);
    }
    if (target instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Iterable.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.set("items", of(args[0]));
      } else if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object");
        s.set("additionalProperties", of(args[1]));
      } else if (Optional.class.equals(raw)) {
        return nullable(of(args[0]));
      }
      return s;
    }
    Class<?> c = (Class<?>) target;
    if (c == Object.class) {
      // free-form data (an endpoint-picker plugin's parameters): Jackson binds any JSON value as
      // maps, lists, strings, numbers and booleans, and the spec's own rules check it
      s.put("description", "any JSON value");
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
      return nullable(s.put("type", "integer"));
    } else if (c == OptionalDouble.class) {
      return nullable(s.put("type", "number"));
    } else if (c.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (String name : enumNames(c)) {
        values.add(name);
        String lower = name.toLowerCase(Locale.ROOT).replace('_', '-');
        if (!lower.equals(name)) {
          values.add(lower);
        }
      }
    } else if (Message.class.isAssignableFrom(c)) {
      s.put("type", "object");
      s.put("description", "a " + c.getSimpleName() + " in its protobuf JSON mapping");
    } else if (Implementations.of(c) != null) {
      return implementations(c, Implementations.of(c));
    } else if (KubernetesResource.class.isAssignableFrom(c) && !c.isInterface()) {
      // fabric8's models are Jackson beans: Jackson binds them as the Kubernetes API writes them
      s.put("type", "object");
      s.put(
          "description", "a Kubernetes " + c.getSimpleName() + " as the Kubernetes API writes it");
    } else if (bindable(c)) {
      return ref(c);
    } else {
      // Jackson has no way to build this type from a file: say so rather than admit anything
      s.set("not", JSON.objectNode());
      s.put("description", c.getSimpleName() + " cannot be written in a spec file");
    }
    return s;
  }

  /** The constants a file may name: all but protobuf's {@code UNRECOGNIZED}. */
  static List<String> enumNames(Class<?> c) {
    List<String> names = new ArrayList<>();
    for (Object constant : c.getEnumConstants()) {
      Enum<?> e = (Enum<?>) constant;
      if (!(e instanceof ProtocolMessageEnum && e.name().equals("UNRECOGNIZED"))) {
        names.add(e.name());
      }
    }
    return names;
  }

  private static ObjectNode nullable(ObjectNode s) {
    if (s.path("type").isString()) {
      String type = s.get("type").asString();
      s.putArray("type").add(type).add("null");
      if (s.has("enum")) {
        ((ArrayNode) s.get("enum")).addNull();
      }
    }
    return s;
  }

  /**
   * One of the implementations of an interface, chosen by its {@code type} field: each {@code
   * if/then} applies one implementation's definition, so that a mistake is reported against that
   * implementation alone.
   */
  private ObjectNode implementations(Class<?> type, Implementations implementations) {
    ObjectNode s = JSON.objectNode();
    s.put("type", "object");
    s.put("description", implementations.description(type));
    s.putObject("properties")
        .putObject(implementations.property())
        .set("enum", names(implementations.types().keySet()));
    ArrayNode rules = s.putArray("allOf");
    implementations
        .types()
        .forEach(
            (name, implementation) -> {
              ObjectNode rule = rules.addObject();
              ObjectNode when = rule.putObject("if");
              when.putObject("properties").putObject(implementations.property()).put("const", name);
              when.putArray("required").add(implementations.property());
              rule.set("then", ref(implementation));
            });
    String fallback = implementations.defaultType();
    if (fallback != null) {
      ObjectNode rule = rules.addObject();
      rule.putObject("if").putObject("not").putArray("required").add(implementations.property());
      rule.set("then", ref(implementations.types().get(fallback)));
    }
    return s;
  }

  private static ArrayNode names(Set<String> names) {
    ArrayNode list = JSON.arrayNode();
    names.forEach(list::add);
    return list;
  }

  /**
   * The implementations of an interface that a spec file names in a field, read from its Jackson
   * {@code @JsonTypeInfo} and {@code @JsonSubTypes}.
   *
   * @param property the field that names the implementation
   * @param defaultType the name assumed when the field is absent, or null when it is required
   * @param types the implementation of each name, sorted by name
   */
  record Implementations(
      String property, @Nullable String defaultType, Map<String, Class<?>> types) {
    /** The name of an implementation, and how messages call it. */
    record Tag(String property, String name, String label) {}

    static @Nullable Implementations of(Class<?> type) {
      JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
      JsonSubTypes subtypes = type.getAnnotation(JsonSubTypes.class);
      if (info == null || subtypes == null || !type.isInterface()) {
        return null;
      }
      Map<String, Class<?>> types = new TreeMap<>();
      String defaultType = null;
      for (JsonSubTypes.Type t : subtypes.value()) {
        types.put(t.name(), t.value());
        if (t.value() == info.defaultImpl()) {
          defaultType = t.name();
        }
      }
      return new Implementations(info.property(), defaultType, types);
    }

    String description(Class<?> type) {
      return "a "
          + type.getSimpleName()
          + "; its "
          + property
          + " field names the implementation, one of "
          + types.keySet()
          + (defaultType == null ? "" : " (" + defaultType + " when absent)");
    }

    /** The tag of a type that implements an interface with implementations, if any. */
    static @Nullable Tag tagOf(Class<?> type) {
      for (Class<?> iface : type.getInterfaces()) {
        Implementations implementations = of(iface);
        if (implementations == null) {
          continue;
        }
        for (Map.Entry<String, Class<?>> e : implementations.types().entrySet()) {
          if (e.getValue() == type) {
            String label =
                type.getSimpleName()
                    + " ("
                    + implementations.property()
                    + " "
                    + e.getKey()
                    + (e.getKey().equals(implementations.defaultType())
                        ? ", the default when "
                            + implementations.property()
                            + " is absent; "
                            + implementations.property()
                            + " may be one of "
                            + implementations.types().keySet()
                        : "")
                    + ")";
            return new Tag(implementations.property(), e.getKey(), label);
          }
        }
      }
      return null;
    }
  }
}
