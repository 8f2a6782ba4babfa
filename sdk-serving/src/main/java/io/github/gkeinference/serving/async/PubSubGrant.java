package io.github.gkeinference.serving.async;

import io.github.gkeinference.core.iam.IamPolicyMember;
import java.util.Map;
import java.util.Objects;

/**
 * One role on one Pub/Sub topic or subscription for one IAM member: the bindings asynchronous
 * inference needs, rendered as Config Connector {@code IAMPolicyMember}s ({@link #policyMember}) or
 * applied by {@link PubSubProvisioner}.
 *
 * @param resource whether the role is on a topic or a subscription
 * @param id the topic or subscription id
 * @param role the role, for example {@link #SUBSCRIBER}
 * @param member the IAM member, for example {@code serviceAccount:EMAIL}
 */
public record PubSubGrant(Resource resource, String id, String role, String member) {
  /**
   * Pull, acknowledge and modify ack deadlines on a subscription ({@code
   * pubsub.subscriptions.consume}); source: https://cloud.google.com/pubsub/docs/access-control
   * (Pub/Sub Subscriber).
   */
  public static final String SUBSCRIBER = "roles/pubsub.subscriber";

  /**
   * Publish to a topic ({@code pubsub.topics.publish}); source:
   * https://cloud.google.com/pubsub/docs/access-control (Pub/Sub Publisher).
   */
  public static final String PUBLISHER = "roles/pubsub.publisher";

  /** What a grant is on. */
  public enum Resource {
    /** A topic, {@code projects/P/topics/T}. */
    TOPIC("topics", PubSubTopic.KIND),
    /** A subscription, {@code projects/P/subscriptions/S}. */
    SUBSCRIPTION("subscriptions", PubSubSubscription.KIND);

    private final String collection;
    private final String kind;

    Resource(String collection, String kind) {
      this.collection = collection;
      this.kind = kind;
    }

    /** Returns the Config Connector kind of this resource. */
    public String kind() {
      return kind;
    }
  }

  /** Checks that no component is null. */
  public PubSubGrant {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(member, "member");
  }

  /**
   * Returns the resource's full name, the form the Pub/Sub API and Config Connector's external
   * references take.
   *
   * @param projectId the project
   * @return {@code projects/PROJECT/topics/ID} or {@code projects/PROJECT/subscriptions/ID}
   */
  public String resourceName(String projectId) {
    return "projects/" + projectId + "/" + resource.collection + "/" + id;
  }

  /**
   * Returns this grant as a Config Connector object (a fresh one on every call); the resource is
   * referenced by its external name, as the IAMPolicyMember reference lists for PubSubTopic and
   * PubSubSubscription
   * (https://cloud.google.com/config-connector/docs/reference/resource-docs/iam/iampolicymember).
   *
   * @param name the object's name, a DNS-1123 subdomain
   * @param namespace the namespace Config Connector manages it in
   * @param labels the object's labels
   * @param projectId the project of the topic or subscription
   * @return the IAMPolicyMember
   */
  public IamPolicyMember policyMember(
      String name, String namespace, Map<String, String> labels, String projectId) {
    return IamPolicyMember.of(
        name,
        namespace,
        labels,
        new IamPolicyMember.Spec(
            member,
            role,
            new IamPolicyMember.ResourceRef(
                PubSubTopic.API_VERSION, resource.kind, resourceName(projectId))));
  }
}
