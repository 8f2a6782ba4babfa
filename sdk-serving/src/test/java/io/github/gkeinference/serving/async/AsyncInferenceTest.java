package io.github.gkeinference.serving.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import org.junit.jupiter.api.Test;

class AsyncInferenceTest {
  static VllmServer server() {
    return VllmServer.builder()
        .name("vllm-l4-gemma-3-1b-it")
        .namespace("inf-dev-batch-gpu")
        .modelId("google/gemma-3-1b-it")
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("models", "google/gemma-3-1b-it"))
                .build())
        .placement(p -> p.accelerator("nvidia-l4").devices(1))
        .maxModelLen(1024)
        .build();
  }

  static AsyncInference worker() {
    return AsyncInference.builder()
        .name("async-pubsub-subscriber")
        .server(server())
        .workerImage("us-docker.pkg.dev/my-project/images/async-pubsub-subscriber:1.0.0")
        .projectId("my-project")
        .subscription("inf-dev-prompt-messages-subscription")
        .deadLetterTopic("inf-dev-prompt-messages-topic-dead-letter")
        .googleServiceAccount("async-worker@my-project.iam.gserviceaccount.com")
        .build();
  }

  @Test
  void render_workerInFrontOfServer_matchesGoldenAndIsSchemaValid() {
    RenderedSet set = server().render().plus(worker().render());
    BundleAssertions.assertBundle(set, "async/l4-gemma-3-1b-pubsub.yaml");
  }

  @Test
  void render_hpa_scalesOnThisSubscriptionsBacklog() {
    HorizontalPodAutoscaler hpa =
        worker()
            .render()
            .find(HorizontalPodAutoscaler.class, "async-pubsub-subscriber")
            .orElseThrow();
    MetricSpec metric = hpa.getSpec().getMetrics().get(0);
    assertThat(metric.getType()).isEqualTo("External");
    assertThat(metric.getExternal().getMetric().getName())
        .isEqualTo("pubsub.googleapis.com|subscription|num_undelivered_messages");
    assertThat(metric.getExternal().getMetric().getSelector().getMatchLabels())
        .containsEntry("resource.labels.subscription_id", "inf-dev-prompt-messages-subscription");
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(16);
  }

  @Test
  void build_ackDeadlineOutsidePubSubRange_isRejected() {
    assertThatThrownBy(() -> worker().toBuilder().ackDeadlineSeconds(601).maxReplicas(0).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("ackDeadlineSeconds", "maxReplicas"));
  }
}
