package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A rendered Kubernetes object: any fabric8 {@link HasMetadata}, including the SDK's own typed
 * classes for custom resources (ComputeClass, InferencePool, LeaderWorkerSet, ...).
 *
 * <p>fabric8 models are mutable, so the object is copied when this resource is created and again
 * each time {@link #object()} is called; nothing a caller does to a returned object changes the
 * rendered set.
 */
public final class KubernetesResource implements RenderedResource {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

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

  private static HasMetadata copy(HasMetadata object) {
    return SERIALIZATION.clone(object);
  }
}
