package io.github.gkeinference.serving.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.serving.async.PubSubProvisioner.Outcome;
import io.github.gkeinference.serving.async.PubSubProvisioner.Result;
import io.github.gkeinference.testing.pubsub.FakePubSub;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PubSubProvisionerTest {
  static final String TOPIC = "projects/my-project/topics/prompts";
  static final String DLQ = "projects/my-project/topics/prompts-dead-letter";
  static final String SUB = "projects/my-project/subscriptions/prompts-sub";
  static final String WORKER = "serviceAccount:async-worker@my-project.iam.gserviceaccount.com";
  static final String AGENT =
      "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";

  private final List<Duration> waits = new ArrayList<>();
  private FakePubSub pubsub;

  @BeforeEach
  void start() {
    pubsub = FakePubSub.start();
  }

  @AfterEach
  void stop() {
    pubsub.close();
  }

  static AsyncInference spec() {
    return AsyncInferenceTest.worker().toBuilder()
        .topic("prompts")
        .deadLetterTopic("prompts-dead-letter")
        .subscription("prompts-sub")
        .projectNumber(123456789012L)
        .build();
  }

  private PubSubProvisioner provisioner(int attempts) {
    Retrier retrier =
        Retrier.of(
                RetryPolicy.builder().maxAttempts(attempts).build(),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
                waits::add)
            .withRandom(new Random(1));
    return PubSubProvisioner.of(
        pubsub.topicAdminClient(), pubsub.subscriptionAdminClient(), retrier);
  }

  @Test
  void provision_thenAgain_createsEverythingOnceThenReportsUnchanged() {
    List<Result> first = provisioner(3).provision(spec());

    assertThat(first)
        .extracting(Result::resource, Result::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TOPIC, Outcome.CREATED),
            org.assertj.core.groups.Tuple.tuple(DLQ, Outcome.CREATED),
            org.assertj.core.groups.Tuple.tuple(SUB, Outcome.CREATED),
            org.assertj.core.groups.Tuple.tuple(SUB, Outcome.ADDED),
            org.assertj.core.groups.Tuple.tuple(DLQ, Outcome.ADDED),
            org.assertj.core.groups.Tuple.tuple(SUB, Outcome.ADDED));
    assertThat(pubsub.topics()).containsExactly(TOPIC, DLQ);
    var sub = pubsub.subscription(SUB);
    assertThat(sub).isNotNull();
    assertThat(sub.getTopic()).isEqualTo(TOPIC);
    assertThat(sub.getAckDeadlineSeconds()).isEqualTo(600);
    assertThat(sub.getDeadLetterPolicy().getDeadLetterTopic()).isEqualTo(DLQ);
    assertThat(sub.getDeadLetterPolicy().getMaxDeliveryAttempts()).isEqualTo(10);
    // the worker consumes; the service agent consumes the source and publishes dead letters
    assertThat(pubsub.members(SUB, PubSubGrant.SUBSCRIBER)).containsExactly(WORKER, AGENT);
    assertThat(pubsub.members(DLQ, PubSubGrant.PUBLISHER)).containsExactly(AGENT);
    // the worker may publish nowhere
    assertThat(pubsub.members(TOPIC, PubSubGrant.PUBLISHER)).isEmpty();
    assertThat(pubsub.members(DLQ, PubSubGrant.SUBSCRIBER)).isEmpty();

    int callsBefore = pubsub.calls().size();
    List<Result> second = provisioner(3).provision(spec());

    assertThat(second).extracting(Result::outcome).containsOnly(Outcome.UNCHANGED).hasSize(6);
    assertThat(pubsub.calls().subList(callsBefore, pubsub.calls().size()))
        .noneMatch(c -> c.startsWith("Create") || c.startsWith("Set") || c.startsWith("Update"));
  }

  @Test
  void provision_changedAckDeadline_updatesTheSubscription() {
    provisioner(3).provision(spec());

    List<Result> again =
        provisioner(3).provision(spec().toBuilder().ackDeadlineSeconds(120).build());

    assertThat(again.get(2).outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(pubsub.subscription(SUB).getAckDeadlineSeconds()).isEqualTo(120);
  }

  @Test
  void provision_etagConflict_isRetriedAndKeepsTheOtherWritersMember() {
    provisioner(3)
        .provision(spec().toBuilder().deadLetterTopic(java.util.Optional.empty()).build());
    // another writer changes the policy between our read and our write, once
    pubsub.failNextCall("SetIamPolicy", Status.Code.ABORTED, "etag mismatch");

    List<Result> results = provisioner(3).provision(spec());

    Result agentOnDlq = results.get(4);
    assertThat(agentOnDlq.resource()).isEqualTo(DLQ);
    assertThat(agentOnDlq.outcome()).isEqualTo(Outcome.ADDED);
    assertThat(agentOnDlq.attempts()).isEqualTo(2);
    assertThat(waits).hasSize(1);
    assertThat(pubsub.members(DLQ, PubSubGrant.PUBLISHER)).containsExactly(AGENT);
  }

  @Test
  void provision_realConcurrentWriter_staleEtagIsRefusedAndBothMembersSurvive() {
    provisioner(3).provision(spec());
    String other = "user:ops@example.com";
    pubsub.changePolicyConcurrently(SUB, PubSubGrant.SUBSCRIBER, other);

    provisioner(3).provision(spec());

    assertThat(pubsub.members(SUB, PubSubGrant.SUBSCRIBER)).containsExactly(WORKER, AGENT, other);
  }

  @Test
  void provision_conflictsOutlastAttempts_failsSayingSo() {
    provisioner(3)
        .provision(spec().toBuilder().deadLetterTopic(java.util.Optional.empty()).build());
    for (int i = 0; i < 2; i++) {
      pubsub.failNextCall("SetIamPolicy", Status.Code.ABORTED, "etag mismatch");
    }

    assertThatThrownBy(() -> provisioner(2).provision(spec()))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("setIamPolicy on " + DLQ)
        .hasMessageContaining("etag conflict")
        .hasMessageContaining("2 attempt(s)");
  }

  @Test
  void provision_permissionDenied_namesTheMissingPermission() {
    pubsub.failNextCall("CreateTopic", Status.Code.PERMISSION_DENIED, "denied");

    assertThatThrownBy(() -> provisioner(3).provision(spec()))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("createTopic on " + TOPIC)
        .hasMessageContaining("lacks permission pubsub.topics.create");
  }

  @Test
  void provision_iamPermissionDenied_namesTheIamPermission() {
    pubsub.failNextCall("GetIamPolicy", Status.Code.PERMISSION_DENIED, "denied");

    assertThatThrownBy(() -> provisioner(3).provision(spec()))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("lacks permission pubsub.subscriptions.getIamPolicy");
  }

  @Test
  void provision_subscriptionOnAnotherTopic_isAnError() {
    provisioner(3).provision(spec());

    assertThatThrownBy(
            () -> provisioner(3).provision(spec().toBuilder().topic("other-prompts").build()))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("cannot move a subscription");
  }

  @Test
  void provision_withoutTopic_isRejected() {
    assertThatThrownBy(
            () ->
                provisioner(3)
                    .provision(
                        AsyncInferenceTest.worker().toBuilder()
                            .deadLetterTopic(java.util.Optional.empty())
                            .topic(java.util.Optional.empty())
                            .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no topic");
  }
}
