package io.github.gkeinference.serving.async;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.iam.v1.Binding;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.GetPolicyOptions;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.protobuf.FieldMask;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.UpdateSubscriptionRequest;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.Retrier.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an {@link AsyncInference}'s Pub/Sub resources through the Pub/Sub admin API, the same
 * ones {@link AsyncInference#render()} writes as Config Connector objects: the request topic, the
 * dead-letter topic, the subscription with its ack deadline and dead-letter policy, and the IAM
 * bindings of {@link AsyncInference#pubSubGrants()}.
 *
 * <pre>{@code
 * try (TopicAdminClient topics = TopicAdminClient.create();
 *     SubscriptionAdminClient subscriptions = SubscriptionAdminClient.create()) {
 *   Retrier retrier = Retrier.of(RetryPolicy.defaults(), Clock.systemUTC(), Sleeper.system());
 *   List<Result> results = PubSubProvisioner.of(topics, subscriptions, retrier).provision(async);
 * }
 * }</pre>
 *
 * <p>Idempotent: a resource that exists as wanted is reported {@link Outcome#UNCHANGED} and not
 * written, so a second run reports every step unchanged. A subscription whose ack deadline or
 * dead-letter policy differ is updated ({@link Outcome#UPDATED}); one on another topic is an error,
 * since Pub/Sub cannot move a subscription. IAM bindings are read ({@code getIamPolicy}), the
 * member added to the role's unconditional binding, and written back with the policy's etag ({@code
 * setIamPolicy}); when another writer changed the policy in between, Pub/Sub refuses the stale etag
 * ({@code ABORTED}) and the binding is read and written again through the retrier. A refused call
 * ({@code PERMISSION_DENIED}) fails with an {@link SdkException} naming the permission the caller
 * lacks. The provisioner does not own the clients and does not close them.
 */
public final class PubSubProvisioner {
  /**
   * The IAM policy version requested, so that conditional bindings are read and written back whole
   * (https://cloud.google.com/iam/docs/policies#versions).
   */
  static final int POLICY_VERSION = 3;

  private static final Logger LOG = LoggerFactory.getLogger(PubSubProvisioner.class);

  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;
  private final Retrier retrier;

  private PubSubProvisioner(
      TopicAdminClient topics, SubscriptionAdminClient subscriptions, Retrier retrier) {
    this.topics = Objects.requireNonNull(topics, "topics");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
  }

  /**
   * Returns a provisioner.
   *
   * @param topics the topic admin client; not closed by the provisioner
   * @param subscriptions the subscription admin client; not closed by the provisioner
   * @param retrier retries IAM etag conflicts, with bounded, jittered backoff
   * @return the provisioner
   */
  public static PubSubProvisioner of(
      TopicAdminClient topics, SubscriptionAdminClient subscriptions, Retrier retrier) {
    return new PubSubProvisioner(topics, subscriptions, retrier);
  }

  /** What a step did. */
  public enum Outcome {
    /** The topic or subscription was created. */
    CREATED,
    /** The subscription's ack deadline or dead-letter policy was changed. */
    UPDATED,
    /** The member was added to the role on the resource. */
    ADDED,
    /** The resource or binding was already as wanted; nothing was written. */
    UNCHANGED
  }

  /**
   * The result of one step.
   *
   * @param resource the resource's full name, for example {@code projects/p/topics/t}
   * @param step what was ensured, for example {@code topic} or {@code roles/pubsub.subscriber to
   *     serviceAccount:...}
   * @param outcome what it did
   * @param attempts how many rounds it took (more than one after IAM etag conflicts)
   */
  public record Result(String resource, String step, Outcome outcome, int attempts) {}

  /**
   * Ensures the topic, the dead-letter topic, the subscription and the IAM bindings, in that order.
   *
   * @param spec the pipeline; its {@link AsyncInference#topic()} must be set
   * @return one result per step
   * @throws IllegalArgumentException when the spec has no topic
   * @throws SdkException for the first step that fails, naming its resource, and the missing
   *     permission when the call was refused
   */
  public List<Result> provision(AsyncInference spec) {
    String project = spec.projectId();
    String topic =
        spec.topic()
            .map(t -> topicName(project, t))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "AsyncInference " + spec.name() + " has no topic to provision"));
    List<Result> results = new ArrayList<>();
    results.add(ensureTopic(topic));
    DeadLetterPolicy deadLetter = null;
    if (spec.deadLetterTopic().isPresent()) {
      String dlq = topicName(project, spec.deadLetterTopic().get());
      results.add(ensureTopic(dlq));
      deadLetter =
          DeadLetterPolicy.newBuilder()
              .setDeadLetterTopic(dlq)
              .setMaxDeliveryAttempts(spec.maxDeliveryAttempts())
              .build();
    }
    Subscription.Builder wanted =
        Subscription.newBuilder()
            .setName("projects/" + project + "/subscriptions/" + spec.subscription())
            .setTopic(topic)
            .setAckDeadlineSeconds(spec.ackDeadlineSeconds());
    if (deadLetter != null) {
      wanted.setDeadLetterPolicy(deadLetter);
    }
    results.add(ensureSubscription(wanted.build()));
    for (PubSubGrant g : spec.pubSubGrants()) {
      results.add(grant(g, g.resourceName(project)));
    }
    return results;
  }

  private static String topicName(String project, String id) {
    return "projects/" + project + "/topics/" + id;
  }

  private Result ensureTopic(String name) {
    try {
      topics.getTopic(name);
      return done(name, "topic", Outcome.UNCHANGED, 1);
    } catch (ApiException e) {
      if (code(e) != StatusCode.Code.NOT_FOUND) {
        throw failure("getTopic", name, "pubsub.topics.get", e);
      }
    }
    try {
      topics.createTopic(Topic.newBuilder().setName(name).build());
      return done(name, "topic", Outcome.CREATED, 1);
    } catch (ApiException e) {
      if (code(e) == StatusCode.Code.ALREADY_EXISTS) {
        // another writer created it between the read and the create
        return done(name, "topic", Outcome.UNCHANGED, 1);
      }
      throw failure("createTopic", name, "pubsub.topics.create", e);
    }
  }

  private Result ensureSubscription(Subscription wanted) {
    String name = wanted.getName();
    Subscription current;
    try {
      current = subscriptions.getSubscription(name);
    } catch (ApiException e) {
      if (code(e) != StatusCode.Code.NOT_FOUND) {
        throw failure("getSubscription", name, "pubsub.subscriptions.get", e);
      }
      try {
        subscriptions.createSubscription(wanted);
        return done(name, "subscription", Outcome.CREATED, 1);
      } catch (ApiException c) {
        throw failure(
            "createSubscription",
            name,
            "pubsub.subscriptions.create (on the project) and pubsub.topics.attachSubscription"
                + " (on the topic)",
            c);
      }
    }
    if (!current.getTopic().equals(wanted.getTopic())) {
      throw new SdkException(
          "subscription "
              + name
              + " exists on topic "
              + current.getTopic()
              + ", not "
              + wanted.getTopic()
              + ": Pub/Sub cannot move a subscription; delete it or choose another subscription id");
    }
    if (current.getAckDeadlineSeconds() == wanted.getAckDeadlineSeconds()
        && current.getDeadLetterPolicy().equals(wanted.getDeadLetterPolicy())) {
      return done(name, "subscription", Outcome.UNCHANGED, 1);
    }
    try {
      subscriptions.updateSubscription(
          UpdateSubscriptionRequest.newBuilder()
              .setSubscription(wanted)
              .setUpdateMask(
                  FieldMask.newBuilder()
                      .addPaths("ack_deadline_seconds")
                      .addPaths("dead_letter_policy"))
              .build());
      return done(name, "subscription", Outcome.UPDATED, 1);
    } catch (ApiException e) {
      throw failure("updateSubscription", name, "pubsub.subscriptions.update", e);
    }
  }

  private Result grant(PubSubGrant grant, String resource) {
    boolean topic = grant.resource() == PubSubGrant.Resource.TOPIC;
    String prefix = topic ? "pubsub.topics." : "pubsub.subscriptions.";
    Function<GetIamPolicyRequest, Policy> get =
        topic ? topics::getIamPolicy : subscriptions::getIamPolicy;
    Function<SetIamPolicyRequest, Policy> set =
        topic ? topics::setIamPolicy : subscriptions::setIamPolicy;
    String step = grant.role() + " to " + grant.member();
    int[] attempts = {0};
    Supplier<Outcome> readModifyWrite =
        () -> {
          attempts[0]++;
          Policy policy;
          try {
            policy =
                get.apply(
                    GetIamPolicyRequest.newBuilder()
                        .setResource(resource)
                        .setOptions(
                            GetPolicyOptions.newBuilder().setRequestedPolicyVersion(POLICY_VERSION))
                        .build());
          } catch (ApiException e) {
            throw new Failed("getIamPolicy", prefix + "getIamPolicy", e);
          }
          Policy updated = withMember(policy, grant.role(), grant.member());
          if (updated == null) {
            return Outcome.UNCHANGED;
          }
          try {
            // the policy's etag travels with it: a concurrent change makes Pub/Sub answer ABORTED
            set.apply(
                SetIamPolicyRequest.newBuilder().setResource(resource).setPolicy(updated).build());
          } catch (ApiException e) {
            throw new Failed("setIamPolicy", prefix + "setIamPolicy", e);
          }
          return Outcome.ADDED;
        };
    try {
      Outcome outcome =
          retrier.call(
              "grant " + step + " on " + resource,
              readModifyWrite,
              e ->
                  e instanceof Failed f && code(f.cause()) == StatusCode.Code.ABORTED
                      ? Decision.retry()
                      : Decision.fail());
      return done(resource, step, outcome, attempts[0]);
    } catch (Failed f) {
      if (code(f.cause()) == StatusCode.Code.ABORTED) {
        throw new SdkException(
            f.operation
                + " on "
                + resource
                + " failed: the policy kept changing under concurrent writers (etag conflict)"
                + " after "
                + attempts[0]
                + " attempt(s); run again",
            f.cause());
      }
      throw failure(f.operation, resource, f.permission, f.cause());
    }
  }

  /**
   * Returns the policy with the member added to the role's unconditional binding, or null when it
   * is there already. Other bindings, members and the etag are kept.
   */
  static @org.jspecify.annotations.Nullable Policy withMember(
      Policy policy, String role, String member) {
    List<Binding> bindings = new ArrayList<>(policy.getBindingsList());
    int index = -1;
    for (int i = 0; i < bindings.size(); i++) {
      Binding b = bindings.get(i);
      if (b.getRole().equals(role) && !b.hasCondition()) {
        if (b.getMembersList().contains(member)) {
          return null;
        }
        index = i;
      }
    }
    if (index >= 0) {
      bindings.set(index, bindings.get(index).toBuilder().addMembers(member).build());
    } else {
      bindings.add(Binding.newBuilder().setRole(role).addMembers(member).build());
    }
    return policy.toBuilder()
        .clearBindings()
        .addAllBindings(bindings)
        // conditional bindings need version 3; an unconditional policy may stay at its version
        .setVersion(Math.max(policy.getVersion(), 1))
        .build();
  }

  private static Result done(String resource, String step, Outcome outcome, int attempts) {
    LOG.info("{} {}: {} after {} attempt(s)", resource, step, outcome, attempts);
    return new Result(resource, step, outcome, attempts);
  }

  private static StatusCode.Code code(ApiException e) {
    return e.getStatusCode().getCode();
  }

  private static SdkException failure(
      String operation, String resource, String permission, ApiException e) {
    String on = operation + " on " + resource;
    String message =
        switch (code(e)) {
          case PERMISSION_DENIED, UNAUTHENTICATED ->
              on
                  + " was denied: the caller lacks permission "
                  + permission
                  + " (granted by roles/pubsub.admin, for example)";
          case NOT_FOUND -> on + " failed: it does not exist (create the topic first)";
          default -> on + " failed with " + code(e) + ": " + e.getMessage();
        };
    return new SdkException(message, e);
  }

  /** A failed IAM call, with the operation and the permission it needs. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String operation;
    final String permission;

    Failed(String operation, String permission, ApiException cause) {
      super(operation + ": " + cause.getMessage(), cause);
      this.operation = operation;
      this.permission = permission;
    }

    ApiException cause() {
      return (ApiException) getCause();
    }
  }
}
