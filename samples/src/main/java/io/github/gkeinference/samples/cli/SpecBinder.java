package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Binds a YAML/JSON spec to one of the SDK's spec types through its public builder, so that a spec
 * file takes exactly the fields the Java API takes: a field {@code modelId} calls {@code
 * Builder.modelId(...)}, a nested object builds the nested spec the same way, a list calls the
 * plural setter. Unknown fields and values of the wrong type are violations with their path; the
 * spec's own validation then runs in {@code build()}, its paths placed under the field's path.
 */
final class SpecBinder {
  private static final Set<String> NOT_FIELDS =
      Set.of(
          "build",
          "from",
          "equals",
          "hashCode",
          "toString",
          "getClass",
          "notify",
          "notifyAll",
          "wait");

  private SpecBinder() {}

  /**
   * Builds a spec from a JSON tree.
   *
   * @param node the spec's fields
   * @param type the spec type (with a static {@code builder()})
   * @param v where violations go, at the spec's path
   * @return the spec, or empty when any violation was found
   */
  static <T> Optional<T> bind(JsonNode node, Class<T> type, Violations v) {
    Object value = spec(node, type, v);
    return value == null ? Optional.empty() : Optional.of(type.cast(value));
  }

  private static @Nullable Object spec(JsonNode node, Class<?> type, Violations v) {
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
    Map<String, List<Method>> setters = setters(builder.getClass());
    int before = v.all().size();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      List<Method> candidates = setters.get(field.getKey());
      if (candidates == null) {
        v.error(
            field.getKey(),
            null,
            "unknown field; " + type.getSimpleName() + " takes " + new TreeSet<>(setters.keySet()));
        continue;
      }
      set(builder, candidates, field.getValue(), v.at(field.getKey()));
    }
    if (v.all().size() > before) {
      return null;
    }
    try {
      return builder.getClass().getMethod("build").invoke(builder);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof SdkValidationException invalid) {
        v.addAll(invalid.violations());
      } else if (e.getCause() instanceof IllegalStateException missing) {
        v.error("", null, missing.getMessage());
      } else {
        v.error("", null, String.valueOf(e.getCause()));
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, List<Method>> setters(Class<?> builderType) {
    Map<String, List<Method>> setters = new LinkedHashMap<>();
    for (Method m : builderType.getMethods()) {
      if (m.getParameterCount() == 1
          && !Modifier.isStatic(m.getModifiers())
          && !NOT_FIELDS.contains(m.getName())
          && !m.getName().startsWith("add")
          && !m.getName().startsWith("put")
          && !java.util.function.Consumer.class.equals(m.getParameterTypes()[0])) {
        setters.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
      }
    }
    return setters;
  }

  private static void set(Object builder, List<Method> candidates, JsonNode value, Violations v) {
    List<String> tried = new ArrayList<>();
    for (Method m : candidates) {
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
      if (attempt.hasErrors() && isSpec(target)) {
        v.addAll(attempt.all());
        return;
      }
      tried.add(describe(target));
    }
    v.error("", value.toString(), "has the wrong type; expected " + String.join(" or ", tried));
  }

  private static boolean isSpec(Type t) {
    if (!(t instanceof Class<?> c)) {
      return false;
    }
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
          Object e = convert(value.get(i), element, v.at("", i));
          if (e == null) {
            return null;
          }
          list.add(e);
        }
        return list;
      }
      if (Map.class.isAssignableFrom(raw) && value.isObject()) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
          Object converted = convert(e.getValue(), bound(args[1]), v.at(e.getKey()));
          if (converted == null) {
            return null;
          }
          map.put(e.getKey(), converted);
        }
        return map;
      }
      if (Optional.class.equals(raw)) {
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
        && value.canConvertToInt()
        && value.isIntegralNumber()) {
      return value.asInt();
    }
    if ((c == long.class || c == Long.class) && value.isIntegralNumber()) {
      return value.asLong();
    }
    if ((c == double.class || c == Double.class) && value.isNumber()) {
      return value.asDouble();
    }
    if ((c == boolean.class || c == Boolean.class) && value.isBoolean()) {
      return value.asBoolean();
    }
    if (c.isEnum() && value.isString()) {
      for (Object constant : c.getEnumConstants()) {
        Enum<?> e = (Enum<?>) constant;
        if (e.name().equalsIgnoreCase(value.asString().replace('-', '_'))
            || e.toString().equals(value.asString())) {
          return e;
        }
      }
      return null;
    }
    if (value.isObject() && isSpec(c)) {
      return spec(value, c, v);
    }
    return null;
  }

  private static Type bound(Type t) {
    if (t instanceof java.lang.reflect.WildcardType w) {
      return w.getUpperBounds()[0];
    }
    return t;
  }

  private static String describe(Type t) {
    if (t instanceof Class<?> c) {
      if (c.isEnum()) {
        List<String> names = new ArrayList<>();
        for (Object e : c.getEnumConstants()) {
          names.add(((Enum<?>) e).name());
        }
        return "one of " + names;
      }
      return c.getSimpleName();
    }
    return t.getTypeName().replaceAll("[a-z]+\\.", "");
  }
}
