package io.github.gkeinference.autoscaling;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The workload an autoscaler scales, identified by API version, kind and name, so that any rendered
 * server works: a Deployment, a StatefulSet, or a LeaderWorkerSet (which has a {@code scale}
 * subresource; its HPA sees the leader pods through {@code status.hpaPodSelector}).
 *
 * <pre>{@code
 * ScaleTarget target = ScaleTarget.in(server.render());   // the one scalable workload
 * }</pre>
 *
 * @param apiVersion for example {@code apps/v1}
 * @param kind for example {@code Deployment}
 * @param name the workload's name
 * @param namespace the workload's namespace, or {@code null} for the default namespace
 * @param server the model server of the workload's facts, or {@code null}
 * @param vllmVersion the vLLM release the workload's image runs ({@link
 *     WorkloadFacts#vllmVersion()}), or {@code null} when unknown or not vLLM
 */
public record ScaleTarget(
    String apiVersion,
    String kind,
    String name,
    @Nullable String namespace,
    @Nullable ModelServer server,
    @Nullable VllmVersion vllmVersion) {

  /** The kinds with a {@code scale} subresource that model servers are rendered as. */
  private static final Set<String> SCALABLE =
      Set.of(
          "apps/v1/Deployment",
          "apps/v1/StatefulSet",
          "apps/v1/ReplicaSet",
          // LeaderWorkerSet CRD (kubernetes-sigs/lws v0.10.0) declares subresources.scale
          "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet");

  /** Validates the components. */
  public ScaleTarget {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Returns a target with a model server and no known vLLM release.
   *
   * @param apiVersion the API version
   * @param kind the kind
   * @param name the name
   * @param namespace the namespace, or {@code null}
   * @param server the model server, or {@code null}
   */
  public ScaleTarget(
      String apiVersion,
      String kind,
      String name,
      @Nullable String namespace,
      @Nullable ModelServer server) {
    this(apiVersion, kind, name, namespace, server, null);
  }

  /**
   * Returns a target by reference, with no model server.
   *
   * @param apiVersion the API version
   * @param kind the kind
   * @param name the name
   * @param namespace the namespace, or {@code null}
   * @return the target
   */
  public static ScaleTarget of(
      String apiVersion, String kind, String name, @Nullable String namespace) {
    return new ScaleTarget(apiVersion, kind, name, namespace, null, null);
  }

  /**
   * Returns the target a rendered workload stands for, with its model server and vLLM release.
   *
   * @param workload the workload's facts
   * @return the target, scalable or not
   */
  public static ScaleTarget of(WorkloadFacts workload) {
    return new ScaleTarget(
        workload.apiVersion(),
        workload.kind(),
        workload.name(),
        workload.namespace(),
        workload.server().flatMap(ModelServer::fromLabel).orElse(null),
        workload.vllmVersion().orElse(null));
  }

  /**
   * Returns the one scalable workload of a rendered set.
   *
   * @param set the rendered server, carrying its workload facts
   * @return its target
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the set holds no
   *     scalable workload, or more than one
   */
  public static ScaleTarget in(RenderedSet set) {
    List<ScaleTarget> scalable =
        set.workloads().stream().map(ScaleTarget::of).filter(ScaleTarget::scalable).toList();
    Violations v = Violations.root("target");
    v.require(
        scalable.size() == 1,
        "",
        scalable.isEmpty() ? set.toString() : scalable.toString(),
        "the rendered set must hold exactly one Deployment, StatefulSet or LeaderWorkerSet; name"
            + " one with ScaleTarget.in(set, name)");
    v.throwIfErrors();
    return scalable.get(0);
  }

  /**
   * Returns the named workload of a rendered set, scalable or not (the autoscaler rejects a target
   * that is not).
   *
   * @param set the rendered resources, carrying their workload facts
   * @param name the workload's name
   * @return its target
   * @throws io.github.gkeinference.core.validate.SdkValidationException when no workload has that
   *     name
   */
  public static ScaleTarget in(RenderedSet set, String name) {
    Optional<ScaleTarget> found =
        set.workloads().stream()
            .filter(w -> w.name().equals(name))
            .map(ScaleTarget::of)
            .sorted((a, b) -> Boolean.compare(b.scalable(), a.scalable()))
            .findFirst();
    Violations v = Violations.root("target");
    v.require(found.isPresent(), "name", name, "no rendered workload has this name");
    v.throwIfErrors();
    return found.orElseThrow();
  }

  /** Returns whether the kind has a {@code scale} subresource the HPA can drive. */
  public boolean scalable() {
    return SCALABLE.contains(apiVersion + "/" + kind);
  }

  /** Returns the namespace, {@code default} when none is set. */
  public String namespaceOrDefault() {
    return namespace == null ? "default" : namespace;
  }

  @Override
  public String toString() {
    return kind + " " + namespaceOrDefault() + "/" + name;
  }
}
