package io.github.gkeinference.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.observability.query.MetricQueryClient;
import org.junit.jupiter.api.Test;

/** Metric names follow the vLLM release the server runs (the release table). */
class ServerReleaseMetricsTest {
  @Test
  void defaultNames_areTheDefaultReleasesNames() {
    assertThat(ModelServer.VLLM.metric(Signal.KV_CACHE_USAGE).orElseThrow().name())
        .isEqualTo(VllmReleases.defaultRelease().metric("KV_CACHE_USAGE").orElseThrow())
        .isEqualTo("vllm:kv_cache_usage_perc");
  }

  @Test
  void kvCacheName_changesWithTheRelease() {
    assertThat(
            ModelServer.VLLM
                .metric(Signal.KV_CACHE_USAGE, VllmReleases.release(VllmVersion.parse("0.9.1")))
                .orElseThrow()
                .name())
        .isEqualTo("vllm:gpu_cache_usage_perc");
    // the deprecated alias is exported up to v0.11 and gone in v0.12
    assertThat(
            ModelServer.VLLM.exports(
                "vllm:gpu_cache_usage_perc", VllmReleases.release(VllmVersion.parse("0.11.2"))))
        .isTrue();
    assertThat(
            ModelServer.VLLM.exports(
                "vllm:gpu_cache_usage_perc", VllmReleases.release(VllmVersion.parse("0.12.0"))))
        .isFalse();
    // other servers do not depend on vLLM's release
    assertThat(
            ModelServer.JETSTREAM.metric(
                Signal.QUEUE_LENGTH, VllmReleases.release(VllmVersion.parse("0.9.1"))))
        .isEqualTo(ModelServer.JETSTREAM.metric(Signal.QUEUE_LENGTH));
  }

  private static InferenceMonitoring on(String image) {
    return Specs.vllm().toBuilder().workload(Fixtures.vllmServer(image).workload()).build();
  }

  @Test
  void dashboardQueries_useTheReleaseTheWorkloadsImageRuns() {
    InferenceMonitoring old = on("vllm/vllm-openai:v0.9.1");
    InferenceMonitoring current = on("vllm/vllm-openai:v0.12.0");
    assertThat(old.workload().vllmVersion()).contains(VllmVersion.parse("0.9.1"));

    assertThat(MetricQueryClient.of(old).kvCacheUsage().promQl())
        .contains("vllm:gpu_cache_usage_perc");
    assertThat(MetricQueryClient.of(current).kvCacheUsage().promQl())
        .contains("vllm:kv_cache_usage_perc");
    assertThat(MetricQueryClient.of(Specs.vllm()).kvCacheUsage().promQl())
        .contains("vllm:kv_cache_usage_perc");
  }

  @Test
  void vllmVersion_selectsTheReleaseOfAWorkloadWhoseImageNamesNone() {
    InferenceMonitoring latest = on("vllm/vllm-openai:latest");
    assertThat(latest.workload().vllmVersion()).isEmpty();
    assertThat(MetricQueryClient.of(latest).kvCacheUsage().promQl())
        .contains("vllm:kv_cache_usage_perc");
    assertThat(
            MetricQueryClient.of(latest.toBuilder().vllmVersion("0.9.1").build())
                .kvCacheUsage()
                .promQl())
        .contains("vllm:gpu_cache_usage_perc");
  }

  @Test
  void vllmVersion_thatContradictsTheWorkloadsRelease_isRejected() {
    assertThatThrownBy(
            () -> on("vllm/vllm-openai:v0.9.1").toBuilder().vllmVersion("0.12.0").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("monitoring.vllmVersion")
        .hasMessageContaining("differs from the release the workload's image runs (0.9.1)");
  }

  @Test
  void vllmVersion_mustNameARelease() {
    assertThatThrownBy(() -> Specs.vllm().toBuilder().vllmVersion("latest").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("monitoring.vllmVersion");
  }
}
