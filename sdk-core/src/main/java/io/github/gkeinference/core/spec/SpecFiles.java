package io.github.gkeinference.core.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.Transform;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Secrets;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads spec files: YAML or JSON documents of the form {@code kind: VllmServer} plus {@code spec:
 * {...}}, whose spec fields are those of the kind's Java builder.
 *
 * {@snippet :
 * SpecFiles files = SpecFiles.standard();           // every kind of the SDK modules present
 * RenderedSet resources = files.render(yamlText);   // read, validate, render every document
 * }
 *
 * <p>The spec's fields are bound with Jackson ({@link SpecBinder}): a field {@code modelId} is the
 * attribute {@code modelId()}, a nested object the nested spec, a record its components, a list or
 * map the collection, a protobuf message (a GKE {@code NodePool}) its protobuf JSON mapping, an
 * enum value the constant's name or that name in lower case with '-' for '_'. A field whose type is
 * an interface (a model {@code source}) names its implementation in a {@code type} field ({@code
 * huggingFace}, {@code gcsFuse}, {@code gcsStreaming}). A field such as an autoscaler's {@code
 * target} names a workload that an earlier document renders ({@link SpecKind#withReference}). The
 * kind {@value #MANIFEST} takes a whole Kubernetes object as its spec (for resources the SDK has no
 * spec for, such as a NetworkPolicy) and renders it as it is.
 *
 * <p>Every problem of every document (an unknown kind, an unknown field, a missing required field,
 * a value of the wrong type, a literal credential) is collected, with its path in the file ({@code
 * [1].spec.autoscaling.maxReplicas}), into one {@link SdkValidationException}; a document whose
 * fields are all well formed then adds the rules of its spec's own {@code build()} (those of the
 * first nested spec that breaks one: Jackson builds nested specs one after the other).
 *
 * <p>{@link #schema()} returns the JSON Schema of one document, generated from what Jackson binds
 * (the same schema each spec is checked against before it is bound), so that editors can check and
 * complete files.
 */
public final class SpecFiles {
  /** The kind whose spec is a whole Kubernetes object, rendered as it is. */
  public static final String MANIFEST = "Manifest";

  private static final Set<String> WORKLOAD_KINDS =
      Set.of("Deployment", "StatefulSet", "LeaderWorkerSet", "JobSet", "Job");

  private final Map<String, SpecKind<?>> kinds;

  private SpecFiles(Map<String, SpecKind<?>> kinds) {
    this.kinds = kinds;
  }

  /**
   * Returns the reader of every kind that the SDK modules on the class path provide ({@link
   * SpecKindProvider}, found with {@link ServiceLoader}).
   *
   * @return the reader
   */
  public static SpecFiles standard() {
    List<SpecKind<?>> all = new ArrayList<>();
    for (SpecKindProvider provider :
        ServiceLoader.load(SpecKindProvider.class, SpecFiles.class.getClassLoader())) {
      all.addAll(provider.kinds());
    }
    return of(all);
  }

  /**
   * Returns a reader of exactly these kinds (and {@value #MANIFEST}), for a tool that registers its
   * own.
   *
   * @param kinds the kinds; their names must differ
   * @return the reader
   * @throws IllegalArgumentException when two kinds share a name
   */
  public static SpecFiles of(Collection<? extends SpecKind<?>> kinds) {
    Map<String, SpecKind<?>> byName = new TreeMap<>();
    for (SpecKind<?> kind : kinds) {
      if (kind.name().equals(MANIFEST) || byName.put(kind.name(), kind) != null) {
        throw new IllegalArgumentException("two spec kinds are named " + kind.name());
      }
    }
    return new SpecFiles(byName);
  }

  /** Returns the kinds a file may hold besides {@value #MANIFEST}, by name. */
  public Map<String, SpecKind<?>> kinds() {
    return kinds;
  }

  /**
   * Reads every spec document of a YAML or JSON text.
   *
   * @param text the text
   * @return the specs in file order
   * @throws SdkValidationException listing every problem of every document, with paths such as
   *     {@code [0].spec.replicas}
   */
  public List<RenderableSpec> read(String text) {
    Violations v = Violations.root();
    List<JsonNode> documents;
    try {
      documents = YamlDocuments.read(text);
    } catch (YamlDocuments.InvalidYamlException e) {
      v.error("", null, "is not YAML or JSON: " + e.getMessage());
      v.throwIfErrors();
      return List.of();
    } catch (SdkException e) {
      v.error("", null, e.getMessage());
      v.throwIfErrors();
      return List.of();
    }
    if (documents.isEmpty()) {
      v.error("", null, "the file holds no spec document");
    }
    List<RenderableSpec> specs = new ArrayList<>();
    Map<Integer, RenderedSet> rendered = new HashMap<>();
    Violations literals = Violations.root();
    for (int i = 0; i < documents.size(); i++) {
      Violations doc = v.at("", i);
      read(documents.get(i), doc, specs, rendered).ifPresent(specs::add);
      Secrets.requireNoLiterals(documents.get(i), literals.at("", i));
    }
    // A literal credential anywhere in a document is an error, also in fields whose kind has no
    // rule of its own; a field its kind already rejected is reported once.
    Set<String> reported = new HashSet<>();
    v.all().forEach(x -> reported.add(x.path()));
    v.addAll(literals.all().stream().filter(x -> !reported.contains(x.path())).toList());
    v.throwIfErrors();
    return List.copyOf(specs);
  }

  /**
   * Reads every spec document of a text, validates the specs and renders them into one set, in file
   * order.
   *
   * @param text the YAML or JSON text
   * @return the combined rendered set
   * @throws SdkValidationException listing every problem of every document
   */
  public RenderedSet render(String text) {
    return render(text, set -> set);
  }

  /**
   * Reads, validates and renders every spec document of a text, then applies a transform to the
   * combined set; validate the result (for example with the serving module's {@code
   * BundleValidator}) after this, so that a transform's mistakes are reported too.
   *
   * @param text the YAML or JSON text
   * @param transform the platform's changes, for example {@code Transforms.labels(...)}
   * @return the transformed set
   * @throws SdkValidationException listing every problem of every document, and every literal
   *     credential in the transformed objects ({@link Secrets})
   */
  public RenderedSet render(String text, Transform transform) {
    List<RenderableSpec> specs = read(text);
    Violations v = Violations.root();
    for (int i = 0; i < specs.size(); i++) {
      specs.get(i).validate(v.at("", i).at("spec"));
    }
    v.throwIfErrors();
    RenderedSet.Builder set = RenderedSet.builder();
    for (RenderableSpec spec : specs) {
      set.addAll(spec.render());
    }
    return transform.apply(set.build()).requireNoSecretLiterals();
  }

  /**
   * Returns the JSON Schema (draft 2020-12) of one spec document of the kinds of this reader.
   *
   * @return the schema as JSON text
   */
  public String schema() {
    return SpecSchema.generate(kinds).toPrettyString();
  }

  private Optional<RenderableSpec> read(
      JsonNode node,
      Violations doc,
      List<RenderableSpec> earlier,
      Map<Integer, RenderedSet> cache) {
    if (!node.isObject()) {
      doc.error("", node.toString(), "must be an object with kind and spec");
      return Optional.empty();
    }
    String kind = node.path("kind").asString("");
    node.properties().stream()
        .map(Map.Entry::getKey)
        .filter(k -> !k.equals("kind") && !k.equals("spec"))
        .forEach(k -> doc.error(k, null, "unknown field; a spec document has only kind and spec"));
    if (kind.equals(MANIFEST)) {
      return ManifestSpec.read(node.path("spec"), doc.at("spec")).map(m -> m);
    }
    SpecKind<?> type = kinds.get(kind);
    if (type == null) {
      List<String> names = new ArrayList<>(kinds.keySet());
      names.add(MANIFEST);
      doc.error("kind", kind, "must be one of " + new java.util.TreeSet<>(names));
      return Optional.empty();
    }
    return SpecBinder.bind(
            node.path("spec"),
            type.type(),
            type.references(),
            name -> workload(name, earlier, cache),
            doc.at("spec"))
        .map(s -> s);
  }

  /** Finds the earlier document that renders a workload of the given name. */
  private static Optional<RenderedSet> workload(
      String name, List<RenderableSpec> earlier, Map<Integer, RenderedSet> cache) {
    for (int i = 0; i < earlier.size(); i++) {
      RenderableSpec spec = earlier.get(i);
      RenderedSet set = cache.computeIfAbsent(i, k -> spec.render());
      for (HasMetadata o : set.kubernetesObjects()) {
        if (WORKLOAD_KINDS.contains(o.getKind()) && name.equals(o.getMetadata().getName())) {
          return Optional.of(set);
        }
      }
    }
    return Optional.empty();
  }
}
