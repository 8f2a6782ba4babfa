package io.github.gkeinference.autoscaling.keda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScaleTarget;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * KEDA output: validated against KEDA's own CRD schemas (in the test kit), checked for the fields
 * KEDA's ScaledObject specification names, and compared with a golden file.
 */
class KedaOutputTest {
  private static InferenceAutoscaler.Builder autoscaler() {
    return InferenceAutoscaler.builder()
        .target(ScaleTarget.of("apps/v1", "Deployment", "llama", "inference"))
        .maxReplicas(8);
  }

  @Test
  void renderKeda_vllmQueueWithScaleToZero_hasPrometheusTriggerOnManagedPrometheus() {
    RenderedSet set =
        autoscaler()
            .scaleToZero(true)
            .addMetrics(ScalingMetric.vllmQueue())
            .build()
            .renderKeda("my-project");

    assertThat(set.kubernetesResources())
        .extracting(r -> r.kind())
        .containsExactly("TriggerAuthentication", "ScaledObject");
    set.kubernetesObjects().forEach(SchemaValidator.forTests()::assertValid);
    ScaledObject so = set.kubernetesObjects(ScaledObject.class).get(0);
    JsonNode tree = ManifestYaml.tree(so);
    assertThat(tree.path("apiVersion").asString()).isEqualTo("keda.sh/v1alpha1");
    assertThat(tree.path("spec").path("minReplicaCount").asInt()).isZero();
    assertThat(tree.path("spec").path("maxReplicaCount").asInt()).isEqualTo(8);
    assertThat(tree.path("spec").path("scaleTargetRef").path("kind").asString())
        .isEqualTo("Deployment");
    JsonNode trigger = tree.path("spec").path("triggers").path(0);
    assertThat(trigger.path("type").asString()).isEqualTo("prometheus");
    assertThat(trigger.path("metadata").path("serverAddress").asString())
        .isEqualTo(
            "https://monitoring.googleapis.com/v1/projects/my-project/location/global/prometheus");
    assertThat(trigger.path("metadata").path("query").asString())
        .isEqualTo("sum(vllm:num_requests_waiting{namespace=\"inference\",pod=~\"llama-.*\"})");
    assertThat(trigger.path("metadata").path("threshold").asString()).isEqualTo("3");
    assertThat(trigger.path("authenticationRef").path("name").asString()).isEqualTo("llama-gcp");
    assertThat(
            tree.path("spec")
                .path("advanced")
                .path("horizontalPodAutoscalerConfig")
                .path("behavior")
                .path("scaleDown")
                .path("stabilizationWindowSeconds")
                .asInt())
        .isEqualTo(300);
    JsonNode auth = ManifestYaml.tree(set.kubernetesObjects(TriggerAuthentication.class).get(0));
    assertThat(auth.path("spec").path("podIdentity").path("provider").asString()).isEqualTo("gcp");
    GoldenFiles.assertMatches("keda/vllm-queue.yaml", ManifestYaml.toYaml(set));
  }

  @Test
  void renderKeda_pubsubBacklog_isAGcpPubsubTrigger() {
    ScaledObject so =
        autoscaler()
            .addMetrics(ScalingMetric.pubsubBacklog("prompts-sub", 10))
            .build()
            .renderKeda("my-project")
            .kubernetesObjects(ScaledObject.class)
            .get(0);

    JsonNode trigger = ManifestYaml.tree(so).path("spec").path("triggers").path(0);
    assertThat(trigger.path("type").asString()).isEqualTo("gcp-pubsub");
    assertThat(trigger.path("metadata").path("subscriptionName").asString())
        .isEqualTo("prompts-sub");
    assertThat(trigger.path("metadata").path("mode").asString()).isEqualTo("SubscriptionSize");
    assertThat(trigger.path("metadata").path("value").asString()).isEqualTo("10");
    assertThat(ManifestYaml.tree(so).path("spec").path("minReplicaCount").asInt()).isEqualTo(1);
  }

  @Test
  void renderKeda_withBadProjectAndUnsupportedExternalMetric_listsBoth() {
    InferenceAutoscaler a =
        autoscaler()
            .addMetrics(
                ScalingMetric.builder()
                    .source(ScalingMetric.Source.EXTERNAL)
                    .metricName("custom.googleapis.com|queue")
                    .target(5)
                    .build())
            .build();
    assertThatThrownBy(() -> a.renderKeda("X"))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("projectId")
        .hasMessageContaining("metrics[0].metricName");
  }
}
