package io.github.gkeinference.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VllmVersionTest {
  @Test
  void fromImage_readsTheTagOfAnImageReference() {
    assertThat(VllmVersion.fromImage("vllm/vllm-openai:v0.11.2"))
        .contains(new VllmVersion(0, 11, 2));
    assertThat(VllmVersion.fromImage("docker.io/vllm/vllm-tpu:v0.11.1@sha256:" + "a".repeat(64)))
        .contains(new VllmVersion(0, 11, 1));
    // a registry port is not a tag
    assertThat(VllmVersion.fromImage("localhost:5000/mirror/vllm-openai:0.21.0"))
        .contains(new VllmVersion(0, 21, 0));
    assertThat(VllmVersion.fromImage("vllm/vllm-openai:v0.12-cu129"))
        .contains(new VllmVersion(0, 12, 0));
  }

  @Test
  void fromImage_withoutAReleaseInTheTag_isEmpty() {
    assertThat(VllmVersion.fromImage("vllm/vllm-openai:latest")).isEmpty();
    assertThat(VllmVersion.fromImage("vllm/vllm-openai")).isEmpty();
    assertThat(VllmVersion.fromImage("vllm-openai:gemma4")).isEmpty();
    assertThat(VllmVersion.fromImage("vllm/vllm-openai:nightly-0.11.2")).isEmpty();
  }

  @Test
  void defaultGpuMemoryUtilization_is090BeforeV0210_and092From() {
    assertThat(VllmVersion.PINNED.defaultGpuMemoryUtilization()).isEqualTo(0.90);
    assertThat(new VllmVersion(0, 20, 9).defaultGpuMemoryUtilization()).isEqualTo(0.90);
    assertThat(new VllmVersion(0, 21, 0).defaultGpuMemoryUtilization()).isEqualTo(0.92);
    assertThat(new VllmVersion(1, 0, 0).defaultGpuMemoryUtilization()).isEqualTo(0.92);
    assertThat(VllmVersion.defaultGpuMemoryUtilization("vllm/vllm-openai:v0.11.2")).isEqualTo(0.90);
    assertThat(VllmVersion.defaultGpuMemoryUtilization("vllm/vllm-openai:v0.22.1")).isEqualTo(0.92);
    // an unknown release: the smaller default, so no plan counts on memory vLLM may not take
    assertThat(VllmVersion.defaultGpuMemoryUtilization("vllm/vllm-openai:latest")).isEqualTo(0.90);
  }

  @Test
  void equals_comparesEveryComponent_andEqualVersionsHashAlike() {
    VllmVersion v = new VllmVersion(0, 11, 2);
    assertThat(v).isEqualTo(new VllmVersion(0, 11, 2)).hasSameHashCodeAs(new VllmVersion(0, 11, 2));
    assertThat(v)
        .isNotEqualTo(new VllmVersion(1, 11, 2))
        .isNotEqualTo(new VllmVersion(0, 12, 2))
        .isNotEqualTo(new VllmVersion(0, 11, 3))
        .isNotEqualTo("0.11.2")
        .isNotEqualTo(null);
  }
}
