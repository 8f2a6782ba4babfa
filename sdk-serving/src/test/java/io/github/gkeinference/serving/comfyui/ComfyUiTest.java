package io.github.gkeinference.serving.comfyui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.crd.GcpBackendPolicy;
import org.junit.jupiter.api.Test;

public class ComfyUiTest {
  public static ComfyUi l4() {
    return ComfyUi.builder()
        .name("comfyui")
        .namespace("inf-dev-comfyui")
        .image("us-docker.pkg.dev/my-project/images/comfyui:1.0.0")
        .placement(p -> p.accelerator("nvidia-l4"))
        .modelsBucket("my-project-comfyui-models")
        .inputBucket("my-project-comfyui-input")
        .outputBucket("my-project-comfyui-output")
        .workflowsBucket("my-project-comfyui-workflows")
        .hostname("comfyui.example.com")
        .googleServiceAccount("comfyui@my-project.iam.gserviceaccount.com")
        .build();
  }

  @Test
  void render_l4_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(l4().render(), "comfyui/l4.yaml");
  }

  @Test
  void render_runsAsNonRootWithFourBucketsBehindIap() {
    RenderedSet set = l4().render();
    PodSpec pod =
        set.find(Deployment.class, "comfyui").orElseThrow().getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10_000L);
    assertThat(pod.getVolumes())
        .extracting(v -> v.getCsi().getVolumeAttributes().get("bucketName"))
        .containsExactly(
            "my-project-comfyui-models",
            "my-project-comfyui-input",
            "my-project-comfyui-output",
            "my-project-comfyui-workflows");
    GcpBackendPolicy policy = set.find(GcpBackendPolicy.class, "comfyui").orElseThrow();
    assertThat(policy.spec().defaults().iap()).isNotNull();
    assertThat(policy.spec().defaults().iap().enabled()).isTrue();
  }
}
