package io.github.gkeinference.autoscaling.keda;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.io.Serial;
import java.io.Serializable;

/**
 * A KEDA {@code TriggerAuthentication} ({@code keda.sh/v1alpha1}) that authenticates scalers with
 * the pod identity of KEDA's operator; {@code provider: gcp} uses Workload Identity on GKE (KEDA
 * docs, GCP Pub/Sub scaler, "Pod identity based authentication"). Tested for structure only: no
 * schema for KEDA's CRDs is available in this project.
 */
@Group("keda.sh")
@Version("v1alpha1")
@Kind("TriggerAuthentication")
public final class TriggerAuthentication extends KedaResource<TriggerAuthentication.Spec> {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates an empty TriggerAuthentication (for Jackson). */
  public TriggerAuthentication() {}

  /**
   * Creates a TriggerAuthentication.
   *
   * @param metadata its metadata
   * @param spec its spec
   */
  public TriggerAuthentication(ObjectMeta metadata, Spec spec) {
    super(metadata, spec);
  }

  @Override
  public String getKind() {
    return "TriggerAuthentication";
  }

  /**
   * The spec.
   *
   * @param podIdentity the identity provider
   */
  public record Spec(PodIdentity podIdentity) implements Serializable {}

  /**
   * A pod identity provider.
   *
   * @param provider for example {@code gcp}
   */
  public record PodIdentity(String provider) implements Serializable {}
}
