package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.gkeinference.serving.comfyui.ComfyUiTest;
import io.github.gkeinference.serving.gateway.InferenceGatewayTest;
import io.github.gkeinference.testing.NetworkPolicyCheck;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every NetworkPolicy this module renders lets the Managed Prometheus collector scrape on GKE
 * Standard ({@code gmp-system}) and on Autopilot ({@code gke-gmp-system}), and opens nothing more
 * to other namespaces.
 */
class CollectorIngressTest {
  private static final Map<String, String> COLLECTOR_POD =
      Map.of("app.kubernetes.io/name", "collector");

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of(
            "gateway",
            InferenceGatewayTest.canary()
                .render()
                .find(NetworkPolicy.class, "llama-ingress")
                .orElseThrow()),
        Arguments.of(
            "comfyui",
            ComfyUiTest.l4().render().find(NetworkPolicy.class, "comfyui-ingress").orElseThrow()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void networkPolicy_admitsTheAutopilotCollector(String name, NetworkPolicy policy) {
    assertThat(NetworkPolicyCheck.admits(policy, "gke-gmp-system", COLLECTOR_POD)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void networkPolicy_stillAdmitsTheStandardCollector(String name, NetworkPolicy policy) {
    assertThat(NetworkPolicyCheck.admits(policy, "gmp-system", COLLECTOR_POD)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void networkPolicy_admitsNoOtherPodFromAnotherNamespace(String name, NetworkPolicy policy) {
    Map<String, String> ruleEvaluator = Map.of("app.kubernetes.io/name", "rule-evaluator");
    assertThat(NetworkPolicyCheck.admits(policy, "gke-gmp-system", ruleEvaluator)).isFalse();
    assertThat(NetworkPolicyCheck.admits(policy, "gmp-system", ruleEvaluator)).isFalse();
    for (String ns : new String[] {"default", "gmp-public", "kube-system"}) {
      assertThat(NetworkPolicyCheck.admits(policy, ns, COLLECTOR_POD)).as(ns).isFalse();
    }
  }
}
