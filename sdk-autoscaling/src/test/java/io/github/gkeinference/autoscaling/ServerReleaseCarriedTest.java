package io.github.gkeinference.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.observability.InferenceMonitoring;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.monitoring.MonitoringResources;
import io.github.gkeinference.observability.scrape.PodMonitoring;
import io.github.gkeinference.serving.VllmServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vLLM release a server's image runs travels in its workload facts to the autoscaler and the
 * monitoring spec built from the rendered server, which then use that release's metric names: vLLM
 * renamed the KV-cache gauge in v0.9.2 ({@code vllm:gpu_cache_usage_perc} to {@code
 * vllm:kv_cache_usage_perc}, the release table in {@code core.server.VllmReleases}).
 */
class ServerReleaseCarriedTest {
  private static final String OLD_NAME = "vllm:gpu_cache_usage_perc";
  private static final String NEW_NAME = "vllm:kv_cache_usage_perc";

  /** A pinned image whose tag names no vLLM release (':latest' is rejected outright). */
  private static final String UNVERSIONED =
      "us-docker.pkg.dev/my-project/images/vllm-openai:custom";

  private static RenderedSet server(String image) {
    return VllmServer.builder()
        .name("llama")
        .namespace("inference")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .image(image)
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("my-project-models", "meta-llama/llama-3.1-8b"))
                .build())
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
        .build()
        .render();
  }

  private static InferenceAutoscaler autoscaler(RenderedSet server) {
    return InferenceAutoscaler.builder()
        .target(server)
        .maxReplicas(4)
        .addMetrics(ScalingMetric.vllmQueue(), ScalingMetric.vllmKvCache(0.8))
        .build();
  }

  private static List<String> hpaMetrics(InferenceAutoscaler a) {
    HorizontalPodAutoscaler hpa = a.horizontalPodAutoscaler();
    return hpa.getSpec().getMetrics().stream().map(m -> m.getPods().getMetric().getName()).toList();
  }

  private static InferenceMonitoring monitoring(RenderedSet server) {
    return InferenceMonitoring.builder()
        .projectId("my-project")
        .server(ModelServer.VLLM)
        .workload(server.workload())
        .build();
  }

  private static String cloudJson(InferenceMonitoring spec) {
    StringBuilder out = new StringBuilder();
    for (CloudResource r : MonitoringResources.render(spec).cloudResources()) {
      out.append(ManifestYaml.toJson(r));
    }
    return out.toString();
  }

  @Test
  void renderedServer_carriesTheReleaseOfItsImage() {
    assertThat(server("vllm/vllm-openai:v0.9.1").workload().vllmVersion())
        .contains(VllmVersion.parse("0.9.1"));
    assertThat(server(UNVERSIONED).workload().vllmVersion()).isEmpty();
  }

  @Test
  void serverOnAnOldRelease_hpaAndMonitoringUseThatReleasesNames() {
    RenderedSet old = server("vllm/vllm-openai:v0.9.1");

    InferenceAutoscaler a = autoscaler(old);
    assertThat(a.vllmRelease().version()).isEqualTo(VllmVersion.parse("0.9.1"));
    assertThat(hpaMetrics(a))
        .containsExactly(
            "prometheus.googleapis.com|vllm:num_requests_waiting|gauge",
            "prometheus.googleapis.com|" + OLD_NAME + "|gauge");
    // the PodMonitoring that scrapes those gauges comes with the HPA
    assertThat(a.render(old).kubernetesObjects(PodMonitoring.class)).hasSize(1);

    InferenceMonitoring m = monitoring(old);
    assertThat(m.vllmRelease().version()).isEqualTo(VllmVersion.parse("0.9.1"));
    assertThat(cloudJson(m)).contains(OLD_NAME).doesNotContain(NEW_NAME);
  }

  @Test
  void serverOnTheDefaultRelease_keepsTheCurrentNames() {
    RenderedSet current = server(VllmServer.DEFAULT_IMAGE);

    assertThat(hpaMetrics(autoscaler(current)))
        .contains("prometheus.googleapis.com|" + NEW_NAME + "|gauge");
    assertThat(cloudJson(monitoring(current))).contains(NEW_NAME).doesNotContain(OLD_NAME);
  }

  @Test
  void vllmVersionThatContradictsTheTargetsRelease_isRejectedWithItsPath() {
    RenderedSet old = server("vllm/vllm-openai:v0.9.1");
    assertThatThrownBy(() -> autoscaler(old).toBuilder().vllmVersion("0.12.0").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("vllmVersion")
        .hasMessageContaining("differs from the release the target's image runs (0.9.1)");
    assertThatThrownBy(() -> monitoring(old).toBuilder().vllmVersion("0.12.0").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("monitoring.vllmVersion")
        .hasMessageContaining("(0.9.1)");
    // naming the same release is allowed
    assertThat(autoscaler(old).toBuilder().vllmVersion("v0.9.1").build().vllmRelease().version())
        .isEqualTo(VllmVersion.parse("0.9.1"));
  }

  @Test
  void vllmVersion_stillSelectsTheReleaseOfATargetWhoseImageNamesNone() {
    RenderedSet latest = server(UNVERSIONED);
    InferenceAutoscaler a = autoscaler(latest).toBuilder().vllmVersion("0.9.1").build();
    assertThat(hpaMetrics(a)).contains("prometheus.googleapis.com|" + OLD_NAME + "|gauge");
  }
}
