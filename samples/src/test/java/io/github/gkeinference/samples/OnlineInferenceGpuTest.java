package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.gkeinference.testing.NetworkPolicyCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlineInferenceGpuTest {
  private static final Map<String, String> COLLECTOR_POD =
      Map.of("app.kubernetes.io/name", "collector");

  /** The server's own policy: the sample renders no second one. */
  private static NetworkPolicy policy() {
    return OnlineInferenceGpu.render(SampleOptions.defaults())
        .kubernetesObjects(NetworkPolicy.class)
        .stream()
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one NetworkPolicy");
            })
        .orElseThrow();
  }

  @Test
  void networkPolicy_admitsTheAutopilotCollector() {
    assertThat(NetworkPolicyCheck.admits(policy(), "gke-gmp-system", COLLECTOR_POD)).isTrue();
  }

  @Test
  void networkPolicy_stillAdmitsTheStandardCollector() {
    assertThat(NetworkPolicyCheck.admits(policy(), "gmp-system", COLLECTOR_POD)).isTrue();
  }

  @Test
  void networkPolicy_admitsNoPodFromAnotherNamespace() {
    for (String ns : new String[] {"default", "gmp-public", "kube-system"}) {
      assertThat(NetworkPolicyCheck.admits(policy(), ns, COLLECTOR_POD)).as(ns).isFalse();
    }
  }
}
