package io.github.gkeinference.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class TransformsTest {
  private static final Toleration GPU =
      new TolerationBuilder()
          .withKey("nvidia.com/gpu")
          .withOperator("Exists")
          .withEffect("NoSchedule")
          .build();

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("vllm")
        .withNamespace("inference")
        .addToLabels("app", "vllm")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "vllm")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "vllm")
        .endMetadata()
        .withNewSpec()
        .addNewInitContainer()
        .withName("fetch")
        .withImage("gcr.io/google.com/cloudsdktool/google-cloud-cli:slim")
        .endInitContainer()
        .addNewContainer()
        .withName("server")
        .withImage("vllm/vllm-openai:v0.10.1")
        .endContainer()
        .addToTolerations(GPU)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static ConfigMap configMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("settings")
        .withNamespace("inference")
        .endMetadata()
        .build();
  }

  private static PodSpec pod(RenderedSet set) {
    return set.find(Deployment.class, "vllm").orElseThrow().getSpec().getTemplate().getSpec();
  }

  @Test
  void labels_goOnEveryObjectAndPodTemplate_butNotOnSelectors() {
    RenderedSet before = RenderedSet.of(deployment(), configMap());

    RenderedSet after = Transforms.labels(Map.of("team", "ml")).apply(before);

    Deployment d = after.find(Deployment.class, "vllm").orElseThrow();
    assertThat(d.getMetadata().getLabels())
        .containsEntry("team", "ml")
        .containsEntry("app", "vllm");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "ml");
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "vllm"));
    assertThat(after.find(ConfigMap.class, "settings").orElseThrow().getMetadata().getLabels())
        .isEqualTo(Map.of("team", "ml"));
    // the argument is unchanged
    assertThat(before.find(ConfigMap.class, "settings").orElseThrow().getMetadata().getLabels())
        .isNullOrEmpty();
  }

  @Test
  void annotations_goOnObjectsAndPodTemplates() {
    RenderedSet after =
        Transforms.annotations(Map.of("example.com/owner", "platform"))
            .apply(RenderedSet.of(deployment()));

    Deployment d = after.find(Deployment.class, "vllm").orElseThrow();
    assertThat(d.getMetadata().getAnnotations()).containsEntry("example.com/owner", "platform");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("example.com/owner", "platform");
  }

  @Test
  void labels_invalidKeyAndValue_areBothReported() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> Transforms.labels(Map.of("Bad Key", "ok", "team", "not a value")));

    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("labels.Bad Key", "labels.team");
  }

  @Test
  void imageMirror_rewritesOnlyTheNamedRegistry_withDockerHubDefaults() {
    RenderedSet after =
        Transforms.imageMirror("docker.io", "us-docker.pkg.dev/p/hub")
            .apply(RenderedSet.of(deployment()));

    PodSpec pod = pod(after);
    assertThat(pod.getContainers().get(0).getImage())
        .isEqualTo("us-docker.pkg.dev/p/hub/vllm/vllm-openai:v0.10.1");
    assertThat(pod.getInitContainers().get(0).getImage())
        .isEqualTo("gcr.io/google.com/cloudsdktool/google-cloud-cli:slim");
  }

  @Test
  void mirrored_resolvesImageNamesAsDockerDoes() {
    String m = "mirror.example.com/hub";
    assertThat(Transforms.mirrored("busybox", "docker.io", m)).isEqualTo(m + "/library/busybox");
    assertThat(Transforms.mirrored("docker.io/vllm/x:1", "docker.io", m))
        .isEqualTo(m + "/vllm/x:1");
    assertThat(Transforms.mirrored("localhost/x", "docker.io", m)).isEqualTo("localhost/x");
    assertThat(Transforms.mirrored("nvcr.io/nvidia/tritonserver:24.08", "nvcr.io", m))
        .isEqualTo(m + "/nvidia/tritonserver:24.08");
    assertThat(Transforms.mirrored("registry:5000/x", "docker.io", m)).isEqualTo("registry:5000/x");
  }

  @Test
  void podTransforms_addSecretsTolerationsAndNodeSelector_withoutDuplicates() {
    Transform platform =
        Transforms.imagePullSecrets("pull", "pull")
            .andThen(Transforms.imagePullSecrets("pull"))
            .andThen(
                Transforms.tolerations(
                    List.of(
                        GPU,
                        new TolerationBuilder().withKey("spot").withOperator("Exists").build())))
            .andThen(Transforms.nodeSelector(Map.of("cloud.google.com/gke-spot", "true")));

    PodSpec pod = pod(platform.apply(RenderedSet.of(deployment(), configMap())));

    assertThat(pod.getImagePullSecrets()).containsExactly(new LocalObjectReference("pull"));
    assertThat(pod.getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("nvidia.com/gpu", "spot");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("cloud.google.com/gke-spot", "true"));
  }

  @Test
  void each_editsCopiesOfOneTypeOnly_andKeepsApplyOrder() {
    RenderedSet before = RenderedSet.of(deployment(), configMap());

    RenderedSet after =
        Transform.each(Deployment.class, d -> d.getSpec().setReplicas(3)).apply(before);

    assertThat(after.find(Deployment.class, "vllm").orElseThrow().getSpec().getReplicas())
        .isEqualTo(3);
    assertThat(before.find(Deployment.class, "vllm").orElseThrow().getSpec().getReplicas())
        .isNull();
    assertThat(after.resources())
        .extracting(RenderedResource::kind)
        .containsExactlyElementsOf(
            before.resources().stream().map(RenderedResource::kind).toList());
  }

  @Test
  void andThen_appliesTheFirstThenTheSecondToTheFirstsResult() {
    RenderedSet input = RenderedSet.of(deployment());
    RenderedSet middle = RenderedSet.of(configMap());
    RenderedSet output = RenderedSet.empty();
    Transform first = mock(Transform.class);
    Transform second = mock(Transform.class);
    when(first.apply(input)).thenReturn(middle);
    when(second.apply(middle)).thenReturn(output);

    // andThen is the interface's own default method; a mock would stub it, so chain through a
    // lambda
    Transform chained = ((Transform) set -> first.apply(set)).andThen(second);

    assertThat(chained.apply(input)).isSameAs(output);
    InOrder order = inOrder(first, second);
    order.verify(first).apply(input);
    order.verify(second).apply(middle);
    order.verifyNoMoreInteractions();
  }

  @Test
  void namespace_movesNamespacedObjects_bindingSubjectsAndFacts_butNotClusterScopedOnes() {
    RoleBinding binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("epp")
            .withNamespace("inference")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "epp")
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName("epp")
            .withNamespace("inference")
            .endSubject()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName("collector")
            .withNamespace("monitoring")
            .endSubject()
            .build();
    ClusterRole role =
        new ClusterRoleBuilder().withNewMetadata().withName("reader").endMetadata().build();
    RenderedSet before =
        RenderedSet.builder()
            .add(deployment())
            .add(configMap())
            .add(binding)
            .add(role)
            .addWorkload(
                WorkloadFacts.builder()
                    .apiVersion("apps/v1")
                    .kind("Deployment")
                    .name("vllm")
                    .namespace("inference")
                    .podSelector(Map.of("app", "vllm"))
                    .build())
            .build();

    RenderedSet after = Transforms.namespace("team-a").apply(before);

    assertThat(after.find(Deployment.class, "vllm").orElseThrow().getMetadata().getNamespace())
        .isEqualTo("team-a");
    assertThat(after.find(ConfigMap.class, "settings").orElseThrow().getMetadata().getNamespace())
        .isEqualTo("team-a");
    RoleBinding moved = after.find(RoleBinding.class, "epp").orElseThrow();
    assertThat(moved.getMetadata().getNamespace()).isEqualTo("team-a");
    // the subject in the moved namespace follows it; one in a namespace the set does not hold
    // stays where it is
    assertThat(moved.getSubjects())
        .extracting(s -> s.getName() + "@" + s.getNamespace())
        .containsExactly("epp@team-a", "collector@monitoring");
    assertThat(after.find(ClusterRole.class, "reader").orElseThrow().getMetadata().getNamespace())
        .isNull();
    assertThat(after.workloads())
        .singleElement()
        .satisfies(w -> assertThat(w.namespace()).isEqualTo("team-a"));
    // the argument is unchanged
    assertThat(before.find(Deployment.class, "vllm").orElseThrow().getMetadata().getNamespace())
        .isEqualTo("inference");
  }

  @Test
  void namespace_thatIsNotADnsLabel_isRejectedWithItsPath() {
    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> Transforms.namespace("Team A"));

    assertThat(e.violations()).extracting(Violation::path).containsExactly("namespace");
  }
}
