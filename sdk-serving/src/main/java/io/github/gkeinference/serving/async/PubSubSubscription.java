package io.github.gkeinference.serving.async;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A Config Connector PubSubSubscription ({@code pubsub.cnrm.cloud.google.com/v1beta1}): a pull
 * subscription on a topic, with its ack deadline and, optionally, a dead-letter policy.
 *
 * <p>Reference:
 * https://cloud.google.com/config-connector/docs/reference/resource-docs/pubsub/pubsubsubscription;
 * schema: GoogleCloudPlatform/k8s-config-connector {@code
 * config/crds/resources/apiextensions.k8s.io_v1_customresourcedefinition_pubsubsubscriptions.pubsub.cnrm.cloud.google.com.yaml}
 * (bundled in sdk-schemas). Rendered by {@link AsyncInference#render()}.
 */
@Group("pubsub.cnrm.cloud.google.com")
@Version("v1beta1")
@Kind(PubSubSubscription.KIND)
public final class PubSubSubscription extends CustomObject<PubSubSubscription.Spec>
    implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "pubsub.cnrm.cloud.google.com/v1beta1";

  /** The kind. */
  public static final String KIND = "PubSubSubscription";

  /** Creates an empty object (for Jackson). */
  public PubSubSubscription() {
    super(API_VERSION, KIND);
  }

  /**
   * Creates an object.
   *
   * @param metadata the metadata, with name and namespace
   * @param spec the spec
   */
  public PubSubSubscription(ObjectMeta metadata, Spec spec) {
    super(API_VERSION, KIND, metadata, spec);
  }

  /**
   * The subscription.
   *
   * @param resourceID the subscription id in Pub/Sub
   * @param topicRef the topic it reads, a PubSubTopic in the same namespace
   * @param ackDeadlineSeconds seconds a pulled message stays leased (10-600)
   * @param deadLetterPolicy where undeliverable messages go, or null for none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      String resourceID,
      TopicRef topicRef,
      int ackDeadlineSeconds,
      @Nullable DeadLetterPolicy deadLetterPolicy)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A reference to a PubSubTopic object by name, in the subscription's namespace.
   *
   * @param name the PubSubTopic's metadata.name
   */
  public record TopicRef(String name) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The dead-letter policy: after {@code maxDeliveryAttempts} deliveries without an ack, Pub/Sub
   * forwards the message to the dead-letter topic
   * (https://cloud.google.com/pubsub/docs/handling-failures).
   *
   * @param deadLetterTopicRef the dead-letter topic
   * @param maxDeliveryAttempts deliveries before forwarding, 5-100
   */
  public record DeadLetterPolicy(TopicRef deadLetterTopicRef, int maxDeliveryAttempts)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
