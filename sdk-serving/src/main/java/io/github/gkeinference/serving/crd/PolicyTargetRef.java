package io.github.gkeinference.serving.crd;

import java.io.Serializable;

/**
 * The object a GKE networking policy attaches to, for example an InferencePool or a Service.
 *
 * @param group the target's API group ({@code ""} for core)
 * @param kind the target's kind
 * @param name the target's name, in the policy's namespace
 */
public record PolicyTargetRef(String group, String kind, String name) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Returns a reference to an InferencePool.
   *
   * @param name the pool's name
   * @return the reference
   */
  public static PolicyTargetRef inferencePool(String name) {
    return new PolicyTargetRef(InferencePool.GROUP, InferencePool.KIND, name);
  }

  /**
   * Returns a reference to a Service.
   *
   * @param name the Service's name
   * @return the reference
   */
  public static PolicyTargetRef service(String name) {
    return new PolicyTargetRef("", "Service", name);
  }
}
