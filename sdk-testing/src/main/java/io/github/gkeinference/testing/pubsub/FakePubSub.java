package io.github.gkeinference.testing.pubsub;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.IAMPolicyGrpc;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.GetTopicRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriberGrpc;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.UpdateSubscriptionRequest;
import io.github.gkeinference.testing.internal.CallLog;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An in-process fake of Google Cloud Pub/Sub ({@code google.pubsub.v1.Publisher}, {@code
 * google.pubsub.v1.Subscriber} and {@code google.iam.v1.IAMPolicy}): topics and pull subscriptions
 * can be created, read and updated, messages published, pulled, acked and nacked, and the IAM
 * policies of topics and subscriptions read and written with etags.
 *
 * <p>It is built on the real generated service bases and served over an in-process gRPC channel;
 * {@link #topicAdminClient()} and {@link #subscriptionAdminClient()} are the real clients with no
 * credentials, so code under test talks to it exactly as it would to Pub/Sub.
 *
 * <pre>{@code
 * try (FakePubSub pubsub = FakePubSub.start()) {
 *   pubsub.failNextCall("SetIamPolicy", Status.Code.ABORTED, "etag mismatch");
 *   PubSubProvisioner.of(pubsub.topicAdminClient(), pubsub.subscriptionAdminClient(), retrier)
 *       .provision(spec);
 * }
 * }</pre>
 *
 * <p>Behaviour that mirrors Pub/Sub: a second create fails with {@code ALREADY_EXISTS}, a read of a
 * missing resource with {@code NOT_FOUND}; a subscription's topic and dead-letter topic must exist;
 * a message goes to every subscription its topic had when it was published; {@code SetIamPolicy}
 * with an etag other than the policy's current one fails with {@code ABORTED}, and each write gives
 * the policy a new etag; with a dead-letter policy, a pulled message carries its delivery attempt,
 * and a message nacked ({@code ModifyAckDeadline} to 0) on its {@code maxDeliveryAttempts}-th
 * delivery is published to the dead-letter topic instead of being redelivered
 * (https://cloud.google.com/pubsub/docs/handling-failures). Simplifications: no clock, so a pulled
 * message stays leased until it is acked or nacked (ack deadlines never expire); {@code
 * StreamingPull} and push subscriptions are not served.
 *
 * <p>Thread-safe. {@link #close()} closes the clients, the channel and the server.
 */
public final class FakePubSub implements AutoCloseable {
  private static final Pattern TOPIC = Pattern.compile("projects/[^/]+/topics/[^/]+");
  private static final Pattern SUBSCRIPTION = Pattern.compile("projects/[^/]+/subscriptions/[^/]+");

  private final Object lock = new Object();
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final Map<String, SubscriptionState> subscriptions = new LinkedHashMap<>();
  private final Map<String, List<PubsubMessage>> published = new LinkedHashMap<>();
  private final Map<String, Policy> policies = new LinkedHashMap<>();
  private final CallLog log = new CallLog();
  private int counter;

  private final InProcessGrpc grpc;
  private final TopicAdminSettings topicSettings;
  private final SubscriptionAdminSettings subscriptionSettings;
  private final LazyClient<TopicAdminClient> topicClient;
  private final LazyClient<SubscriptionAdminClient> subscriptionClient;

  private FakePubSub() {
    grpc = InProcessGrpc.start(new Publisher(), new Subscriber(), new Iam());
    topicSettings =
        InProcessGrpc.settings(
            () ->
                TopicAdminSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    subscriptionSettings =
        InProcessGrpc.settings(
            () ->
                SubscriptionAdminSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    topicClient = LazyClient.of(() -> TopicAdminClient.create(topicSettings));
    subscriptionClient = LazyClient.of(() -> SubscriptionAdminClient.create(subscriptionSettings));
  }

  /** Starts a fake with no topics. */
  public static FakePubSub start() {
    return new FakePubSub();
  }

  /** Returns the real topic admin client connected to this fake (closed by {@link #close()}). */
  public TopicAdminClient topicAdminClient() {
    return topicClient.get();
  }

  /**
   * Returns the real subscription admin client connected to this fake (closed by {@link #close()}).
   */
  public SubscriptionAdminClient subscriptionAdminClient() {
    return subscriptionClient.get();
  }

  /** Returns settings that reach this fake, for code that builds its own topic client. */
  public TopicAdminSettings topicAdminSettings() {
    return topicSettings;
  }

  /** Returns settings that reach this fake, for code that builds its own subscription client. */
  public SubscriptionAdminSettings subscriptionAdminSettings() {
    return subscriptionSettings;
  }

  /**
   * Makes the next call of {@code method} (the gRPC method name, for example {@code SetIamPolicy})
   * fail with {@code code}; queued failures are used in order, one per call.
   *
   * @param method the method name
   * @param code the status code
   * @param message the status message
   * @return this fake
   */
  public FakePubSub failNextCall(String method, Status.Code code, String message) {
    log.failNext(method, code, message);
    return this;
  }

  /**
   * Changes a resource's IAM policy as another writer would: adds {@code member} to {@code role}
   * and gives the policy a new etag, so a read-modify-write that read it before fails.
   *
   * @param resource the topic or subscription name
   * @param role the role
   * @param member the member
   */
  public void changePolicyConcurrently(String resource, String role, String member) {
    synchronized (lock) {
      Policy p = policies.getOrDefault(resource, Policy.getDefaultInstance());
      policies.put(resource, withEtag(addMember(p, role, member)));
    }
  }

  /** Returns the names of the topics, in creation order. */
  public List<String> topics() {
    synchronized (lock) {
      return List.copyOf(topics.keySet());
    }
  }

  /**
   * Returns a subscription as stored.
   *
   * @param name {@code projects/P/subscriptions/S}
   * @return the subscription, or null when it does not exist
   */
  public @Nullable Subscription subscription(String name) {
    synchronized (lock) {
      SubscriptionState s = subscriptions.get(name);
      return s == null ? null : s.subscription;
    }
  }

  /**
   * Returns the members of a role on a topic or subscription, sorted.
   *
   * @param resource the topic or subscription name
   * @param role the role
   * @return the members, empty when none
   */
  public Set<String> members(String resource, String role) {
    synchronized (lock) {
      Set<String> out = new TreeSet<>();
      Policy p = policies.get(resource);
      if (p != null) {
        p.getBindingsList().stream()
            .filter(b -> b.getRole().equals(role))
            .forEach(b -> out.addAll(b.getMembersList()));
      }
      return out;
    }
  }

  /**
   * Returns every message published to a topic (by a client or by dead-lettering), in order.
   *
   * @param topic the topic name
   * @return the messages
   */
  public List<PubsubMessage> published(String topic) {
    synchronized (lock) {
      return List.copyOf(published.getOrDefault(topic, List.of()));
    }
  }

  /**
   * Publishes a message to a topic, as a client would.
   *
   * @param topic the topic name
   * @param data the message's data, UTF-8
   * @param attributes its attributes
   * @return the message id
   */
  public String publish(String topic, String data, Map<String, String> attributes) {
    synchronized (lock) {
      requireTopic(topic);
      return store(
          topic,
          PubsubMessage.newBuilder()
              .setData(ByteString.copyFromUtf8(data))
              .putAllAttributes(attributes)
              .build());
    }
  }

  /**
   * Returns how many messages of a subscription wait to be pulled (not leased, not acked).
   *
   * @param subscription the subscription name
   * @return the count
   */
  public int undelivered(String subscription) {
    synchronized (lock) {
      SubscriptionState s = subscriptions.get(subscription);
      return s == null ? 0 : s.ready.size();
    }
  }

  /**
   * Returns how many messages of a subscription were acked.
   *
   * @param subscription the subscription name
   * @return the count
   */
  public int acked(String subscription) {
    synchronized (lock) {
      SubscriptionState s = subscriptions.get(subscription);
      return s == null ? 0 : s.acked;
    }
  }

  /**
   * Returns the gRPC methods called, in order, for example {@code CreateTopic projects/p/topics/t}.
   */
  public List<String> calls() {
    return log.calls();
  }

  @Override
  public void close() {
    topicClient.close();
    subscriptionClient.close();
    grpc.close();
  }

  // ---- state, all under lock ----

  private static final class SubscriptionState {
    Subscription subscription;
    final Deque<Delivery> ready = new ArrayDeque<>();
    final Map<String, Delivery> leased = new LinkedHashMap<>();
    int acked;

    SubscriptionState(Subscription subscription) {
      this.subscription = subscription;
    }
  }

  private static final class Delivery {
    final PubsubMessage message;
    int attempts;

    Delivery(PubsubMessage message) {
      this.message = message;
    }
  }

  private void call(String method, String resource) {
    log.recordOrFail(method, method + " " + resource);
  }

  private void requireTopic(String name) {
    if (!topics.containsKey(name)) {
      throw Status.NOT_FOUND
          .withDescription("Resource not found (resource=" + name + ").")
          .asRuntimeException();
    }
  }

  private SubscriptionState requireSubscription(String name) {
    SubscriptionState s = subscriptions.get(name);
    if (s == null) {
      throw Status.NOT_FOUND
          .withDescription("Resource not found (resource=" + name + ").")
          .asRuntimeException();
    }
    return s;
  }

  private String store(String topic, PubsubMessage message) {
    String id = String.valueOf(++counter);
    PubsubMessage stored = message.toBuilder().setMessageId(id).build();
    published.computeIfAbsent(topic, t -> new ArrayList<>()).add(stored);
    for (SubscriptionState s : subscriptions.values()) {
      if (s.subscription.getTopic().equals(topic)) {
        s.ready.add(new Delivery(stored));
      }
    }
    return id;
  }

  private Policy withEtag(Policy p) {
    return p.toBuilder().setEtag(ByteString.copyFromUtf8("etag-" + (++counter))).build();
  }

  private static Policy addMember(Policy p, String role, String member) {
    Policy.Builder b = p.toBuilder();
    for (int i = 0; i < b.getBindingsCount(); i++) {
      if (b.getBindings(i).getRole().equals(role) && !b.getBindings(i).hasCondition()) {
        b.setBindings(i, b.getBindings(i).toBuilder().addMembers(member));
        return b.build();
      }
    }
    return b.addBindings(com.google.iam.v1.Binding.newBuilder().setRole(role).addMembers(member))
        .build();
  }

  private <T> void answer(StreamObserver<T> observer, java.util.function.Supplier<T> body) {
    T value;
    try {
      synchronized (lock) {
        value = body.get();
      }
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    observer.onNext(value);
    observer.onCompleted();
  }

  // ---- services ----

  private final class Publisher extends PublisherGrpc.PublisherImplBase {
    @Override
    public void createTopic(Topic request, StreamObserver<Topic> observer) {
      answer(
          observer,
          () -> {
            call("CreateTopic", request.getName());
            if (!TOPIC.matcher(request.getName()).matches()) {
              throw Status.INVALID_ARGUMENT.withDescription("bad topic name").asRuntimeException();
            }
            if (topics.containsKey(request.getName())) {
              throw Status.ALREADY_EXISTS
                  .withDescription("Resource already exists")
                  .asRuntimeException();
            }
            topics.put(request.getName(), request);
            return request;
          });
    }

    @Override
    public void getTopic(GetTopicRequest request, StreamObserver<Topic> observer) {
      answer(
          observer,
          () -> {
            call("GetTopic", request.getTopic());
            requireTopic(request.getTopic());
            return topics.get(request.getTopic());
          });
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> observer) {
      answer(
          observer,
          () -> {
            call("Publish", request.getTopic());
            requireTopic(request.getTopic());
            PublishResponse.Builder r = PublishResponse.newBuilder();
            for (PubsubMessage m : request.getMessagesList()) {
              r.addMessageIds(store(request.getTopic(), m));
            }
            return r.build();
          });
    }
  }

  private final class Subscriber extends SubscriberGrpc.SubscriberImplBase {
    @Override
    public void createSubscription(Subscription request, StreamObserver<Subscription> observer) {
      answer(
          observer,
          () -> {
            call("CreateSubscription", request.getName());
            if (!SUBSCRIPTION.matcher(request.getName()).matches()) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("bad subscription name")
                  .asRuntimeException();
            }
            if (subscriptions.containsKey(request.getName())) {
              throw Status.ALREADY_EXISTS
                  .withDescription("Resource already exists")
                  .asRuntimeException();
            }
            requireTopic(request.getTopic());
            checkDeadLetter(request);
            subscriptions.put(request.getName(), new SubscriptionState(request));
            return request;
          });
    }

    @Override
    public void getSubscription(
        GetSubscriptionRequest request, StreamObserver<Subscription> observer) {
      answer(
          observer,
          () -> {
            call("GetSubscription", request.getSubscription());
            return requireSubscription(request.getSubscription()).subscription;
          });
    }

    @Override
    public void updateSubscription(
        UpdateSubscriptionRequest request, StreamObserver<Subscription> observer) {
      answer(
          observer,
          () -> {
            String name = request.getSubscription().getName();
            call("UpdateSubscription", name);
            SubscriptionState s = requireSubscription(name);
            Subscription.Builder b = s.subscription.toBuilder();
            for (String path : request.getUpdateMask().getPathsList()) {
              switch (path) {
                case "ack_deadline_seconds" ->
                    b.setAckDeadlineSeconds(request.getSubscription().getAckDeadlineSeconds());
                case "dead_letter_policy" ->
                    b.setDeadLetterPolicy(request.getSubscription().getDeadLetterPolicy());
                default ->
                    throw Status.INVALID_ARGUMENT
                        .withDescription("this fake cannot update " + path)
                        .asRuntimeException();
              }
            }
            checkDeadLetter(b.build());
            s.subscription = b.build();
            return s.subscription;
          });
    }

    @Override
    public void pull(PullRequest request, StreamObserver<PullResponse> observer) {
      answer(
          observer,
          () -> {
            call("Pull", request.getSubscription());
            SubscriptionState s = requireSubscription(request.getSubscription());
            PullResponse.Builder r = PullResponse.newBuilder();
            int max = request.getMaxMessages() > 0 ? request.getMaxMessages() : 1000;
            while (r.getReceivedMessagesCount() < max && !s.ready.isEmpty()) {
              Delivery d = s.ready.poll();
              d.attempts++;
              String ackId = "ack-" + (++counter);
              s.leased.put(ackId, d);
              ReceivedMessage.Builder m =
                  ReceivedMessage.newBuilder().setAckId(ackId).setMessage(d.message);
              if (s.subscription.hasDeadLetterPolicy()) {
                m.setDeliveryAttempt(d.attempts);
              }
              r.addReceivedMessages(m);
            }
            return r.build();
          });
    }

    @Override
    public void acknowledge(AcknowledgeRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          () -> {
            call("Acknowledge", request.getSubscription());
            SubscriptionState s = requireSubscription(request.getSubscription());
            for (String ackId : request.getAckIdsList()) {
              if (s.leased.remove(ackId) != null) {
                s.acked++;
              }
            }
            return Empty.getDefaultInstance();
          });
    }

    @Override
    public void modifyAckDeadline(
        ModifyAckDeadlineRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          () -> {
            call("ModifyAckDeadline", request.getSubscription());
            SubscriptionState s = requireSubscription(request.getSubscription());
            if (request.getAckDeadlineSeconds() > 0) {
              // an extension: the lease is kept (this fake has no clock to expire it)
              return Empty.getDefaultInstance();
            }
            for (String ackId : request.getAckIdsList()) {
              Delivery d = s.leased.remove(ackId);
              if (d == null) {
                continue;
              }
              Subscription sub = s.subscription;
              if (sub.hasDeadLetterPolicy()
                  && d.attempts >= sub.getDeadLetterPolicy().getMaxDeliveryAttempts()) {
                store(sub.getDeadLetterPolicy().getDeadLetterTopic(), d.message);
              } else {
                s.ready.addFirst(d);
              }
            }
            return Empty.getDefaultInstance();
          });
    }
  }

  private void checkDeadLetter(Subscription s) {
    if (s.hasDeadLetterPolicy()) {
      requireTopic(s.getDeadLetterPolicy().getDeadLetterTopic());
      int max = s.getDeadLetterPolicy().getMaxDeliveryAttempts();
      if (max != 0 && (max < 5 || max > 100)) {
        throw Status.INVALID_ARGUMENT
            .withDescription("max_delivery_attempts must be between 5 and 100")
            .asRuntimeException();
      }
    }
  }

  private final class Iam extends IAMPolicyGrpc.IAMPolicyImplBase {
    @Override
    public void getIamPolicy(GetIamPolicyRequest request, StreamObserver<Policy> observer) {
      answer(
          observer,
          () -> {
            call("GetIamPolicy", request.getResource());
            requireResource(request.getResource());
            return policies.computeIfAbsent(
                request.getResource(), r -> withEtag(Policy.getDefaultInstance()));
          });
    }

    @Override
    public void setIamPolicy(SetIamPolicyRequest request, StreamObserver<Policy> observer) {
      answer(
          observer,
          () -> {
            call("SetIamPolicy", request.getResource());
            requireResource(request.getResource());
            Policy current = policies.get(request.getResource());
            ByteString etag = request.getPolicy().getEtag();
            if (!etag.isEmpty() && current != null && !etag.equals(current.getEtag())) {
              throw Status.ABORTED
                  .withDescription("There were concurrent policy changes (etag mismatch)")
                  .asRuntimeException();
            }
            Policy stored = withEtag(request.getPolicy());
            policies.put(request.getResource(), stored);
            return stored;
          });
    }

    private void requireResource(String resource) {
      if (TOPIC.matcher(resource).matches()) {
        requireTopic(resource);
      } else {
        requireSubscription(resource);
      }
    }
  }
}
