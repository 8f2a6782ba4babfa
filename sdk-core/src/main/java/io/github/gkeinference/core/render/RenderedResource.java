package io.github.gkeinference.core.render;

import org.jspecify.annotations.Nullable;

/**
 * One rendered resource: a Kubernetes object ({@link KubernetesResource}) or a Google Cloud API
 * resource ({@link CloudResource}).
 *
 * <p>Later modules add new kinds of Kubernetes objects and new Google Cloud messages without any
 * change here: a Kubernetes object is any fabric8 {@code HasMetadata}, a cloud resource any
 * protobuf message.
 */
public interface RenderedResource {

  /**
   * Returns the API version, for example {@code apps/v1} or {@code container.googleapis.com/v1}.
   */
  String apiVersion();

  /** Returns the kind, for example {@code Deployment} or {@code Cluster}. */
  String kind();

  /** Returns the resource's name. */
  String name();

  /** Returns the namespace, or {@code null} for cluster-scoped and cloud resources. */
  @Nullable String namespace();

  /**
   * Returns the apply rank: resources are applied in ascending rank (namespaces first, monitoring
   * last), and in the order they were added within one rank.
   */
  int applyRank();
}
