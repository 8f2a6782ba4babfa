package io.github.gkeinference.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerImagesTest {
  private static List<Violation> check(String image) {
    Violations v = Violations.root("spec");
    ContainerImages.check(v, "image", image);
    return v.all();
  }

  @Test
  void pinnedReferences_areAccepted() {
    for (String image :
        List.of(
            "vllm/vllm-openai:v0.11.2",
            "registry.k8s.io/gateway-api-inference-extension/epp:v1.5.0",
            "us-docker.pkg.dev/my-project/images/comfyui:1.0.0",
            "localhost:5000/team/server:2026-12-06",
            "busybox@sha256:" + "a".repeat(64),
            "busybox:latest@sha256:" + "b".repeat(64))) {
      assertThat(check(image)).as(image).isEmpty();
    }
  }

  @Test
  void untaggedAndLatest_areErrorsAtTheField() {
    assertThat(check("vllm/vllm-openai"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("spec.image");
              assertThat(v.message()).contains("needs a version tag or a digest");
            });
    assertThat(check("vllm/vllm-openai:latest"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("':latest'"));
  }

  @Test
  void notAReference_isAnError() {
    for (String image :
        List.of("vllm/vllm-openai:v0.1;curl x|sh", "VLLM/Server:v1", "", "a b:1", "repo:tag:two")) {
      assertThat(check(image))
          .as(image)
          .singleElement()
          .satisfies(v -> assertThat(v.message()).contains("is not a container image reference"));
    }
  }
}
