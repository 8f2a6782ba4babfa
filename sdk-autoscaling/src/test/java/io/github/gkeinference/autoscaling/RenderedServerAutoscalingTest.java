package io.github.gkeinference.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.observability.scrape.PodMonitoring;
import io.github.gkeinference.serving.JetStreamServer;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Autoscaling servers the serving module rendered, through the facts they carry. */
class RenderedServerAutoscalingTest {

  /** The GKE JetStream MaxText tutorial's case: Gemma 7B on a v5e 2x4 slice (8 chips). */
  private static RenderedSet jetStream() {
    return JetStreamServer.builder()
        .name("maxengine-server")
        .namespace("inference")
        .modelName("gemma-7b")
        .tokenizerPath("assets/tokenizer.gemma")
        .checkpoint("gs://my-bucket/final/unscanned/gemma_7b-it/0/checkpoints/0/items")
        .placement(p -> p.accelerator("tpu-v5-lite-podslice").devices(8).tpuTopology("2x4"))
        .build()
        .render();
  }

  @Test
  void render_jetStreamServer_rendersHpaAndPodMonitoringOnItsMetricsPort() {
    RenderedSet server = jetStream();
    RenderedSet out =
        InferenceAutoscaler.builder()
            .target(server)
            .maxReplicas(4)
            .addMetrics(ScalingMetric.jetstreamPrefillBacklog())
            .build()
            .render(server);

    HorizontalPodAutoscaler hpa = out.kubernetesObjects(HorizontalPodAutoscaler.class).get(0);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("maxengine-server");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    List<PodMonitoring> monitors = out.kubernetesObjects(PodMonitoring.class);
    assertThat(monitors).hasSize(1);
    PodMonitoring pm = monitors.get(0);
    // the engine's Prometheus port is the container port named "metrics" (9100)
    assertThat(pm.getSpec().getEndpoints().get(0).getPort().getStrVal()).isEqualTo("metrics");
    Deployment d = server.find(Deployment.class, "maxengine-server").orElseThrow();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .anyMatch(p -> "metrics".equals(p.getName()) && p.getContainerPort() == 9100);
    assertThat(pm.getSpec().getSelector().getMatchLabels())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    for (HasMetadata o : out.kubernetesObjects()) {
      SchemaValidator.forTests().assertValid(o);
    }
  }

  @Test
  void render_vllmServer_scrapesItsHttpPort() {
    RenderedSet server =
        VllmServer.builder()
            .name("llama")
            .namespace("inference")
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .source(
                GcsFuseSource.builder()
                    .location(GcsLocation.of("my-project-models", "meta-llama/llama-3.1-8b"))
                    .build())
            .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
            .build()
            .render();
    RenderedSet out =
        InferenceAutoscaler.builder()
            .target(server)
            .maxReplicas(4)
            .addMetrics(ScalingMetric.vllmQueue())
            .build()
            .render(server);
    PodMonitoring pm = out.kubernetesObjects(PodMonitoring.class).get(0);
    assertThat(pm.getSpec().getEndpoints().get(0).getPort().getStrVal()).isEqualTo("http");
    assertThat(pm.getMetadata().getNamespace()).isEqualTo("inference");
  }
}
