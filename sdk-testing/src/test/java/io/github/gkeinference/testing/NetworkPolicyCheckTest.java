package io.github.gkeinference.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyCheckTest {
  private static final Map<String, String> WEB = Map.of("app", "web");

  private static NetworkPolicy policy(NetworkPolicyPeer... from) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("serving")
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(from)
        .endIngress()
        .endSpec()
        .build();
  }

  private static LabelSelector expression(String operator, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey("tier")
        .withOperator(operator)
        .withValues(List.of(values))
        .endMatchExpression()
        .build();
  }

  @Test
  void admits_podSelectorAlone_meansThePolicysOwnNamespace() {
    NetworkPolicy p =
        policy(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    assertThat(NetworkPolicyCheck.admits(p, "serving", WEB)).isTrue();
    assertThat(NetworkPolicyCheck.admits(p, "other", WEB)).isFalse();
  }

  @Test
  void admits_namespaceAndPodSelector_needsBoth() {
    NetworkPolicy p =
        policy(
            new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", "monitoring")
                .endNamespaceSelector()
                .withNewPodSelector()
                .addToMatchLabels("app", "scraper")
                .endPodSelector()
                .build());
    assertThat(NetworkPolicyCheck.admits(p, "monitoring", Map.of("app", "scraper"))).isTrue();
    assertThat(NetworkPolicyCheck.admits(p, "monitoring", WEB)).isFalse();
    assertThat(NetworkPolicyCheck.admits(p, "serving", Map.of("app", "scraper"))).isFalse();
  }

  @Test
  void admits_ipBlockPeer_admitsNoPod() {
    NetworkPolicy p =
        policy(
            new NetworkPolicyPeerBuilder()
                .withNewIpBlock()
                .withCidr("10.0.0.0/8")
                .endIpBlock()
                .build());
    assertThat(NetworkPolicyCheck.admits(p, "serving", WEB)).isFalse();
  }

  @Test
  void matches_expressions_followTheirOperators() {
    Map<String, String> front = Map.of("tier", "front");
    Map<String, String> none = Map.of();
    assertThat(NetworkPolicyCheck.matches(expression("In", "front", "back"), front)).isTrue();
    assertThat(NetworkPolicyCheck.matches(expression("In", "back"), front)).isFalse();
    assertThat(NetworkPolicyCheck.matches(expression("In", "front"), none)).isFalse();
    assertThat(NetworkPolicyCheck.matches(expression("NotIn", "front"), front)).isFalse();
    assertThat(NetworkPolicyCheck.matches(expression("NotIn", "front"), none)).isTrue();
    assertThat(NetworkPolicyCheck.matches(expression("Exists"), front)).isTrue();
    assertThat(NetworkPolicyCheck.matches(expression("DoesNotExist"), front)).isFalse();
  }
}
