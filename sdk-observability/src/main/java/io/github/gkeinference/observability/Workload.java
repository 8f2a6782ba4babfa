package io.github.gkeinference.observability;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * The pods of a rendered server as a monitor sees them: name, namespace, the labels that select
 * exactly its serving pods, and its containers' ports and arguments.
 *
 * <p>Taken from the rendered objects themselves, so monitors cannot drift from the workload: a
 * Deployment contributes its {@code spec.selector.matchLabels}; a LeaderWorkerSet contributes the
 * selector its scale subresource publishes for HPAs, which picks the leader pod of each group only
 * ({@code leaderworkerset.sigs.k8s.io/name=<name>, leaderworkerset.sigs.k8s.io/worker-index=0}):
 * the leader runs the API server and exports the metrics.
 *
 * @param kind the workload kind, {@code Deployment}, {@code LeaderWorkerSet} or {@code Pods} for
 *     explicit labels
 * @param name the workload's name
 * @param namespace the workload's namespace
 * @param podSelector the labels selecting its serving pods; never empty
 * @param containers the serving pods' containers
 */
public record Workload(
    String kind,
    String name,
    String namespace,
    Map<String, String> podSelector,
    List<Container> containers) {

  /** The LeaderWorkerSet label holding the set's name (kubernetes-sigs/lws). */
  public static final String LWS_NAME_LABEL = "leaderworkerset.sigs.k8s.io/name";

  /** The LeaderWorkerSet label holding a pod's index in its group; the leader is {@code 0}. */
  public static final String LWS_WORKER_INDEX_LABEL = "leaderworkerset.sigs.k8s.io/worker-index";

  /**
   * One container of the serving pod.
   *
   * @param name the container's name
   * @param ports the declared ports, name (may be empty) to number
   * @param args the command and arguments, in order
   */
  public record Container(String name, List<Port> ports, List<String> args) {
    /** Copies the lists. */
    public Container {
      ports = List.copyOf(ports);
      args = List.copyOf(args);
    }

    /**
     * Returns the value of a command-line flag given as {@code --flag=value} or {@code --flag
     * value}.
     *
     * @param flag the flag, for example {@code --port}
     * @return the value, or empty
     */
    public Optional<String> flag(String flag) {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.startsWith(flag + "=")) {
          return Optional.of(a.substring(flag.length() + 1));
        }
        if (a.equals(flag) && i + 1 < args.size()) {
          return Optional.of(args.get(i + 1));
        }
      }
      return Optional.empty();
    }
  }

  /**
   * A declared container port.
   *
   * @param name the port's name, or empty
   * @param number the port number
   */
  public record Port(String name, int number) {}

  /** Copies the collections. */
  public Workload {
    podSelector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(podSelector));
    containers = List.copyOf(containers);
  }

  /**
   * Returns the one serving workload (Deployment or LeaderWorkerSet) of a rendered set.
   *
   * @param set the rendered server
   * @return the workload
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the set has none or
   *     more than one
   */
  public static Workload from(RenderedSet set) {
    List<KubernetesResource> found = workloads(set);
    Violations v = Violations.root("workload");
    v.require(
        found.size() == 1,
        "",
        found.stream().map(Object::toString).toList(),
        "the rendered set must hold exactly one Deployment or LeaderWorkerSet; name the one to"
            + " monitor with Workload.from(set, name)");
    v.throwIfErrors();
    return of(found.get(0).object());
  }

  /**
   * Returns the serving workload of a rendered set with the given name.
   *
   * @param set the rendered server
   * @param name the Deployment's or LeaderWorkerSet's name
   * @return the workload
   */
  public static Workload from(RenderedSet set, String name) {
    List<KubernetesResource> found =
        workloads(set).stream().filter(r -> r.name().equals(name)).toList();
    Violations v = Violations.root("workload");
    v.require(
        !found.isEmpty(),
        "name",
        name,
        "no Deployment or LeaderWorkerSet with this name in the set");
    v.throwIfErrors();
    return of(found.get(0).object());
  }

  /**
   * Returns a workload given only by labels, for pods the SDK did not render.
   *
   * @param name a name for the monitor
   * @param namespace the pods' namespace
   * @param podSelector the labels selecting the pods; must not be empty
   * @param containers the containers, with the ports to scrape declared
   * @return the workload
   */
  public static Workload ofLabels(
      String name, String namespace, Map<String, String> podSelector, List<Container> containers) {
    Violations v = Violations.root("workload");
    v.require(
        !podSelector.isEmpty(),
        "podSelector",
        podSelector,
        "must not be empty: an empty selector would scrape every pod in the namespace");
    v.throwIfErrors();
    return new Workload("Pods", name, namespace, podSelector, containers);
  }

  /**
   * Returns the first declared port with this number.
   *
   * @param number the port number
   * @return the port, or empty when no container declares it
   */
  public Optional<Port> port(int number) {
    return containers.stream()
        .flatMap(c -> c.ports().stream())
        .filter(p -> p.number() == number)
        .findFirst();
  }

  /**
   * Returns the first value of a flag across the containers.
   *
   * @param flag the flag
   * @return the value, or empty
   */
  public Optional<String> flag(String flag) {
    return containers.stream().map(c -> c.flag(flag)).flatMap(Optional::stream).findFirst();
  }

  /**
   * Returns the first integer value of a flag across the containers.
   *
   * @param flag the flag
   * @return the number, or empty when absent or not a number
   */
  public OptionalInt intFlag(String flag) {
    Optional<String> value = flag(flag);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value.get().trim()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static List<KubernetesResource> workloads(RenderedSet set) {
    return set.kubernetesResources().stream()
        .filter(r -> r.kind().equals("Deployment") || r.kind().equals("LeaderWorkerSet"))
        .toList();
  }

  private static Workload of(HasMetadata object) {
    JsonNode tree = ManifestYaml.tree(object);
    String name = object.getMetadata().getName();
    String namespace =
        object.getMetadata().getNamespace() == null
            ? "default"
            : object.getMetadata().getNamespace();
    Map<String, String> selector = new LinkedHashMap<>();
    JsonNode podSpec;
    if (object.getKind().equals("Deployment")) {
      JsonNode match = tree.path("spec").path("selector").path("matchLabels");
      if (match.isEmpty()) {
        match = tree.path("spec").path("template").path("metadata").path("labels");
      }
      match.properties().forEach(e -> selector.put(e.getKey(), e.getValue().asString()));
      podSpec = tree.path("spec").path("template").path("spec");
    } else {
      selector.put(LWS_NAME_LABEL, name);
      selector.put(LWS_WORKER_INDEX_LABEL, "0");
      JsonNode lwt = tree.path("spec").path("leaderWorkerTemplate");
      podSpec =
          lwt.has("leaderTemplate")
              ? lwt.path("leaderTemplate").path("spec")
              : lwt.path("workerTemplate").path("spec");
    }
    Violations v = Violations.root("workload");
    v.require(
        !selector.isEmpty(),
        "podSelector",
        object.getKind() + " " + name,
        "the workload has no selector labels; a monitor would scrape every pod in the namespace");
    v.throwIfErrors();
    List<Container> containers = new ArrayList<>();
    for (JsonNode c : podSpec.path("containers")) {
      List<Port> ports = new ArrayList<>();
      for (JsonNode p : c.path("ports")) {
        ports.add(new Port(p.path("name").asString(""), p.path("containerPort").asInt()));
      }
      List<String> args = new ArrayList<>();
      c.path("command").forEach(a -> args.add(a.asString()));
      c.path("args").forEach(a -> args.add(a.asString()));
      containers.add(new Container(c.path("name").asString(""), ports, args));
    }
    return new Workload(object.getKind(), name, namespace, selector, containers);
  }
}
