package io.github.gkeinference.core.render;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one base of every custom resource the SDK writes (ComputeClass, InferencePool,
 * LeaderWorkerSet, KEDA ScaledObject, Managed Prometheus PodMonitoring, ...): apiVersion, kind,
 * metadata and a typed spec, serialized in that order and without null fields.
 *
 * <p>fabric8 has no model for these kinds. A subclass fixes the kind and a default apiVersion, adds
 * {@link io.fabric8.kubernetes.api.model.Namespaced} when the kind is namespaced, and declares its
 * spec, preferably as immutable records, so a rendered object can only be changed by replacing its
 * metadata or spec. Jackson reads and writes every subclass, which is how {@link RenderedSet}
 * copies them; a subclass needs a public no-argument constructor for that.
 *
 * @param <S> the spec type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public abstract class CustomObject<S> implements HasMetadata {
  private static final long serialVersionUID = 1L;

  private String apiVersion;
  private final String kind;
  private @Nullable ObjectMeta metadata;

  @SuppressWarnings("serial") // specs are written as YAML or JSON, never Java-serialized
  private @Nullable S spec;

  /**
   * Creates an empty object.
   *
   * @param apiVersion the default apiVersion, for example {@code inference.networking.k8s.io/v1}
   * @param kind the kind
   */
  protected CustomObject(String apiVersion, String kind) {
    this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * Creates an object with metadata and a spec.
   *
   * @param apiVersion the apiVersion
   * @param kind the kind
   * @param metadata the metadata
   * @param spec the spec
   */
  protected CustomObject(String apiVersion, String kind, ObjectMeta metadata, S spec) {
    this(apiVersion, kind);
    this.metadata = metadata;
    this.spec = spec;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
  }

  @Override
  public String getKind() {
    return kind;
  }

  /**
   * Accepts the kind read from JSON; it must equal this class's kind.
   *
   * @param kind the kind
   * @throws IllegalArgumentException for another kind
   */
  public void setKind(String kind) {
    if (!this.kind.equals(kind)) {
      throw new IllegalArgumentException("kind " + kind + " is not " + this.kind);
    }
  }

  @Override
  public @Nullable ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(@Nullable ObjectMeta metadata) {
    this.metadata = metadata;
  }

  /** Returns the spec, or {@code null} before it is set. */
  public @Nullable S getSpec() {
    return spec;
  }

  /**
   * Replaces the spec.
   *
   * @param spec the spec
   */
  public void setSpec(@Nullable S spec) {
    this.spec = spec;
  }

  /** Returns the spec, failing when it has not been set. */
  @JsonIgnore
  public S spec() {
    return Objects.requireNonNull(spec, "spec");
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o != null
        && o.getClass() == getClass()
        && o instanceof CustomObject<?> c
        && apiVersion.equals(c.apiVersion)
        && kind.equals(c.kind)
        && Objects.equals(metadata, c.metadata)
        && Objects.equals(spec, c.spec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apiVersion, kind, metadata, spec);
  }

  @Override
  public String toString() {
    String name = metadata == null ? "?" : metadata.getName();
    return kind + "/" + name;
  }
}
