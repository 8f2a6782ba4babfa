package io.github.gkeinference.serving.internal;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.github.gkeinference.core.render.ManagedPrometheus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NetworkPolicies the serving bundles render by default, so that no pod they create accepts
 * traffic from outside its namespace unless a policy of the bundle says who may reach it.
 *
 * <p>NetworkPolicies add up: a pod selected by several policies admits what any of them admits, so
 * a bundle's Gateway policy (the proxy-only subnet) still reaches a server whose own policy admits
 * only its namespace. Kubelet probes are not subject to NetworkPolicies.
 */
public final class NetworkPolicies {
  private NetworkPolicies() {}

  /**
   * Returns the policy of a model server's pods: ingress only from pods of the same namespace
   * (clients, endpoint pickers, async workers, the other pods of a multi-host group) and from the
   * Managed Prometheus collector ({@link ManagedPrometheus#collectorPeer()}, Standard or
   * Autopilot); everything else is denied.
   *
   * @param name the policy's name
   * @param namespace its namespace
   * @param labels its labels
   * @param pods the labels that select the server's pods
   * @return a fresh policy
   */
  public static NetworkPolicy sameNamespaceAndCollector(
      String name, String namespace, Map<String, String> labels, Map<String, String> pods) {
    return ingressOf(name, namespace, labels, pods)
        .editSpec()
        .addNewIngress()
        .withFrom(
            new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build(),
            ManagedPrometheus.collectorPeer())
        .endIngress()
        .endSpec()
        .build();
  }

  /**
   * Returns a policy that denies all ingress to the selected pods: for pods that only call out (a
   * batch Job's pods, whose worker reaches vLLM on {@code localhost}; a Pub/Sub worker).
   *
   * @param name the policy's name
   * @param namespace its namespace
   * @param labels its labels
   * @param pods the labels that select the pods
   * @return a fresh policy
   */
  public static NetworkPolicy denyIngress(
      String name, String namespace, Map<String, String> labels, Map<String, String> pods) {
    return ingressOf(name, namespace, labels, pods).build();
  }

  /**
   * Returns a policy that admits only the Managed Prometheus collector ({@link
   * ManagedPrometheus#collectorPeer()}), and only on one TCP port: for pods nothing else calls but
   * whose metrics are scraped (a batch Job's pods, whose worker reaches vLLM on {@code localhost}).
   *
   * @param name the policy's name
   * @param namespace its namespace
   * @param labels its labels
   * @param pods the labels that select the pods
   * @param port the metrics port
   * @return a fresh policy
   */
  public static NetworkPolicy collectorOnly(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> pods,
      int port) {
    return ingressOf(name, namespace, labels, pods)
        .editSpec()
        .addNewIngress()
        .withFrom(ManagedPrometheus.collectorPeer())
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  /** An ingress policy over the selected pods, with no rule yet: it admits nothing. */
  private static NetworkPolicyBuilder ingressOf(
      String name, String namespace, Map<String, String> labels, Map<String, String> pods) {
    return new NetworkPolicyBuilder()
        .withMetadata(Pods.meta(name, namespace, labels))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(new LinkedHashMap<>(pods))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .endSpec();
  }
}
