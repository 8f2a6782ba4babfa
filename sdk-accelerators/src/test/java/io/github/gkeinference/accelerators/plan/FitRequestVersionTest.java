package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.server.VllmVersion;
import org.junit.jupiter.api.Test;

class FitRequestVersionTest {
  @Test
  void requests_defaultToThePinnedReleasesUtilization() {
    FitRequest request =
        FitRequest.builder()
            .architecture(
                io.github.gkeinference.core.model.ModelCatalog.require(
                        "meta-llama/Llama-3.1-8B-Instruct")
                    .architecture())
            .build();
    assertThat(request.vllmVersion()).isEqualTo(VllmVersion.PINNED);
    assertThat(request.gpuMemoryUtilization()).isEqualTo(0.90);
    assertThat(
            FitRequest.builder()
                .architecture(request.architecture())
                .vllmVersion(new VllmVersion(0, 21, 0))
                .build()
                .gpuMemoryUtilization())
        .isEqualTo(0.92);
  }
}
