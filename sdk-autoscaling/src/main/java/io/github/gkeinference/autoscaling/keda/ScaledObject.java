package io.github.gkeinference.autoscaling.keda;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A KEDA {@code ScaledObject} ({@code keda.sh/v1alpha1}) with the fields the SDK renders. KEDA
 * creates and owns an HPA for it, and can scale the target to zero replicas.
 *
 * <p>This project holds no schema for KEDA's CRDs ({@code ../shared/schemas}), so ScaledObjects are
 * tested for their structure only. Field names follow KEDA's ScaledObject specification
 * (keda.sh/docs, "Scaling Deployments, StatefulSets and Custom Resources").
 */
@Group("keda.sh")
@Version("v1alpha1")
@Kind(ScaledObject.KIND)
public final class ScaledObject extends CustomObject<ScaledObject.Spec> implements Namespaced {
  @Serial private static final long serialVersionUID = 1L;

  /** The API version of the KEDA resources rendered here. */
  public static final String API_VERSION = "keda.sh/v1alpha1";

  /** The kind. */
  public static final String KIND = "ScaledObject";

  /** Creates an empty ScaledObject (for Jackson). */
  public ScaledObject() {
    super(API_VERSION, KIND);
  }

  /**
   * Creates a ScaledObject.
   *
   * @param metadata its metadata
   * @param spec its spec
   */
  public ScaledObject(ObjectMeta metadata, Spec spec) {
    super(API_VERSION, KIND, metadata, spec);
  }

  /**
   * The ScaledObject's spec.
   *
   * @param scaleTargetRef the workload to scale
   * @param minReplicaCount the fewest replicas; 0 allows scale to zero
   * @param maxReplicaCount the most replicas
   * @param advanced the HPA KEDA creates, with its behaviour
   * @param triggers the metrics
   */
  public record Spec(
      ScaleTargetRef scaleTargetRef,
      Integer minReplicaCount,
      Integer maxReplicaCount,
      @Nullable Advanced advanced,
      List<Trigger> triggers)
      implements Serializable {}

  /**
   * The workload to scale.
   *
   * @param apiVersion its API version
   * @param kind its kind
   * @param name its name
   */
  public record ScaleTargetRef(String apiVersion, String kind, String name)
      implements Serializable {}

  /**
   * Advanced settings.
   *
   * @param horizontalPodAutoscalerConfig settings of the HPA KEDA creates
   */
  public record Advanced(HpaConfig horizontalPodAutoscalerConfig) implements Serializable {}

  /**
   * Settings of the HPA KEDA creates.
   *
   * @param behavior its scaling behaviour
   */
  public record HpaConfig(HorizontalPodAutoscalerBehavior behavior) implements Serializable {}

  /**
   * One scaler.
   *
   * @param type the scaler, for example {@code prometheus} or {@code gcp-pubsub}
   * @param metadata the scaler's settings (all strings)
   * @param authenticationRef the TriggerAuthentication to use, or {@code null}
   */
  public record Trigger(
      String type, Map<String, String> metadata, @Nullable AuthenticationRef authenticationRef)
      implements Serializable {}

  /**
   * A reference to a TriggerAuthentication in the same namespace.
   *
   * @param name its name
   */
  public record AuthenticationRef(String name) implements Serializable {}
}
