package io.github.gkeinference.core.spec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.util.JsonFormat;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds a YAML/JSON spec to one of the SDK's spec types through its public builder, so that a spec
 * file takes exactly the fields the Java API takes: a field {@code modelId} calls {@code
 * Builder.modelId(...)}, a nested object builds the nested spec the same way, a list calls the
 * plural setter, a map the map setter, a protobuf message (for example a GKE {@code NodePool}) is
 * read in its protobuf JSON mapping. The fields are the spec's attributes: its accessors that the
 * builder has a setter for. Enum values are their constant names, any case, '-' for '_'.
 *
 * <p>A field whose type is an interface (a {@link ModelSource}) names the implementation in a
 * {@value #TYPE} field, and the other fields go to that implementation's own builder (see {@link
 * #INTERFACES}):
 *
 * <pre>{@code
 * source:
 *   type: gcsFuse
 *   location: {bucket: my-models, path: meta-llama/llama-3.1-8b-instruct}
 * }</pre>
 *
 * <p>Unknown fields, missing required fields and values of the wrong type are violations with their
 * path in the file ({@code nodeLocations[1]}, {@code autoscaling.maxReplicas}); the spec's own
 * validation then runs in {@code build()}, its paths placed under the field's path. All violations
 * are collected before the caller decides.
 *
 * <p>{@link SpecFiles} uses it for every document of a spec file; call {@link #bind} directly for a
 * file that holds one bare spec (the CLI's cluster file).
 */
public final class SpecBinder {
  private static final Set<String> NOT_FIELDS =
      Set.of("toBuilder", "builder", "hashCode", "toString", "getClass");
  private static final Pattern REQUIRED =
      Pattern.compile("some of required attributes are not set \\[([^\\]]*)\\]");
  private static final JsonFormat.Parser PROTO_JSON = JsonFormat.parser();

  /** The field that names the implementation of an interface-typed field. */
  public static final String TYPE = "type";

  /**
   * The implementations a spec file may choose for each interface-typed field, by {@value #TYPE}
   * value. A name is the implementation's simple name without the interface's suffix, in lower
   * camel case ({@code GcsFuseSource} is {@code gcsFuse}), so a reader of the Java API can guess
   * it. {@link ModelSource} defaults to {@code huggingFace} when {@value #TYPE} is absent, as the
   * serving specs' own {@code source()} defaults to the Hugging Face hub.
   */
  public static final Map<Class<?>, Implementations> INTERFACES =
      Map.of(
          ModelSource.class,
          new Implementations(
              "huggingFace",
              new TreeMap<>(
                  Map.of(
                      "huggingFace", HuggingFaceSource.class,
                      "gcsFuse", GcsFuseSource.class,
                      "gcsStreaming", GcsStreamingSource.class))));

  /**
   * The implementations of one interface.
   *
   * @param defaultType the {@value #TYPE} assumed when a file leaves it out, or null when it is
   *     required
   * @param types the implementation of each {@value #TYPE} value, sorted by name
   */
  public record Implementations(@Nullable String defaultType, Map<String, Class<?>> types) {}

  private SpecBinder() {}

  /**
   * Builds a spec from a JSON tree.
   *
   * @param node the spec's fields
   * @param type the spec type (with a static {@code builder()})
   * @param v where violations go, at the spec's path
   * @return the spec, or empty when any violation was found
   */
  public static <T> Optional<T> bind(JsonNode node, Class<T> type, Violations v) {
    return bind(node, type, builder -> {}, v);
  }

  /**
   * Builds a spec from a JSON tree, first passing its builder to {@code preset} (for the fields a
   * spec file gives by reference, such as an autoscaler's target).
   *
   * @param node the spec's fields, without those {@code preset} sets
   * @param type the spec type (with a static {@code builder()})
   * @param preset sets fields on the fresh builder
   * @param v where violations go, at the spec's path
   * @return the spec, or empty when any violation was found
   */
  static <T> Optional<T> bind(
      JsonNode node, Class<T> type, java.util.function.Consumer<Object> preset, Violations v) {
    Object value = spec(node, type, type.getSimpleName(), preset, v);
    return value == null ? Optional.empty() : Optional.of(type.cast(value));
  }

  private static @Nullable Object spec(JsonNode node, Class<?> type, Violations v) {
    return spec(node, type, type.getSimpleName(), builder -> {}, v);
  }

  /**
   * Builds a spec through its builder.
   *
   * @param label how the unknown-field message names the spec
   */
  private static @Nullable Object spec(
      JsonNode node,
      Class<?> type,
      String label,
      java.util.function.Consumer<Object> preset,
      Violations v) {
    if (!node.isObject()) {
      v.error("", node.toString(), "must be an object with the fields of " + type.getSimpleName());
      return null;
    }
    Object builder;
    try {
      builder = type.getMethod("builder").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " has no public static builder()", e);
    }
    preset.accept(builder);
    Map<String, List<Method>> setters = setters(type, builder.getClass());
    int before = v.all().size();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      List<Method> candidates = setters.get(field.getKey());
      if (candidates == null) {
        v.error(
            field.getKey(),
            null,
            "unknown field; " + label + " takes " + new TreeSet<>(setters.keySet()));
        continue;
      }
      set(builder, candidates, field.getValue(), v.at(field.getKey()));
    }
    if (v.all().size() > before) {
      return null;
    }
    try {
      return accessible(builder.getClass().getMethod("build")).invoke(builder);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SdkValidationException invalid) {
        v.addAll(invalid.violations());
      } else if (cause instanceof IllegalStateException missing
          && missing.getMessage() != null
          && REQUIRED.matcher(missing.getMessage()).find()) {
        Matcher m = REQUIRED.matcher(missing.getMessage());
        m.find();
        for (String attribute : m.group(1).split(",\\s*")) {
          v.error(attribute, null, "is required");
        }
      } else {
        v.error("", null, String.valueOf(cause.getMessage()));
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Returns the one-argument builder methods named after an attribute of the spec (an accessor
   * without parameters), by attribute name.
   */
  static Map<String, List<Method>> setters(Class<?> type, Class<?> builderType) {
    Set<String> attributes = new TreeSet<>();
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() == 0
          && !Modifier.isStatic(m.getModifiers())
          && m.getReturnType() != void.class
          && !NOT_FIELDS.contains(m.getName())) {
        attributes.add(m.getName());
      }
    }
    Map<String, List<Method>> setters = new TreeMap<>();
    for (Method m : builderType.getMethods()) {
      if (m.getParameterCount() == 1
          && !Modifier.isStatic(m.getModifiers())
          && attributes.contains(m.getName())
          && !java.util.function.Consumer.class.equals(m.getParameterTypes()[0])) {
        setters.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(accessible(m));
      }
    }
    return setters;
  }

  /**
   * Makes a builder method callable: Immutables declares the setters in a package-private
   * superclass ({@code ImmutableX.Builder}) of the public {@code X.Builder}, and reflection refuses
   * a public method of a package-private class from another package, although the same call
   * compiles. This is allowed on the class path and for the SDK's jars as automatic modules, which
   * open every package.
   */
  static Method accessible(Method m) {
    if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
      m.setAccessible(true);
    }
    return m;
  }

  private static void set(Object builder, List<Method> candidates, JsonNode value, Violations v) {
    List<String> tried = new ArrayList<>();
    List<Method> ordered = new ArrayList<>(candidates);
    // Optional overloads last, so that a plain value takes the plain setter.
    ordered.sort((a, b) -> Boolean.compare(optional(a), optional(b)));
    for (Method m : ordered) {
      Type target = m.getGenericParameterTypes()[0];
      Violations attempt = Violations.root();
      Object converted = convert(value, target, attempt);
      if (converted != null && !attempt.hasErrors()) {
        try {
          m.invoke(builder, converted);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof SdkValidationException invalid) {
            v.addAll(invalid.violations());
          } else {
            v.error("", value.toString(), String.valueOf(e.getCause().getMessage()));
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        return;
      }
      if (attempt.hasErrors()) {
        // the value had the right shape but something inside it was wrong: say what, where
        v.addAll(attempt.all());
        return;
      }
      if (!optional(m) || ordered.size() == 1) {
        tried.add(describe(target));
      }
    }
    v.error(
        "",
        value.toString(),
        value.isNull()
            ? "must not be null"
            : "has the wrong type; expected " + String.join(" or ", tried));
  }

  static boolean optional(Method m) {
    Class<?> p = m.getParameterTypes()[0];
    return p == Optional.class
        || p == OptionalInt.class
        || p == OptionalLong.class
        || p == OptionalDouble.class;
  }

  static boolean isSpec(Class<?> c) {
    try {
      return Modifier.isStatic(c.getMethod("builder").getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static @Nullable Object convert(JsonNode value, Type target, Violations v) {
    if (target instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Iterable.class.isAssignableFrom(raw) && value.isArray()) {
        List<Object> list = new ArrayList<>();
        Type element = bound(args[0]);
        for (int i = 0; i < value.size(); i++) {
          Violations at = v.at("", i);
          Object e = convert(value.get(i), element, at);
          if (e == null) {
            if (!v.hasErrors()) {
              at.error(
                  "", value.get(i).toString(), "has the wrong type; expected " + describe(element));
            }
            return null;
          }
          list.add(e);
        }
        return list;
      }
      if (Map.class.isAssignableFrom(raw) && value.isObject()) {
        Map<String, Object> map = new LinkedHashMap<>();
        Type element = bound(args[1]);
        for (Map.Entry<String, JsonNode> e : value.properties()) {
          Violations at = v.at(e.getKey());
          Object converted = convert(e.getValue(), element, at);
          if (converted == null) {
            if (!v.hasErrors()) {
              at.error(
                  "", e.getValue().toString(), "has the wrong type; expected " + describe(element));
            }
            return null;
          }
          map.put(e.getKey(), converted);
        }
        return map;
      }
      if (Optional.class.equals(raw)) {
        if (value.isNull()) {
          return Optional.empty();
        }
        Object inner = convert(value, bound(args[0]), v);
        return inner == null ? null : Optional.of(inner);
      }
      return null;
    }
    if (!(target instanceof Class<?> c)) {
      return null;
    }
    if (c == String.class && value.isString()) {
      return value.asString();
    }
    if ((c == int.class || c == Integer.class)
        && value.isIntegralNumber()
        && value.canConvertToInt()) {
      return value.asInt();
    }
    if ((c == long.class || c == Long.class)
        && value.isIntegralNumber()
        && value.canConvertToLong()) {
      return value.asLong();
    }
    if ((c == double.class || c == Double.class) && value.isNumber()) {
      return value.asDouble();
    }
    if ((c == boolean.class || c == Boolean.class) && value.isBoolean()) {
      return value.asBoolean();
    }
    if (c == OptionalInt.class || c == OptionalLong.class || c == OptionalDouble.class) {
      if (value.isNull()) {
        return c == OptionalInt.class
            ? OptionalInt.empty()
            : c == OptionalLong.class ? OptionalLong.empty() : OptionalDouble.empty();
      }
      return null; // the plain overload takes values
    }
    if (c.isEnum() && value.isString()) {
      String name = value.asString().replace('-', '_');
      for (Object constant : c.getEnumConstants()) {
        Enum<?> e = (Enum<?>) constant;
        if (recognised(e) && e.name().equalsIgnoreCase(name)) {
          return e;
        }
      }
      return null;
    }
    if (value.isObject() && Message.class.isAssignableFrom(c)) {
      return message(value, c, v);
    }
    Implementations implementations = INTERFACES.get(c);
    if (value.isObject() && implementations != null) {
      return implementation(value, c, implementations, v);
    }
    if (value.isObject() && isSpec(c)) {
      return spec(value, c, v);
    }
    return null;
  }

  /**
   * Builds the implementation of an interface that the object's {@value #TYPE} field names, from
   * the object's other fields, through that implementation's builder.
   */
  private static @Nullable Object implementation(
      JsonNode value, Class<?> type, Implementations implementations, Violations v) {
    JsonNode tag = value.get(TYPE);
    String name =
        tag == null ? implementations.defaultType() : tag.isString() ? tag.asString() : null;
    Class<?> implementation = name == null ? null : implementations.types().get(name);
    if (implementation == null) {
      v.error(
          TYPE,
          tag == null ? null : tag.isString() ? tag.asString() : tag.toString(),
          (tag == null ? "is required; it " : "")
              + "must be one of "
              + implementations.types().keySet()
              + ": the "
              + type.getSimpleName()
              + " implementation to use");
      return null;
    }
    ObjectNode fields = (ObjectNode) value.deepCopy();
    fields.remove(TYPE);
    String label =
        implementation.getSimpleName()
            + (tag == null
                ? " (the default when "
                    + TYPE
                    + " is absent; "
                    + TYPE
                    + " may be one of "
                    + implementations.types().keySet()
                    + ")"
                : " (" + TYPE + " " + name + ")");
    return spec(fields, implementation, label, builder -> {}, v);
  }

  /** Reads a protobuf message from its JSON mapping; unknown fields are rejected. */
  private static @Nullable Object message(JsonNode value, Class<?> type, Violations v) {
    try {
      Message.Builder b = (Message.Builder) type.getMethod("newBuilder").invoke(null);
      PROTO_JSON.merge(value.toString(), b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      v.error("", null, "is not a valid " + type.getSimpleName() + ": " + e.getMessage());
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " has no newBuilder()", e);
    }
  }

  /** Protobuf enums have an {@code UNRECOGNIZED} constant that no file may name. */
  static boolean recognised(Enum<?> e) {
    return !(e instanceof ProtocolMessageEnum && e.name().equals("UNRECOGNIZED"));
  }

  static Type bound(Type t) {
    if (t instanceof WildcardType w) {
      return w.getUpperBounds()[0];
    }
    return t;
  }

  static String describe(Type t) {
    if (t instanceof Class<?> c) {
      if (c.isEnum()) {
        List<String> names = new ArrayList<>();
        for (Object e : c.getEnumConstants()) {
          if (recognised((Enum<?>) e)) {
            names.add(((Enum<?>) e).name());
          }
        }
        return "one of " + names;
      }
      if (c == int.class || c == Integer.class) {
        return "an integer";
      }
      if (c == long.class || c == Long.class) {
        return "an integer";
      }
      if (c == double.class || c == Double.class) {
        return "a number";
      }
      if (c == boolean.class || c == Boolean.class) {
        return "true or false";
      }
      if (c == String.class) {
        return "a string";
      }
      Implementations implementations = INTERFACES.get(c);
      if (implementations != null) {
        return "an object with "
            + TYPE
            + " one of "
            + implementations.types().keySet()
            + " ("
            + c.getSimpleName()
            + ")";
      }
      return "an object (" + c.getSimpleName() + ")";
    }
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Iterable.class.isAssignableFrom(raw)) {
        return "a list of " + plural(describe(bound(args[0])));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return "a map of " + plural(describe(bound(args[1])));
      }
      if (Optional.class.equals(raw)) {
        return describe(bound(args[0]));
      }
    }
    return t.getTypeName();
  }

  private static String plural(String description) {
    return description.startsWith("a ")
        ? description.substring(2) + "s"
        : description.startsWith("an ") ? description.substring(3) + "s" : description;
  }
}
