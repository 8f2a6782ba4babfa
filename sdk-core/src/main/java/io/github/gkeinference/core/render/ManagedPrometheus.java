package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;

/**
 * Where the Google Cloud Managed Service for Prometheus collector runs, so that every NetworkPolicy
 * and RBAC binding that lets it scrape names it the same way.
 *
 * <p>The managed collector runs as ServiceAccount {@code collector} in namespace {@code gmp-system}
 * on GKE Standard and in {@code gke-gmp-system} on GKE Autopilot
 * (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
 * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md, from the
 * inference extension chart's GKE template {@code _gke.yaml} v1.5.0, which switches the namespace
 * on {@code provider.gke.autopilot}). A rendered manifest does not know which mode its cluster runs
 * in, so {@link #collectorNamespaces()} admits both: the other mode's namespace does not exist on a
 * cluster, and only GKE may create pods in either.
 */
public final class ManagedPrometheus {
  /**
   * The collector's namespace on GKE Standard
   * (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md).
   */
  public static final String STANDARD_NAMESPACE = "gmp-system";

  /**
   * The collector's namespace on GKE Autopilot
   * (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md).
   */
  public static final String AUTOPILOT_NAMESPACE = "gke-gmp-system";

  /**
   * The collector's ServiceAccount name, and the value of its pods' {@code app.kubernetes.io/name}
   * label (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md;
   * prometheus-engine chart {@code _helpers.tpl}). That the Autopilot collector's pods carry the
   * same label is not confirmed by a source we hold: GKE deploys the same component there.
   */
  public static final String COLLECTOR = "collector";

  /**
   * The label Kubernetes sets on every namespace to its own name, which a namespace selector can
   * match without the namespace's owner labelling it.
   */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private ManagedPrometheus() {}

  /**
   * Returns the collector's namespace in one cluster mode.
   *
   * @param autopilot whether the cluster is GKE Autopilot
   * @return {@value #AUTOPILOT_NAMESPACE} on Autopilot, else {@value #STANDARD_NAMESPACE}
   */
  public static String collectorNamespace(boolean autopilot) {
    return autopilot ? AUTOPILOT_NAMESPACE : STANDARD_NAMESPACE;
  }

  /**
   * Returns a namespace selector matching the collector's namespace in both cluster modes: one
   * {@code In} expression on {@code kubernetes.io/metadata.name}.
   *
   * @return a new selector on each call (fabric8 models are mutable)
   */
  public static LabelSelector collectorNamespaces() {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(NAMESPACE_NAME_LABEL)
        .withOperator("In")
        .withValues(List.of(STANDARD_NAMESPACE, AUTOPILOT_NAMESPACE))
        .endMatchExpression()
        .build();
  }

  /**
   * Returns a NetworkPolicy peer admitting the collector's pods (label {@code
   * app.kubernetes.io/name=collector}) in {@link #collectorNamespaces()}.
   *
   * @return a new peer on each call
   */
  public static NetworkPolicyPeer collectorPeer() {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(collectorNamespaces())
        .withNewPodSelector()
        .addToMatchLabels(Labels.NAME, COLLECTOR)
        .endPodSelector()
        .build();
  }
}
