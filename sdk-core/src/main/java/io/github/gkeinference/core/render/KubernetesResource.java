package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rendered Kubernetes object: any fabric8 {@link HasMetadata}, including the SDK's own typed
 * classes for custom resources (ComputeClass, InferencePool, LeaderWorkerSet, ...).
 *
 * <p>fabric8 models are mutable, so the object is copied when this resource is created and again
 * each time {@link #object()} is called; nothing a caller does to a returned object changes the
 * rendered set.
 */
public final class KubernetesResource implements RenderedResource {

  /**
   * Copies classes fabric8 does not know by kind through their own Jackson annotations: fabric8
   * annotates its resource interfaces with a deserializer that picks the class by kind, which would
   * turn an unknown kind into a generic resource. Built on first copy, after {@link
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

  private final HasMetadata object;
  private final int applyRank;

  private KubernetesResource(HasMetadata object, int applyRank) {
    this.object = object;
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
    return new KubernetesResource(copy(object), applyRank);
  }

  /** Returns a copy of the object; changing it does not change this resource. */
  public HasMetadata object() {
    return copy(object);
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
    return type.cast(copy(object));
  }

  /** Returns whether the object is an instance of {@code type}. */
  public boolean is(Class<? extends HasMetadata> type) {
    return type.isInstance(object);
  }

  @Override
  public String apiVersion() {
    return object.getApiVersion();
  }

  @Override
  public String kind() {
    return object.getKind();
  }

  @Override
  public String name() {
    return object.getMetadata().getName();
  }

  @Override
  public @Nullable String namespace() {
    return object.getMetadata().getNamespace();
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
   * Copies fabric8's own models with fabric8's {@code clone}, and every other class (the SDK's
   * typed custom resources) through that class, so that they stay typed even when fabric8 does not
   * know their kind; each object is serialized once.
   */
  private static HasMetadata copy(HasMetadata object) {
    if (object.getClass().getName().startsWith("io.fabric8.")) {
      return Fabric8Runtime.serialization().clone(object);
    }
    return Copier.MAPPER.convertValue(object, object.getClass());
  }

  /** Returns an object as a JSON tree, for {@link Transforms} to edit. */
  static tools.jackson.databind.node.ObjectNode tree(HasMetadata object) {
    if (object.getClass().getName().startsWith("io.fabric8.")) {
      return Fabric8Runtime.serialization()
          .convertValue(object, tools.jackson.databind.node.ObjectNode.class);
    }
    return Copier.MAPPER.valueToTree(object);
  }

  /**
   * Reads an edited tree back as the class of {@code like}, the way {@link #copy} does, so that the
   * SDK's typed custom resources stay typed.
   */
  static HasMetadata fromTree(HasMetadata like, tools.jackson.databind.JsonNode tree) {
    if (like.getClass().getName().startsWith("io.fabric8.")) {
      return Fabric8Runtime.serialization().convertValue(tree, like.getClass());
    }
    return Copier.MAPPER.convertValue(tree, like.getClass());
  }
}
