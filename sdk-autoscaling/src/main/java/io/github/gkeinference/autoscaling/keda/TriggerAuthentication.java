package io.github.gkeinference.autoscaling.keda;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
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
@Kind(TriggerAuthentication.KIND)
public final class TriggerAuthentication extends CustomObject<TriggerAuthentication.Spec>
    implements Namespaced {
  @Serial private static final long serialVersionUID = 1L;

  /** The API version. */
  public static final String API_VERSION = ScaledObject.API_VERSION;

  /** The kind. */
  public static final String KIND = "TriggerAuthentication";

  /** Creates an empty TriggerAuthentication (for Jackson). */
  public TriggerAuthentication() {
    super(API_VERSION, KIND);
  }

  /**
   * Creates a TriggerAuthentication.
   *
   * @param metadata its metadata
   * @param spec its spec
   */
  public TriggerAuthentication(ObjectMeta metadata, Spec spec) {
    super(API_VERSION, KIND, metadata, spec);
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
