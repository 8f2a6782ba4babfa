package io.github.gkeinference.autoscaling;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

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
 * @param server the model server named by the workload's {@code ai.gke.io/inference-server} label
 *     (on the object or its pod template), or {@code null}
 */
public record ScaleTarget(
    String apiVersion,
    String kind,
    String name,
    @Nullable String namespace,
    @Nullable ModelServer server) {

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
   * Returns a target by reference, with no server label.
   *
   * @param apiVersion the API version
   * @param kind the kind
   * @param name the name
   * @param namespace the namespace, or {@code null}
   * @return the target
   */
  public static ScaleTarget of(
      String apiVersion, String kind, String name, @Nullable String namespace) {
    return new ScaleTarget(apiVersion, kind, name, namespace, null);
  }

  /**
   * Returns the target a rendered resource stands for, reading its server label.
   *
   * @param resource the resource
   * @return the target, scalable or not
   */
  public static ScaleTarget from(KubernetesResource resource) {
    JsonNode tree = ManifestYaml.tree(resource.object());
    JsonNode spec = tree.path("spec");
    JsonNode lws = spec.path("leaderWorkerTemplate");
    ModelServer server = null;
    for (JsonNode metadata :
        List.of(
            tree.path("metadata"),
            spec.path("template").path("metadata"),
            lws.path("leaderTemplate").path("metadata"),
            lws.path("workerTemplate").path("metadata"))) {
      server = server != null ? server : serverLabel(metadata);
    }
    return new ScaleTarget(
        resource.apiVersion(), resource.kind(), resource.name(), resource.namespace(), server);
  }

  /**
   * Returns the one scalable workload of a rendered set.
   *
   * @param set the rendered server
   * @return its target
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the set holds no
   *     scalable workload, or more than one
   */
  public static ScaleTarget in(RenderedSet set) {
    List<KubernetesResource> scalable =
        set.kubernetesResources().stream()
            .filter(r -> SCALABLE.contains(r.apiVersion() + "/" + r.kind()))
            .toList();
    Violations v = Violations.root("target");
    v.require(
        scalable.size() == 1,
        "",
        scalable.isEmpty() ? set.toString() : scalable.toString(),
        "the rendered set must hold exactly one Deployment, StatefulSet or LeaderWorkerSet; name"
            + " one with ScaleTarget.in(set, name)");
    v.throwIfErrors();
    return from(scalable.get(0));
  }

  /**
   * Returns the named workload of a rendered set, scalable or not (the autoscaler rejects a target
   * that is not).
   *
   * @param set the rendered resources
   * @param name the workload's name
   * @return its target
   * @throws io.github.gkeinference.core.validate.SdkValidationException when no resource has that
   *     name
   */
  public static ScaleTarget in(RenderedSet set, String name) {
    Optional<KubernetesResource> found =
        set.kubernetesResources().stream()
            .filter(r -> r.name().equals(name))
            .filter(r -> SCALABLE.contains(r.apiVersion() + "/" + r.kind()))
            .findFirst()
            .or(
                () ->
                    set.kubernetesResources().stream()
                        .filter(r -> r.name().equals(name))
                        .findFirst());
    Violations v = Violations.root("target");
    v.require(found.isPresent(), "name", name, "no rendered resource has this name");
    v.throwIfErrors();
    return from(found.orElseThrow());
  }

  /** Returns whether the kind has a {@code scale} subresource the HPA can drive. */
  public boolean scalable() {
    return SCALABLE.contains(apiVersion + "/" + kind);
  }

  /** Returns the namespace, {@code default} when none is set. */
  public String namespaceOrDefault() {
    return namespace == null ? "default" : namespace;
  }

  private static @Nullable ModelServer serverLabel(JsonNode metadata) {
    JsonNode value = metadata.path("labels").path(Labels.INFERENCE_SERVER);
    return value.isString() ? ModelServer.fromLabel(value.asString()).orElse(null) : null;
  }

  /** Returns the server label's value, if any. */
  Optional<ModelServer> serverLabel() {
    return Optional.ofNullable(server);
  }

  @Override
  public String toString() {
    return kind + " " + namespaceOrDefault() + "/" + name;
  }
}
