package io.github.gkeinference.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.gkeinference.core.validate.SdkValidationException;
import org.junit.jupiter.api.Test;

/** HPA metrics follow the vLLM release the target runs (the release table). */
class AutoscalerReleaseTest {
  private static InferenceAutoscaler.Builder kvCache(String version) {
    return InferenceAutoscaler.builder()
        .target(Fixtures.deploymentServer("llama-3-1-8b", "vllm"))
        .maxReplicas(4)
        .addMetrics(ScalingMetric.vllmKvCache(version, 0.8));
  }

  private static String metricName(InferenceAutoscaler a) {
    HorizontalPodAutoscaler hpa = a.horizontalPodAutoscaler();
    return hpa.getSpec().getMetrics().get(0).getPods().getMetric().getName();
  }

  @Test
  void kvCacheMetric_isNamedAsTheTargetsReleaseExportsIt() {
    assertThat(metricName(kvCache("0.9.1").vllmVersion("0.9.1").build()))
        .isEqualTo("prometheus.googleapis.com|vllm:gpu_cache_usage_perc|gauge");
    assertThat(metricName(kvCache("0.12.0").vllmVersion("0.12.0").build()))
        .isEqualTo("prometheus.googleapis.com|vllm:kv_cache_usage_perc|gauge");
  }

  @Test
  void oldKvCacheName_onAReleaseThatDroppedIt_isRejectedWithItsPath() {
    assertThatThrownBy(() -> kvCache("0.9.1").vllmVersion("0.12.0").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("metrics[0].metricName")
        .hasMessageContaining("vLLM 0.12.0 does not export this metric");
    // up to v0.11 the old name is still exported as a deprecated alias
    assertThat(kvCache("0.9.1").vllmVersion("0.11.2").build().metrics()).hasSize(1);
  }

  @Test
  void vllmVersion_mustNameARelease() {
    assertThatThrownBy(() -> kvCache("0.12.0").vllmVersion("nightly").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("vllmVersion");
  }
}
