package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.async.PubSubSubscription;
import io.github.gkeinference.serving.async.PubSubTopic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17 acceptance 5: the async sample renders topic, subscription, DLQ, IAM and both HPAs. */
class AsyncInferenceSampleTest {
  private final RenderedSet set = AsyncInferenceSample.render(SampleOptions.defaults());

  @Test
  void render_hasRequestAndDeadLetterTopicsAndASubscriptionThatLinksThem() {
    List<PubSubTopic> topics = set.kubernetesObjects(PubSubTopic.class);
    assertThat(topics)
        .extracting(t -> t.spec().resourceID())
        .containsExactly("prompt-messages", "prompt-messages-dead-letter");
    PubSubSubscription sub = set.kubernetesObjects(PubSubSubscription.class).get(0);
    assertThat(sub.spec().resourceID()).isEqualTo("prompt-messages-subscription");
    assertThat(sub.spec().deadLetterPolicy().maxDeliveryAttempts())
        .isEqualTo(AsyncInferenceSample.MAX_DELIVERY_ATTEMPTS);
    assertThat(sub.spec().deadLetterPolicy().deadLetterTopicRef().name())
        .isEqualTo(topics.get(1).getMetadata().getName());
  }

  @Test
  void render_grantsWorkerAgentAndServerExactlyWhatTheyNeed() {
    assertThat(set.kubernetesObjects(IamPolicyMember.class))
        .extracting(m -> m.spec().role() + " " + m.spec().resourceRef().kind())
        .containsExactlyInAnyOrder(
            // the vLLM server reads its model
            "roles/storage.objectViewer StorageBucket",
            // the worker consumes and writes answers
            "roles/pubsub.subscriber PubSubSubscription",
            "roles/storage.objectCreator StorageBucket",
            // the Pub/Sub service agent forwards dead letters
            "roles/pubsub.publisher PubSubTopic",
            "roles/pubsub.subscriber PubSubSubscription");
  }

  @Test
  void render_scalesTheVllmServersOnTheirQueueAndTheWorkersOnTheBacklog() {
    assertThat(set.kubernetesObjects(HorizontalPodAutoscaler.class))
        .extracting(h -> h.getSpec().getScaleTargetRef().getName(), h -> metric(h))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "vllm-gemma-3-1b", "prometheus.googleapis.com|vllm:num_requests_waiting|gauge"),
            org.assertj.core.groups.Tuple.tuple(
                "prompt-worker", "pubsub.googleapis.com|subscription|num_undelivered_messages"));
  }

  @Test
  void render_workerRunsThePlaceholderImageInTheUsersRegistry() {
    Deployment worker = set.find(Deployment.class, "prompt-worker").orElseThrow();
    assertThat(worker.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(AsyncInferenceSample.WORKER_IMAGE)
        .startsWith("us-docker.pkg.dev/my-project/");
  }

  private static String metric(HorizontalPodAutoscaler h) {
    var m = h.getSpec().getMetrics().get(0);
    return m.getPods() != null
        ? m.getPods().getMetric().getName()
        : m.getExternal().getMetric().getName();
  }
}
