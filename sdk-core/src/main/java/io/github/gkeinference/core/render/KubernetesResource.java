package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rendered Kubernetes object: any fabric8 {@link HasMetadata}, including the SDK's own typed
 * classes for custom resources (ComputeClass, InferencePool, LeaderWorkerSet, ...).
 *
 * <p>fabric8 models are mutable, so the object is serialized into a JSON tree when this resource is
 * created, and {@link #object()} reads a new object from that tree each time it is called; nothing
 * a caller does to the object it passed in or to a returned object changes the rendered set.
 * Writing YAML ({@code core.emit}) reads the tree ({@link #tree()}) and needs no typed copy:
 * reading a fabric8 model back builds Jackson deserializers for every class it contains, the
 * largest cost of a one-shot render (docs/benchmarks.md, "CLI start-up").
 */
public final class KubernetesResource implements RenderedResource {

  /**
   * Reads back classes fabric8 does not know by kind through their own Jackson annotations: fabric8
   * annotates its resource interfaces with a deserializer that picks the class by kind, which would
   * turn an unknown kind into a generic resource. Built on first read, after {@link
   * Fabric8Runtime#requireSupported()}: with an older fabric8 (and its older Jackson annotations)
   * building it fails.
   */
  private static final class Copier {
    static final JsonMapper MAPPER =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(io.fabric8.kubernetes.api.model.KubernetesResource.class, PlainBean.class)
            .addMixIn(HasMetadata.class, PlainBean.class)
            .build();
  }

  @JsonDeserialize(using = ValueDeserializer.None.class)
  private interface PlainBean {}

  private final Class<? extends HasMetadata> type;
  private final ObjectNode tree;
  private final String apiVersion;
  private final String kind;
  private final String name;
  private final @Nullable String namespace;
  private final int applyRank;

  private KubernetesResource(HasMetadata object, int applyRank) {
    this.type = object.getClass();
    this.tree = treeOf(object);
    this.apiVersion = object.getApiVersion();
    this.kind = object.getKind();
    this.name = object.getMetadata().getName();
    this.namespace = object.getMetadata().getNamespace();
    this.applyRank = applyRank;
  }

  /**
   * Wraps a copy of a Kubernetes object, ranked by its kind.
   *
   * @param object the object; it must have an apiVersion, a kind and a name
   * @return the resource
   */
  public static KubernetesResource of(HasMetadata object) {
    return of(object, ApplyOrder.rank(object.getKind()));
  }

  /**
   * Wraps a copy of a Kubernetes object with an explicit apply rank, for kinds the SDK does not
   * know about.
   *
   * @param object the object; it must have an apiVersion, a kind and a name
   * @param applyRank where it goes in apply order (see {@link RenderedResource#applyRank()})
   * @return the resource
   */
  public static KubernetesResource of(HasMetadata object, int applyRank) {
    Fabric8Runtime.requireSupported();
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(object.getApiVersion(), "object.apiVersion");
    Objects.requireNonNull(object.getKind(), "object.kind");
    Objects.requireNonNull(object.getMetadata(), "object.metadata");
    Objects.requireNonNull(object.getMetadata().getName(), "object.metadata.name");
    return new KubernetesResource(object, applyRank);
  }

  /**
   * Reads an edited copy of this resource's {@link #tree()} back as its class and wraps it with the
   * same apply rank, so that the SDK's typed custom resources stay typed ({@link Transforms}).
   */
  KubernetesResource withTree(JsonNode edited) {
    return of(fromTree(type, edited), applyRank);
  }

  /** Returns a copy of the object; changing it does not change this resource. */
  public HasMetadata object() {
    return fromTree(type, tree);
  }

  /**
   * Returns a copy of the object as the given type.
   *
   * @param type the expected class, for example {@code Deployment.class}
   * @param <T> the type
   * @return the copy
   * @throws ClassCastException when the object is not of that type
   */
  public <T extends HasMetadata> T object(Class<T> type) {
    if (!type.isAssignableFrom(this.type)) {
      throw new ClassCastException(
          "cannot cast " + this.type.getName() + " to " + type.getName() + " (" + this + ")");
    }
    return type.cast(object());
  }

  /**
   * Returns the object as a JSON tree, as Kubernetes reads it: the fields fabric8 (or the SDK's
   * typed class) serializes, in their order. A copy; changing it does not change this resource.
   *
   * @return a new tree
   */
  public ObjectNode tree() {
    return tree.deepCopy();
  }

  /**
   * Returns whether the object is an instance of {@code type}.
   *
   * @param type a class or interface, for example {@code Deployment.class} or {@code
   *     Namespaced.class}
   * @return whether the object's class is {@code type} or a subtype
   */
  public boolean is(Class<?> type) {
    return type.isAssignableFrom(this.type);
  }

  @Override
  public String apiVersion() {
    return apiVersion;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public @Nullable String namespace() {
    return namespace;
  }

  @Override
  public int applyRank() {
    return applyRank;
  }

  @Override
  public String toString() {
    String ns = namespace();
    return kind() + " " + (ns == null ? "" : ns + "/") + name();
  }

  /**
   * Returns an object as a JSON tree through {@link Fabric8Runtime#writer()}, fabric8's models and
   * the SDK's typed custom resources alike: writing follows each class's own annotations either
   * way, and one mapper builds the serializers of the classes they share (ObjectMeta and its parts)
   * once. Only reading back differs ({@link #fromTree}).
   */
  private static ObjectNode treeOf(HasMetadata object) {
    return Fabric8Runtime.writer().valueToTree(object);
  }

  /**
   * Reads a tree as a new object of {@code type}: fabric8's models through fabric8's serialization,
   * every other class through the {@link Copier}, so that it comes back as the same class even when
   * fabric8 does not know its kind.
   */
  private static HasMetadata fromTree(Class<? extends HasMetadata> type, JsonNode tree) {
    if (type.getName().startsWith("io.fabric8.")) {
      return Fabric8Runtime.serialization().convertValue(tree, type);
    }
    return Copier.MAPPER.convertValue(tree, type);
  }
}
