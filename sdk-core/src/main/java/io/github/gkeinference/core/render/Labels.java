package io.github.gkeinference.core.render;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels the SDK puts on everything it renders, so that the applier can find what it owns and
 * selectors, monitors and pools cannot drift apart.
 */
public final class Labels {
  /** {@code app.kubernetes.io/name}: the application, for example {@code vllm}. */
  public static final String NAME = "app.kubernetes.io/name";

  /** {@code app.kubernetes.io/instance}: the unique instance, for example the server's name. */
  public static final String INSTANCE = "app.kubernetes.io/instance";

  /** {@code app.kubernetes.io/component}: the role, for example {@code model-server}. */
  public static final String COMPONENT = "app.kubernetes.io/component";

  /** {@code app.kubernetes.io/part-of}: the larger system, for example an inference service. */
  public static final String PART_OF = "app.kubernetes.io/part-of";

  /** {@code app.kubernetes.io/managed-by}: always {@link #MANAGED_BY_VALUE} on what we render. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY}; the applier's ownership marker. */
  public static final String MANAGED_BY_VALUE = "gke-inference-sdk";

  /**
   * {@code ai.gke.io/model}: the model a server serves, as the GKE reference architecture labels it
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml).
   */
  public static final String MODEL = "ai.gke.io/model";

  /**
   * {@code ai.gke.io/inference-server}: the model server kind, for example {@code vllm}
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml).
   */
  public static final String INFERENCE_SERVER = "ai.gke.io/inference-server";

  private Labels() {}

  /**
   * Returns the standard labels of one component: name, instance, component and managed-by, in a
   * stable order.
   *
   * @param name the application name
   * @param instance the instance name
   * @param component the component's role
   * @return a new mutable map, so that callers can add more labels
   */
  public static Map<String, String> standard(String name, String instance, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, name);
    labels.put(INSTANCE, instance);
    labels.put(COMPONENT, component);
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    return labels;
  }

  /**
   * Returns the labels a selector uses for one component: instance and component, which do not
   * change when other labels do.
   *
   * @param instance the instance name
   * @param component the component's role
   * @return a new mutable map
   */
  public static Map<String, String> selector(String instance, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(INSTANCE, instance);
    labels.put(COMPONENT, component);
    return labels;
  }
}
