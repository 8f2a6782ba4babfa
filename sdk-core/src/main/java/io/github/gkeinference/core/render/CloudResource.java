package io.github.gkeinference.core.render;

import com.google.protobuf.Message;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A rendered Google Cloud API resource: a protobuf request message for a GKE cluster or node pool,
 * a Cloud Monitoring alert policy, dashboard or SLO, and so on. Protobuf messages are immutable, so
 * no copy is needed.
 *
 * @param apiVersion the API and version, for example {@code container.googleapis.com/v1}
 * @param kind the resource type, for example {@code Cluster}
 * @param name the resource's short name, for example the cluster name
 * @param message the message to send
 */
public record CloudResource(String apiVersion, String kind, String name, Message message)
    implements RenderedResource {

  /** Validates the components. */
  public CloudResource {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
  }

  /**
   * Creates a cloud resource.
   *
   * @param apiVersion the API and version, for example {@code container.googleapis.com/v1}
   * @param kind the resource type, for example {@code Cluster}
   * @param name the resource's short name
   * @param message the message
   * @return the resource
   */
  public static CloudResource of(String apiVersion, String kind, String name, Message message) {
    return new CloudResource(apiVersion, kind, name, message);
  }

  /**
   * Returns the message as the given type.
   *
   * @param type the expected message class
   * @param <T> the message type
   * @return the message
   */
  public <T extends Message> T message(Class<T> type) {
    return type.cast(message);
  }

  @Override
  public @Nullable String namespace() {
    return null;
  }

  @Override
  public int applyRank() {
    return ApplyOrder.CLOUD;
  }

  @Override
  public String toString() {
    return kind + " " + name;
  }
}
