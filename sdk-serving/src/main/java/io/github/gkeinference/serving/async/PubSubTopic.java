package io.github.gkeinference.serving.async;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;

/**
 * A Config Connector PubSubTopic ({@code pubsub.cnrm.cloud.google.com/v1beta1}): one Pub/Sub topic
 * in the project of the namespace Config Connector manages.
 *
 * <p>Reference:
 * https://cloud.google.com/config-connector/docs/reference/resource-docs/pubsub/pubsubtopic;
 * schema: GoogleCloudPlatform/k8s-config-connector {@code
 * config/crds/resources/apiextensions.k8s.io_v1_customresourcedefinition_pubsubtopics.pubsub.cnrm.cloud.google.com.yaml}
 * (bundled in sdk-schemas). Rendered by {@link AsyncInference#render()}.
 */
@Group("pubsub.cnrm.cloud.google.com")
@Version("v1beta1")
@Kind(PubSubTopic.KIND)
public final class PubSubTopic extends CustomObject<PubSubTopic.Spec> implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "pubsub.cnrm.cloud.google.com/v1beta1";

  /** The kind. */
  public static final String KIND = "PubSubTopic";

  /** Creates an empty object (for Jackson). */
  public PubSubTopic() {
    super(API_VERSION, KIND);
  }

  /**
   * Creates an object.
   *
   * @param metadata the metadata, with name and namespace
   * @param spec the spec
   */
  public PubSubTopic(ObjectMeta metadata, Spec spec) {
    super(API_VERSION, KIND, metadata, spec);
  }

  /**
   * The topic.
   *
   * @param resourceID the topic id in Pub/Sub
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String resourceID) implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
