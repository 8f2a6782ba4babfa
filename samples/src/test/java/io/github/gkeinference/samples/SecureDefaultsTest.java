package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample that runs pods renders them with the secure defaults of issue 21: a NetworkPolicy
 * selecting each pod, no service account token unless the pod's account holds RBAC grants, probes
 * on every long-running container, and the vLLM GPU server as a non-root user.
 */
class SecureDefaultsTest {
  /** A pod template and where it came from. */
  record Pod(String namespace, String owner, PodTemplateSpec template) {}

  static Stream<Sample> servingSamples() {
    return Sample.all().stream().filter(s -> !s.name().equals(Platform.NAME));
  }

  private static RenderedSet render(Sample sample) {
    return sample.renderer().render(SampleOptions.defaults());
  }

  /** Every pod template of the set: Deployments, Jobs, JobSets and LeaderWorkerSets. */
  static List<Pod> pods(RenderedSet set) {
    List<Pod> pods = new ArrayList<>();
    for (HasMetadata o : set.kubernetesObjects()) {
      String ns = o.getMetadata().getNamespace();
      String owner = o.getKind() + "/" + o.getMetadata().getName();
      if (o instanceof Deployment d) {
        pods.add(new Pod(ns, owner, d.getSpec().getTemplate()));
      } else if (o instanceof Job j) {
        pods.add(new Pod(ns, owner, j.getSpec().getTemplate()));
      } else if (o instanceof JobSet js) {
        js.getSpec()
            .replicatedJobs()
            .forEach(r -> pods.add(new Pod(ns, owner, r.template().getSpec().getTemplate())));
      } else if (o instanceof LeaderWorkerSet lws) {
        LeaderWorkerSet.Template t = lws.getSpec().leaderWorkerTemplate();
        pods.add(new Pod(ns, owner + " leader", t.leaderTemplate()));
        pods.add(new Pod(ns, owner + " worker", t.workerTemplate()));
      }
    }
    return pods;
  }

  private static boolean selects(NetworkPolicy policy, Pod pod) {
    Map<String, String> match = policy.getSpec().getPodSelector().getMatchLabels();
    Map<String, String> labels = pod.template().getMetadata().getLabels();
    return Objects.equals(policy.getMetadata().getNamespace(), pod.namespace())
        && policy.getSpec().getPodSelector().getMatchExpressions().isEmpty()
        && (match == null || labels.entrySet().containsAll(match.entrySet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servingSamples")
  void everyPod_isSelectedByANetworkPolicyOfTheSample(Sample sample) {
    RenderedSet set = render(sample);
    List<NetworkPolicy> policies = set.kubernetesObjects(NetworkPolicy.class);

    assertThat(policies).isNotEmpty();
    assertThat(pods(set)).isNotEmpty();
    for (Pod pod : pods(set)) {
      assertThat(policies).as(pod.owner()).anyMatch(p -> selects(p, pod));
    }
  }

  /** Service accounts some RoleBinding or ClusterRoleBinding of the set grants rights to. */
  private static Set<String> accountsWithGrants(RenderedSet set) {
    Set<String> out = new HashSet<>();
    List<Subject> subjects = new ArrayList<>();
    set.kubernetesObjects(RoleBinding.class).forEach(b -> subjects.addAll(b.getSubjects()));
    set.kubernetesObjects(ClusterRoleBinding.class).forEach(b -> subjects.addAll(b.getSubjects()));
    for (Subject s : subjects) {
      if ("ServiceAccount".equals(s.getKind())) {
        out.add(s.getNamespace() + "/" + s.getName());
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servingSamples")
  void podsWithoutRbacGrants_mountNoServiceAccountToken(Sample sample) {
    RenderedSet set = render(sample);
    Set<String> granted = accountsWithGrants(set);

    for (Pod pod : pods(set)) {
      String account = pod.namespace() + "/" + pod.template().getSpec().getServiceAccountName();
      if (!granted.contains(account)) {
        assertThat(pod.template().getSpec().getAutomountServiceAccountToken())
            .as(pod.owner())
            .isFalse();
      }
    }
  }

  /**
   * Every long-running container (the pod's containers and its native sidecars) has a liveness and
   * a readiness probe.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servingSamples")
  void everyLongRunningContainer_hasLivenessAndReadinessProbes(Sample sample) {
    for (Pod pod : pods(render(sample))) {
      List<Container> containers = new ArrayList<>(pod.template().getSpec().getContainers());
      pod.template().getSpec().getInitContainers().stream()
          .filter(c -> "Always".equals(c.getRestartPolicy()))
          .forEach(containers::add);
      for (Container c : containers) {
        String where = pod.owner() + " " + c.getName();
        assertThat(c.getLivenessProbe()).as(where).isNotNull();
        assertThat(c.getReadinessProbe()).as(where).isNotNull();
      }
    }
  }

  /**
   * The vLLM GPU server (every sample but the TPU one, whose image keeps root) runs as the
   * documented non-root user, with its home and caches in a writable volume.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servingSamples")
  void vllmGpuContainers_runAsNonRootWithWritableCaches(Sample sample) {
    for (Pod pod : pods(render(sample))) {
      List<Container> containers = new ArrayList<>(pod.template().getSpec().getContainers());
      containers.addAll(pod.template().getSpec().getInitContainers());
      for (Container c : containers) {
        if (!c.getImage().startsWith("vllm/vllm-openai:")) {
          continue;
        }
        String where = pod.owner() + " " + c.getName();
        assertThat(c.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
        assertThat(c.getSecurityContext().getRunAsUser()).as(where).isEqualTo(VllmServer.USER_ID);
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(where).contains("ALL");
        assertThat(c.getEnv())
            .as(where)
            .extracting(EnvVar::getName)
            .contains("HOME", "HF_HOME", "VLLM_CACHE_ROOT", "TORCHINDUCTOR_CACHE_DIR");
        assertThat(c.getVolumeMounts())
            .as(where)
            .anyMatch(m -> m.getMountPath().equals(VllmServer.HOME) && m.getReadOnly() == null);
      }
    }
  }
}
