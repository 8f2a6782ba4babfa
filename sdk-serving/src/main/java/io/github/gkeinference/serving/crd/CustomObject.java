package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A custom resource the SDK renders: apiVersion, kind, metadata and a typed spec, serialized in
 * that order and without null fields.
 *
 * <p>Subclasses fix the kind and a default apiVersion; the spec is an immutable record, so a
 * rendered object can only be changed by replacing its metadata or spec. Jackson can read and write
 * every subclass, which is how {@code RenderedSet} copies them.
 *
 * @param <S> the spec type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public abstract class CustomObject<S extends Serializable> implements HasMetadata {
  private static final long serialVersionUID = 1L;

  private String apiVersion;
  private final String kind;
  private @Nullable ObjectMeta metadata;
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
  public String toString() {
    String name = metadata == null ? "?" : metadata.getName();
    return kind + "/" + name;
  }
}
