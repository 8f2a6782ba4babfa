package io.github.gkeinference.serving.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
        .topic("inf-dev-prompt-messages-topic")
        .subscription("inf-dev-prompt-messages-subscription")
        .deadLetterTopic("inf-dev-prompt-messages-topic-dead-letter")
        .projectNumber(123456789012L)
        .resultsBucket("my-project-async-results")
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

  @Test
  void render_withTopic_rendersTopicsSubscriptionWithDeadLetterPolicyAndGrants() {
    RenderedSet set = worker().render();

    List<PubSubTopic> topics = set.kubernetesObjects(PubSubTopic.class);
    assertThat(topics)
        .extracting(t -> t.spec().resourceID())
        .containsExactly(
            "inf-dev-prompt-messages-topic", "inf-dev-prompt-messages-topic-dead-letter");
    PubSubSubscription sub =
        set.find(PubSubSubscription.class, "async-pubsub-subscriber").orElseThrow();
    assertThat(sub.spec().resourceID()).isEqualTo("inf-dev-prompt-messages-subscription");
    // both references name the PubSubTopic objects rendered beside it
    assertThat(sub.spec().topicRef().name()).isEqualTo(topics.get(0).getMetadata().getName());
    assertThat(sub.spec().deadLetterPolicy().deadLetterTopicRef().name())
        .isEqualTo(topics.get(1).getMetadata().getName());
    assertThat(sub.spec().deadLetterPolicy().maxDeliveryAttempts()).isEqualTo(10);
    assertThat(sub.spec().ackDeadlineSeconds()).isEqualTo(600);

    String worker = "serviceAccount:async-worker@my-project.iam.gserviceaccount.com";
    String agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
    assertThat(set.kubernetesObjects(IamPolicyMember.class))
        .extracting(
            m -> m.spec().member(),
            m -> m.spec().role(),
            m -> m.spec().resourceRef().kind(),
            m -> m.spec().resourceRef().external())
        .containsExactly(
            tuple(
                worker,
                "roles/pubsub.subscriber",
                "PubSubSubscription",
                "projects/my-project/subscriptions/inf-dev-prompt-messages-subscription"),
            tuple(
                agent,
                "roles/pubsub.publisher",
                "PubSubTopic",
                "projects/my-project/topics/inf-dev-prompt-messages-topic-dead-letter"),
            tuple(
                agent,
                "roles/pubsub.subscriber",
                "PubSubSubscription",
                "projects/my-project/subscriptions/inf-dev-prompt-messages-subscription"),
            tuple(
                worker,
                "roles/storage.objectCreator",
                "StorageBucket",
                "my-project-async-results"));
  }

  @Test
  void render_withoutTopic_rendersOnlyTheWorkers() {
    RenderedSet set =
        worker().toBuilder()
            .topic(Optional.empty())
            .deadLetterTopic(Optional.empty())
            .resultsBucket(Optional.empty())
            .build()
            .render();

    assertThat(set.kubernetesObjects(PubSubTopic.class)).isEmpty();
    assertThat(set.kubernetesObjects(PubSubSubscription.class)).isEmpty();
    assertThat(set.kubernetesObjects(IamPolicyMember.class)).isEmpty();
  }

  @Test
  void build_deadLetterWithoutTopicOrProjectNumber_listsEveryProblem() {
    assertThatThrownBy(
            () ->
                AsyncInference.builder()
                    .from(worker())
                    .topic(Optional.empty())
                    .projectNumber(OptionalLong.empty())
                    .maxDeliveryAttempts(4)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "deadLetterTopic", "projectNumber", "maxDeliveryAttempts"));
  }

  @Test
  void build_deadLetterTopicSameAsTopic_isRejected() {
    assertThatThrownBy(
            () -> worker().toBuilder().deadLetterTopic("inf-dev-prompt-messages-topic").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("deadLetterTopic"));
  }
}
