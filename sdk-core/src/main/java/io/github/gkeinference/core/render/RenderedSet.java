package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered, immutable set of rendered resources, in apply order: cloud resources first, then
 * Kubernetes objects from namespaces to monitoring; within one rank, in the order they were added.
 *
 * <p>Every render step in the SDK returns one; sets from several steps combine with {@link
 * #plus(RenderedSet)}. Two resources with the same API group, kind, namespace and name are
 * rejected.
 */
public final class RenderedSet implements Iterable<RenderedResource> {
  private static final RenderedSet EMPTY = new RenderedSet(List.of());
  private static final Comparator<RenderedResource> BY_RANK =
      Comparator.comparingInt(RenderedResource::applyRank);

  private final List<RenderedResource> resources;

  private RenderedSet(List<RenderedResource> resources) {
    this.resources = resources;
  }

  /** Returns the empty set. */
  public static RenderedSet empty() {
    return EMPTY;
  }

  /**
   * Returns a set of the given Kubernetes objects (each copied).
   *
   * @param objects the objects
   * @return the set
   */
  public static RenderedSet of(HasMetadata... objects) {
    Builder builder = builder();
    for (HasMetadata o : objects) {
      builder.add(o);
    }
    return builder.build();
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns every resource in apply order. */
  public List<RenderedResource> resources() {
    return resources;
  }

  /** Returns the Kubernetes resources in apply order. */
  public List<KubernetesResource> kubernetesResources() {
    return resources.stream()
        .filter(KubernetesResource.class::isInstance)
        .map(KubernetesResource.class::cast)
        .toList();
  }

  /** Returns copies of the Kubernetes objects in apply order. */
  public List<HasMetadata> kubernetesObjects() {
    return kubernetesResources().stream().map(KubernetesResource::object).toList();
  }

  /**
   * Returns copies of the Kubernetes objects of one type, in apply order.
   *
   * @param type the class, for example {@code Deployment.class}
   * @param <T> the type
   * @return the copies
   */
  public <T extends HasMetadata> List<T> kubernetesObjects(Class<T> type) {
    return kubernetesResources().stream().filter(r -> r.is(type)).map(r -> r.object(type)).toList();
  }

  /**
   * Returns a copy of the one object of this type and name, if present.
   *
   * @param type the class
   * @param name the object's name
   * @param <T> the type
   * @return the copy, or empty
   */
  public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return kubernetesResources().stream()
        .filter(r -> r.is(type) && r.name().equals(name))
        .findFirst()
        .map(r -> r.object(type));
  }

  /** Returns the cloud resources in the order they were added. */
  public List<CloudResource> cloudResources() {
    return resources.stream()
        .filter(CloudResource.class::isInstance)
        .map(CloudResource.class::cast)
        .toList();
  }

  /**
   * Returns a set with this set's resources followed by {@code other}'s, re-ordered by apply rank.
   *
   * @param other the resources to add
   * @return the combined set
   * @throws io.github.gkeinference.core.validate.SdkValidationException when both hold a resource
   *     with the same identity
   */
  public RenderedSet plus(RenderedSet other) {
    return builder().addAll(this).addAll(other).build();
  }

  /** Returns the number of resources. */
  public int size() {
    return resources.size();
  }

  /** Returns whether the set is empty. */
  public boolean isEmpty() {
    return resources.isEmpty();
  }

  @Override
  public Iterator<RenderedResource> iterator() {
    return resources.iterator();
  }

  @Override
  public String toString() {
    return "RenderedSet" + resources;
  }

  /** Builds a {@link RenderedSet}. Not thread-safe. */
  public static final class Builder {
    private final List<RenderedResource> added = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a copy of a Kubernetes object.
     *
     * @param object the object
     * @return this builder
     */
    public Builder add(HasMetadata object) {
      added.add(KubernetesResource.of(object));
      return this;
    }

    /**
     * Adds a resource.
     *
     * @param resource the resource
     * @return this builder
     */
    public Builder add(RenderedResource resource) {
      added.add(resource);
      return this;
    }

    /**
     * Adds every resource of a set.
     *
     * @param set the set
     * @return this builder
     */
    public Builder addAll(RenderedSet set) {
      added.addAll(set.resources);
      return this;
    }

    /**
     * Builds the set in apply order.
     *
     * @return the set
     * @throws io.github.gkeinference.core.validate.SdkValidationException when two resources have
     *     the same identity
     */
    public RenderedSet build() {
      Violations violations = Violations.root("resources");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < added.size(); i++) {
        RenderedResource r = added.get(i);
        String id = group(r.apiVersion()) + "/" + r.kind() + "/" + r.namespace() + "/" + r.name();
        if (!seen.add(id)) {
          violations.error(
              "[" + i + "]", r, "appears twice; each kind, namespace and name must be unique");
        }
      }
      violations.throwIfErrors();
      List<RenderedResource> sorted = new ArrayList<>(added);
      sorted.sort(BY_RANK); // List.sort is stable: insertion order within a rank
      return new RenderedSet(List.copyOf(sorted));
    }

    private static String group(String apiVersion) {
      int slash = apiVersion.indexOf('/');
      return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
  }
}
