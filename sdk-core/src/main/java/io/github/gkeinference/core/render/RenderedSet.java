package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.validate.Secrets;
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
 *
 * <p>A set rendered by a server spec also carries the typed {@link WorkloadFacts} of its workload
 * ({@link #workloads()}); they travel through {@link #plus(RenderedSet)} and the builder's {@link
 * Builder#addAll(RenderedSet)}, so that validation, monitoring and autoscaling never parse them
 * back out of the objects.
 */
public final class RenderedSet implements Iterable<RenderedResource> {
  private static final RenderedSet EMPTY = new RenderedSet(List.of(), List.of());
  private static final Comparator<RenderedResource> BY_RANK =
      Comparator.comparingInt(RenderedResource::applyRank);

  private final List<RenderedResource> resources;
  private final List<WorkloadFacts> workloads;

  private RenderedSet(List<RenderedResource> resources, List<WorkloadFacts> workloads) {
    this.resources = resources;
    this.workloads = workloads;
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

  /**
   * Throws when an object of this set holds a literal credential anywhere (a container argument, an
   * environment value, a label, a ConfigMap value; {@link Secrets}): the last check before objects
   * leave the SDK. It reads each object's {@link KubernetesResource#tree()}, so it builds no typed
   * copies.
   *
   * @return this set
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every literal, at
   *     paths such as {@code Deployment/vllm.spec.template.spec.containers[0].args[1]}
   */
  public RenderedSet requireNoSecretLiterals() {
    Violations v = Violations.root();
    for (KubernetesResource r : kubernetesResources()) {
      Secrets.requireNoLiterals(r.tree(), v.at(r.kind() + "/" + r.name()));
    }
    v.throwIfErrors();
    return this;
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

  /** Returns the facts of every workload rendered into this set, in the order they were added. */
  public List<WorkloadFacts> workloads() {
    return workloads;
  }

  /**
   * Returns the facts of the one workload of this set.
   *
   * @return the facts
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the set carries the
   *     facts of no workload or of more than one
   */
  public WorkloadFacts workload() {
    Violations v = Violations.root("workloads");
    v.require(
        workloads.size() == 1,
        "",
        workloads,
        workloads.isEmpty()
            ? "the set carries no workload facts: render it with a server spec, or derive them"
                + " from foreign objects with core.emit.ForeignWorkloads"
            : "the set holds more than one workload; name one with workload(name)");
    v.throwIfErrors();
    return workloads.get(0);
  }

  /**
   * Returns the facts of the workload of this name.
   *
   * @param name the workload's name
   * @return the facts
   * @throws io.github.gkeinference.core.validate.SdkValidationException when no workload has this
   *     name
   */
  public WorkloadFacts workload(String name) {
    Optional<WorkloadFacts> found =
        workloads.stream().filter(w -> w.name().equals(name)).findFirst();
    Violations v = Violations.root("workloads");
    v.require(
        found.isPresent(),
        "name",
        name,
        "no workload of this name in the set; it has " + workloads);
    v.throwIfErrors();
    return found.orElseThrow();
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
    // the facts of both sets come along: addAll copies them
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
    return "RenderedSet" + resources + (workloads.isEmpty() ? "" : " facts" + workloads);
  }

  /** Builds a {@link RenderedSet}. Not thread-safe. */
  public static final class Builder {
    private final List<RenderedResource> added = new ArrayList<>();
    private final List<WorkloadFacts> facts = new ArrayList<>();

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
     * Adds the facts of a workload rendered into this set.
     *
     * @param workload the facts
     * @return this builder
     */
    public Builder addWorkload(WorkloadFacts workload) {
      facts.add(workload);
      return this;
    }

    /**
     * Adds every resource of a set, and its workload facts.
     *
     * @param set the set
     * @return this builder
     */
    public Builder addAll(RenderedSet set) {
      added.addAll(set.resources);
      facts.addAll(set.workloads);
      return this;
    }

    /**
     * Builds the set in apply order.
     *
     * @return the set
     * @throws io.github.gkeinference.core.validate.SdkValidationException when two resources have
     *     the same identity, or two workload facts describe the same workload
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
      Set<String> described = new HashSet<>();
      for (int i = 0; i < facts.size(); i++) {
        WorkloadFacts f = facts.get(i);
        if (!described.add(f.identity())) {
          violations.error(
              "workloads[" + i + "]", f, "has facts twice; a workload is described once");
        }
      }
      violations.throwIfErrors();
      List<RenderedResource> sorted = new ArrayList<>(added);
      sorted.sort(BY_RANK); // List.sort is stable: insertion order within a rank
      return new RenderedSet(List.copyOf(sorted), List.copyOf(facts));
    }

    private static String group(String apiVersion) {
      int slash = apiVersion.indexOf('/');
      return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
  }
}
