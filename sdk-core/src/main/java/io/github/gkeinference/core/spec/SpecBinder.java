package io.github.gkeinference.core.spec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyName;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Binds a YAML/JSON spec to one of the SDK's spec types with Jackson, through the {@code Json}
 * delegate that Immutables generates for every spec type annotated {@code @JsonDeserialize(as =
 * ImmutableX.class)}: a spec file takes exactly the fields of the Java builder, a nested object is
 * the nested spec, a record (a node taint) its components, a protobuf message (a GKE {@code
 * NodePool}) its protobuf JSON mapping, an enum value its constant name or the name in lower case
 * with '-' for '_'. A field whose type is an interface (a {@link ModelSource}) names the
 * implementation in a {@value #TYPE} field, declared on the interface with Jackson's
 * {@code @JsonTypeInfo} and {@code @JsonSubTypes} ({@link #INTERFACES}):
 *
 * <pre>{@code
 * source:
 *   type: gcsFuse
 *   location: {bucket: my-models, path: meta-llama/llama-3.1-8b-instruct}
 * }</pre>
 *
 * <p>Jackson stops at the first problem, while a spec file must report all of them, so the spec is
 * first validated against its generated JSON Schema ({@link SpecSchema}, with the networknt
 * validator): every unknown field, value of the wrong type and missing required field becomes a
 * violation with its path ({@code nodeLocations[1]}, {@code autoscaling.maxReplicas}). Only a spec
 * the schema accepts is bound; then the rules of the spec's own {@code build()} run, their paths
 * placed under the nested spec's path.
 *
 * <p>{@link SpecFiles} uses it for every document of a spec file; call {@link #bind} directly for a
 * file that holds one bare spec (the CLI's cluster file).
 */
public final class SpecBinder {
  private static final Pattern REQUIRED =
      Pattern.compile("some of required attributes are not set \\[([^\\]]*)\\]");
  private static final JsonFormat.Parser PROTO_JSON = JsonFormat.parser();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Compiled> COMPILED = new ConcurrentHashMap<>();
  private static final JsonMapper MAPPER = mapper(null, Map.of());
  private static final String RESOLVER = SpecBinder.class.getName() + ".resolver";

  /** The field that names the implementation of an interface-typed field. */
  public static final String TYPE = ModelSource.TYPE;

  /**
   * The implementations a spec file may choose for each interface-typed field, by {@value #TYPE}
   * value, as the interface's {@code @JsonSubTypes} declare them. A name is the implementation's
   * simple name without the interface's suffix, in lower camel case ({@code GcsFuseSource} is
   * {@code gcsFuse}), so a reader of the Java API can guess it. {@link ModelSource} defaults to
   * {@code huggingFace} when {@value #TYPE} is absent, as the serving specs' own {@code source()}
   * defaults to the Hugging Face hub.
   */
  public static final Map<Class<?>, Implementations> INTERFACES =
      Map.of(ModelSource.class, requireImplementations(ModelSource.class));

  /**
   * The implementations of one interface, read from its Jackson {@code @JsonTypeInfo} and
   * {@code @JsonSubTypes}.
   *
   * @param property the field that names the implementation
   * @param defaultType the name assumed when a file leaves the field out, or null when it is
   *     required
   * @param types the implementation of each name, sorted by name
   */
  public record Implementations(
      String property, @Nullable String defaultType, Map<String, Class<?>> types) {}

  private SpecBinder() {}

  private static Implementations requireImplementations(Class<?> type) {
    SpecSchema.Implementations found = SpecSchema.Implementations.of(type);
    if (found == null) {
      throw new IllegalStateException(type + " has no @JsonTypeInfo and @JsonSubTypes");
    }
    return new Implementations(found.property(), found.defaultType(), found.types());
  }

  /**
   * Builds a spec from a JSON tree.
   *
   * @param node the spec's fields
   * @param type the spec type, annotated {@code @JsonDeserialize(as = ImmutableX.class)}
   * @param v where violations go, at the spec's path
   * @return the spec, or empty when any violation was found
   */
  public static <T> Optional<T> bind(JsonNode node, Class<T> type, Violations v) {
    return bind(node, type, Map.of(), name -> Optional.empty(), v);
  }

  /**
   * Builds a spec from a JSON tree in which some fields name a workload of an earlier document.
   *
   * @param node the spec's fields
   * @param type the spec type
   * @param references for each field that names a workload, how the spec's value is made from that
   *     workload's rendered set
   * @param workloads finds the rendered set of a workload by name, or empty when none has it
   * @param v where violations go, at the spec's path
   * @return the spec, or empty when any violation was found
   */
  static <T> Optional<T> bind(
      JsonNode node,
      Class<T> type,
      Map<String, Function<RenderedSet, ?>> references,
      Function<String, Optional<RenderedSet>> workloads,
      Violations v) {
    int before = v.all().size();
    checkSchema(node, type, references.keySet(), v);
    if (v.all().size() > before) {
      return Optional.empty();
    }
    JsonMapper mapper = references.isEmpty() ? MAPPER : mapper(type, references);
    try {
      return Optional.of(
          mapper.readerFor(type).withAttribute(RESOLVER, workloads).<T>readValue(node));
    } catch (JacksonException e) {
      report(e, v);
      return Optional.empty();
    }
  }

  /** Reports every place where the spec breaks its schema, one violation per path. */
  private static void checkSchema(JsonNode node, Class<?> type, Set<String> refs, Violations v) {
    Compiled schema =
        COMPILED.computeIfAbsent(
            type.getName() + refs,
            k -> {
              JsonNode root = SpecSchema.of(type, refs);
              return new Compiled(root, SCHEMAS.getSchema(root));
            });
    List<Error> errors = schema.schema().validate(node);
    Set<NodePath> misspelt = new HashSet<>();
    for (Error e : errors) {
      if ("additionalProperties".equals(e.getKeyword())) {
        misspelt.add(e.getInstanceLocation());
      }
    }
    Set<String> reported = new HashSet<>();
    for (Error e : errors) {
      // a misspelt field is also a missing one: report the misspelling alone
      if ("required".equals(e.getKeyword()) && misspelt.contains(e.getInstanceLocation())) {
        continue;
      }
      Violations at = at(v, e.getInstanceLocation());
      String field =
          "additionalProperties".equals(e.getKeyword()) || "required".equals(e.getKeyword())
              ? String.valueOf(e.getProperty())
              : "";
      if (!reported.add(at.at(field).path())) {
        continue;
      }
      JsonNode value = e.getInstanceNode();
      switch (e.getKeyword()) {
        case "additionalProperties" ->
            at.error(
                field,
                null,
                "unknown field; "
                    + parent(schema.root(), e).path("title").asString("this object")
                    + " takes "
                    + fieldNames(parent(schema.root(), e)));
        case "required" -> at.error(field, null, "is required");
        case "type" ->
            at.error(
                "",
                scalar(value),
                "has the wrong type; expected " + expected(parent(schema.root(), e)));
        case "enum" ->
            at.error(
                "",
                scalar(value),
                "must be one of " + enumValues(parent(schema.root(), e).path("enum")));
        // SpecSchema marks a type Jackson cannot build with "not": {} and says so in its
        // description
        case "not" ->
            at.error(
                "",
                null,
                parent(schema.root(), e).path("description").asString("cannot be written")
                    + "; build it in Java");
        default -> at.error("", scalar(value), e.getMessage());
      }
    }
  }

  /** A spec's generated schema and its compiled form. */
  private record Compiled(JsonNode root, Schema schema) {}

  private static @Nullable Object scalar(@Nullable JsonNode value) {
    return value == null ? null : value.isValueNode() ? value.asString() : value.toString();
  }

  private static Violations at(Violations v, NodePath path) {
    Violations at = v;
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      at = element instanceof Integer index ? at.at("", index) : at.at(String.valueOf(element));
    }
    return at;
  }

  /** The schema object that holds the keyword an error is about. */
  private static JsonNode parent(JsonNode root, Error e) {
    NodePath fragment = e.getSchemaLocation().getFragment();
    JsonNode node = root;
    for (int i = 0; i < fragment.getNameCount() - 1; i++) {
      Object element = fragment.getElement(i);
      node =
          element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
    }
    return node;
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.path("properties").propertyNames().forEach(names::add);
    return names;
  }

  private static String expected(JsonNode schema) {
    JsonNode type = schema.path("type");
    List<String> types = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> types.add(t.asString()));
    } else {
      types.add(type.asString());
    }
    List<String> words = new ArrayList<>();
    for (String t : types) {
      words.add(
          switch (t) {
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "string" ->
                schema.has("enum") ? "one of " + enumValues(schema.get("enum")) : "a string";
            case "array" -> "a list";
            case "null" -> "null";
            default ->
                schema.has("description")
                    ? "an object: " + schema.get("description").asString()
                    : "an object"
                        + (schema.has("title") ? " (" + schema.get("title").asString() + ")" : "");
          });
    }
    return String.join(" or ", words);
  }

  private static List<String> enumValues(JsonNode values) {
    List<String> names = new ArrayList<>();
    values.forEach(x -> names.add(x.isNull() ? "null" : x.asString()));
    return names;
  }

  /** Turns the first problem Jackson met into violations at its path. */
  private static void report(JacksonException e, Violations v) {
    Violations at = v;
    for (JacksonException.Reference r : e.getPath()) {
      at = r.getPropertyName() != null ? at.at(r.getPropertyName()) : at.at("", r.getIndex());
    }
    Throwable cause = e.getCause();
    if (cause instanceof SdkValidationException invalid) {
      at.addAll(invalid.violations());
    } else if (cause instanceof IllegalStateException missing
        && missing.getMessage() != null
        && REQUIRED.matcher(missing.getMessage()).find()) {
      Matcher m = REQUIRED.matcher(missing.getMessage());
      m.find();
      for (String attribute : m.group(1).split(",\\s*")) {
        at.error(attribute, null, "is required");
      }
    } else if (cause != null && !(cause instanceof JacksonException)) {
      at.error("", null, String.valueOf(cause.getMessage()));
    } else {
      at.error("", null, e.getOriginalMessage());
    }
  }

  /**
   * The Jackson mapper of spec files: unknown properties, nulls for primitives and numbers for
   * enums fail; protobuf messages are read in their JSON mapping; enum names in any case, with '-'
   * for '_'. With {@code references}, the type's reference fields take a workload's name.
   */
  private static JsonMapper mapper(
      @Nullable Class<?> type, Map<String, Function<RenderedSet, ?>> references) {
    SimpleModule module = new SimpleModule("gke-inference-spec-files");
    module.setDeserializerModifier(
        new ValueDeserializerModifier() {
          private static final long serialVersionUID = 1L;

          @Override
          public ValueDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription.Supplier description,
              ValueDeserializer<?> deserializer) {
            Class<?> c = description.getBeanClass();
            return Message.class.isAssignableFrom(c) ? new MessageDeserializer(c) : deserializer;
          }

          @Override
          public ValueDeserializer<?> modifyEnumDeserializer(
              DeserializationConfig config,
              JavaType enumType,
              BeanDescription.Supplier description,
              ValueDeserializer<?> deserializer) {
            return new EnumDeserializer(enumType.getRawClass());
          }

          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config,
              BeanDescription.Supplier description,
              BeanDeserializerBuilder builder) {
            if (type == null || !type.isAssignableFrom(description.getBeanClass())) {
              return builder;
            }
            references.forEach(
                (field, value) -> {
                  SettableBeanProperty p = builder.findProperty(PropertyName.construct(field));
                  if (p != null) {
                    builder.addOrReplaceProperty(
                        p.withValueDeserializer(new ReferenceDeserializer(value)), true);
                  }
                });
            return builder;
          }
        });
    return JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .addModule(module)
        .build();
  }

  /** Reads a protobuf message from its JSON mapping; unknown fields are rejected. */
  private static final class MessageDeserializer extends ValueDeserializer<Object> {
    private final Class<?> type;

    MessageDeserializer(Class<?> type) {
      this.type = type;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
      JsonNode tree = ctxt.readTree(p);
      try {
        Message.Builder b = (Message.Builder) type.getMethod("newBuilder").invoke(null);
        PROTO_JSON.merge(tree.toString(), b);
        return b.build();
      } catch (InvalidProtocolBufferException e) {
        return ctxt.reportInputMismatch(
            type, "is not a valid %s: %s", type.getSimpleName(), e.getMessage());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(type + " has no newBuilder()", e);
      }
    }
  }

  /** An enum constant by name, in any case, '-' for '_'; never protobuf's UNRECOGNIZED. */
  private static final class EnumDeserializer extends ValueDeserializer<Object> {
    private final Class<?> type;

    EnumDeserializer(Class<?> type) {
      this.type = type;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
      String text = p.getString();
      if (text != null) {
        String name = text.replace('-', '_').toUpperCase(Locale.ROOT);
        for (String constant : SpecSchema.enumNames(type)) {
          if (constant.toUpperCase(Locale.ROOT).equals(name)) {
            for (Object e : type.getEnumConstants()) {
              if (((Enum<?>) e).name().equals(constant)) {
                return e;
              }
            }
          }
        }
      }
      return ctxt.reportInputMismatch(
          type, "must be one of %s", SpecSchema.enumNames(type).toString());
    }
  }

  /** A field that names a workload of an earlier document, made into the spec's value. */
  private static final class ReferenceDeserializer extends ValueDeserializer<Object> {
    private final Function<RenderedSet, ?> value;

    ReferenceDeserializer(Function<RenderedSet, ?> value) {
      this.value = value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
      String name = p.getString();
      Function<String, Optional<RenderedSet>> workloads =
          (Function<String, Optional<RenderedSet>>) ctxt.getAttribute(RESOLVER);
      Optional<RenderedSet> set =
          name == null || workloads == null ? Optional.empty() : workloads.apply(name);
      if (set.isEmpty()) {
        return ctxt.reportInputMismatch(
            this,
            "must name a Deployment, StatefulSet, LeaderWorkerSet, JobSet or Job that an earlier"
                + " document renders");
      }
      return value.apply(set.get());
    }
  }
}
