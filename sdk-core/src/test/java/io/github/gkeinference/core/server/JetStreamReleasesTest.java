package io.github.gkeinference.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JetStreamReleasesTest {
  @Test
  void forImage_findsTheReleaseOfEitherImage_withOrWithoutDigest() {
    JetStreamRelease r = JetStreamReleases.defaultRelease();
    assertThat(r.version()).isEqualTo("v0.2.2");
    for (String image : r.images()) {
      assertThat(JetStreamReleases.forImage(image)).contains(r);
      assertThat(JetStreamReleases.forImage(image + "@sha256:" + "0".repeat(64))).contains(r);
    }
    assertThat(
            JetStreamReleases.forImage(
                "us-docker.pkg.dev/cloud-tpu-images/inference/maxengine-server:v0.2.3"))
        .isEmpty();
  }

  @Test
  void keyOf_readsMaxTextKeyValueArguments_only() {
    assertThat(JetStreamRelease.keyOf("max_target_length=2048")).contains("max_target_length");
    assertThat(JetStreamRelease.keyOf("--port=8000")).isEmpty();
    assertThat(JetStreamRelease.keyOf("=x")).isEmpty();
    assertThat(JetStreamRelease.keyOf("MaxText/configs/base.yml")).isEmpty();
  }
}
