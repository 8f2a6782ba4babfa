package io.github.gkeinference.autoscaling.keda;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.Serial;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A namespaced KEDA resource ({@code keda.sh/v1alpha1}) with metadata and a typed spec.
 *
 * @param <S> the spec type
 */
public abstract class KedaResource<S extends Serializable> implements HasMetadata, Namespaced {
  @Serial private static final long serialVersionUID = 1L;

  /** The API version of every KEDA resource here. */
  public static final String API_VERSION = "keda.sh/v1alpha1";

  private String apiVersion = API_VERSION;
  private @Nullable ObjectMeta metadata;
  private @Nullable S spec;

  /** Creates an empty resource (for Jackson). */
  protected KedaResource() {}

  /**
   * Creates a resource.
   *
   * @param metadata its metadata
   * @param spec its spec
   */
  protected KedaResource(ObjectMeta metadata, S spec) {
    this.metadata = metadata;
    this.spec = spec;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  /**
   * Ignores the kind, which each subclass fixes; present for Jackson.
   *
   * @param kind the kind
   */
  public void setKind(String kind) {
    // fixed by the subclass
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  /** Returns the spec. */
  public @Nullable S getSpec() {
    return spec;
  }

  /**
   * Sets the spec.
   *
   * @param spec the spec
   */
  public void setSpec(S spec) {
    this.spec = spec;
  }
}
