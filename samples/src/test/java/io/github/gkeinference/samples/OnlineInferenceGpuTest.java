package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.render.RenderedSet;
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

  @Test
  void render_grantsTheServersAccountReadOnlyAccessToTheModelBucket() {
    RenderedSet set = OnlineInferenceGpu.render(SampleOptions.defaults());
    ServiceAccount ksa = set.kubernetesObjects(ServiceAccount.class).get(0);
    assertThat(set.kubernetesObjects(IamPolicyMember.class))
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.spec().role()).isEqualTo("roles/storage.objectViewer");
              assertThat(g.spec().resourceRef().external()).isEqualTo(OnlineInferenceGpu.BUCKET);
              assertThat(g.spec().member())
                  .isEqualTo(
                      OnlineInferenceGpu.PROJECT.principal(
                          ksa.getMetadata().getNamespace(), ksa.getMetadata().getName()));
            });
  }

  @Test
  void render_withHpaUpToFour_rollsWithoutSurgeAndSpreadsOverZones() {
    RenderedSet set = OnlineInferenceGpu.render(SampleOptions.defaults());
    Deployment d = set.kubernetesObjects(Deployment.class).get(0);
    HorizontalPodAutoscaler hpa = set.kubernetesObjects(HorizontalPodAutoscaler.class).get(0);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
  }
}
