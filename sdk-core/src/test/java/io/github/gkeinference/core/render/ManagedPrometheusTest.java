package io.github.gkeinference.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.github.gkeinference.testing.NetworkPolicyCheck;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedPrometheusTest {
  private static final Map<String, String> COLLECTOR_POD =
      Map.of("app.kubernetes.io/name", "collector");

  /** A policy in namespace {@code serving} whose only ingress peer is the collector. */
  private static NetworkPolicy collectorOnly() {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName("metrics")
        .withNamespace("serving")
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(ManagedPrometheus.collectorPeer())
        .endIngress()
        .endSpec()
        .build();
  }

  @Test
  void collectorNamespace_onAutopilot_isGkeGmpSystem() {
    assertThat(ManagedPrometheus.collectorNamespace(true)).isEqualTo("gke-gmp-system");
  }

  @Test
  void collectorNamespace_onStandard_isGmpSystem() {
    assertThat(ManagedPrometheus.collectorNamespace(false)).isEqualTo("gmp-system");
  }

  @Test
  void collectorPeer_admitsTheAutopilotCollector() {
    assertThat(NetworkPolicyCheck.admits(collectorOnly(), "gke-gmp-system", COLLECTOR_POD))
        .isTrue();
  }

  @Test
  void collectorPeer_admitsTheStandardCollector() {
    assertThat(NetworkPolicyCheck.admits(collectorOnly(), "gmp-system", COLLECTOR_POD)).isTrue();
  }

  @Test
  void collectorPeer_admitsNoOtherPodInTheCollectorNamespaces() {
    Map<String, String> ruleEvaluator = Map.of("app.kubernetes.io/name", "rule-evaluator");
    assertThat(NetworkPolicyCheck.admits(collectorOnly(), "gmp-system", ruleEvaluator)).isFalse();
    assertThat(NetworkPolicyCheck.admits(collectorOnly(), "gke-gmp-system", ruleEvaluator))
        .isFalse();
  }

  @Test
  void collectorPeer_admitsNoCollectorLabelledPodElsewhere() {
    for (String ns : new String[] {"serving", "default", "gmp-public", "kube-system"}) {
      assertThat(NetworkPolicyCheck.admits(collectorOnly(), ns, COLLECTOR_POD)).as(ns).isFalse();
    }
  }

  @Test
  void collectorPeer_isSchemaValidInAPolicy() {
    SchemaValidator.forTests().assertValid(collectorOnly());
  }

  @Test
  void collectorNamespaces_returnsAFreshSelectorEachCall() {
    assertThat(ManagedPrometheus.collectorNamespaces())
        .isNotSameAs(ManagedPrometheus.collectorNamespaces());
  }
}
