package io.github.gkeinference.core.emit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The one parser that derives {@link WorkloadFacts} from Kubernetes objects the SDK did not render
 * (manifests read from files), so that the bundle validator, monitors and autoscalers treat them
 * like rendered servers.
 *
 * <p>What it reads: the workload's kind, name and namespace; the pod selector (a Deployment's,
 * StatefulSet's or ReplicaSet's {@code spec.selector.matchLabels}, a Job's or JobSet's pod labels,
 * a LeaderWorkerSet's leader pods); the pod labels, declared container ports and the accelerator
 * limit ({@code nvidia.com/gpu} or {@code google.com/tpu}); the server kind from the {@link
 * Labels#INFERENCE_SERVER} label (its value up to the first {@code -}: {@code vllm-tpu} is {@code
 * vllm}); and these server flags, as {@code --flag=value}, {@code --flag value} or MaxText's {@code
 * key=value}: vLLM's {@code --model}, {@code --served-model-name}, {@code --port}, {@code
 * --tensor-parallel-size} ({@code -tp}), {@code --pipeline-parallel-size} ({@code -pp}) and {@code
 * --max-model-len} (vLLM engine arguments, {@code vllm/engine/arg_utils.py}), and JetStream's
 * {@code prometheus_port} and {@code model_name} (MaxText {@code MaxText/configs/base.yml}). A
 * server's metrics endpoint is vLLM's HTTP port (vLLM serves {@code /metrics} on its API port,
 * default 8000) or JetStream's {@code prometheus_port}.
 *
 * <p>Facts a manifest does not state (the model's max position embeddings, the estimated load time)
 * are left empty, and the checks that need them are skipped. Stateless.
 */
public final class ForeignWorkloads {
  /** The LeaderWorkerSet label holding the set's name (kubernetes-sigs/lws). */
  public static final String LWS_NAME_LABEL = "leaderworkerset.sigs.k8s.io/name";

  /** The LeaderWorkerSet label holding a pod's index in its group; the leader is {@code 0}. */
  public static final String LWS_WORKER_INDEX_LABEL = "leaderworkerset.sigs.k8s.io/worker-index";

  /** vLLM's default HTTP port, which also serves {@code /metrics} (vLLM {@code --port}). */
  static final int VLLM_DEFAULT_PORT = 8000;

  /** The metrics path vLLM and JetStream serve. */
  static final String METRICS_PATH = "/metrics";

  private static final Set<String> DEVICE_RESOURCES = Set.of("nvidia.com/gpu", "google.com/tpu");

  private static final Set<String> TEMPLATED_KINDS =
      Set.of("Deployment", "StatefulSet", "ReplicaSet", "Job");

  private ForeignWorkloads() {}

  /**
   * Returns the set with facts derived for every workload object that carries none yet; objects a
   * server spec rendered keep the facts it attached.
   *
   * @param set the objects, for example read from manifest files
   * @return the same resources with facts for every workload
   */
  public static RenderedSet withFacts(RenderedSet set) {
    RenderedSet.Builder out = RenderedSet.builder().addAll(set);
    for (KubernetesResource r : set.kubernetesResources()) {
      String namespace = r.namespace() == null ? "default" : r.namespace();
      boolean described =
          set.workloads().stream()
              .anyMatch(
                  w ->
                      w.kind().equals(r.kind())
                          && w.name().equals(r.name())
                          && w.namespace().equals(namespace));
      if (!described) {
        of(r.object()).ifPresent(out::addWorkload);
      }
    }
    return out.build();
  }

  /**
   * Returns the facts of one object, when it is a workload: a Deployment, StatefulSet, ReplicaSet,
   * Job, LeaderWorkerSet or JobSet.
   *
   * @param object the object
   * @return its facts, or empty for any other kind
   */
  public static Optional<WorkloadFacts> of(HasMetadata object) {
    String kind = object.getKind();
    JsonNode tree = ManifestYaml.tree(object);
    JsonNode spec = tree.path("spec");
    String name = object.getMetadata().getName();
    Map<String, String> selector = new LinkedHashMap<>();
    JsonNode pod;
    int podsPerGroup = 1;
    if (TEMPLATED_KINDS.contains(kind)) {
      pod = spec.path("template");
      if (!kind.equals("Job")) {
        selector.putAll(strings(spec.path("selector").path("matchLabels")));
      }
    } else if (kind.equals("LeaderWorkerSet")) {
      JsonNode lwt = spec.path("leaderWorkerTemplate");
      pod = lwt.has("leaderTemplate") ? lwt.path("leaderTemplate") : lwt.path("workerTemplate");
      podsPerGroup = Math.max(1, lwt.path("size").asInt(1));
      // the selector the LWS scale subresource publishes for HPAs: the leader pod of each group
      selector.put(LWS_NAME_LABEL, name);
      selector.put(LWS_WORKER_INDEX_LABEL, "0");
    } else if (kind.equals("JobSet")) {
      pod = spec.path("replicatedJobs").path(0).path("template").path("spec").path("template");
    } else {
      return Optional.empty();
    }
    Map<String, String> podLabels = strings(pod.path("metadata").path("labels"));
    if (selector.isEmpty()) {
      selector.putAll(podLabels);
    }
    WorkloadFacts.Builder facts =
        WorkloadFacts.builder()
            .apiVersion(object.getApiVersion())
            .kind(kind)
            .name(name)
            .namespace(
                object.getMetadata().getNamespace() == null
                    ? "default"
                    : object.getMetadata().getNamespace())
            .podSelector(selector)
            .podLabels(podLabels)
            .podsPerGroup(podsPerGroup);
    List<String> args = new ArrayList<>();
    List<JsonNode> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(containers::add);
    // a native sidecar (restartPolicy Always) runs the server beside a batch worker
    pod.path("spec").path("initContainers").forEach(containers::add);
    for (JsonNode c : containers) {
      for (JsonNode p : c.path("ports")) {
        facts.addPort(p.path("name").asString(""), p.path("containerPort").asInt());
      }
      for (Map.Entry<String, String> limit :
          strings(c.path("resources").path("limits")).entrySet()) {
        if (DEVICE_RESOURCES.contains(limit.getKey())) {
          try {
            facts.devices(limit.getKey(), Integer.parseInt(limit.getValue().trim()));
          } catch (NumberFormatException e) {
            // not a whole count: the schema check reports it; no device fact
          }
        }
      }
      c.path("command").forEach(a -> args.add(a.asString()));
      c.path("args").forEach(a -> args.add(a.asString()));
    }
    Optional<String> server =
        Optional.ofNullable(podLabels.get(Labels.INFERENCE_SERVER))
            .or(
                () ->
                    Optional.ofNullable(object.getMetadata().getLabels())
                        .map(l -> l.get(Labels.INFERENCE_SERVER)))
            // the server kind is the value up to its first '-': vllm-tpu is vLLM, jetstream-maxtext
            // is JetStream
            .map(s -> s.contains("-") ? s.substring(0, s.indexOf('-')) : s);
    server.ifPresent(facts::server);
    Flags flags = new Flags(args, facts);
    flags
        .text("--served-model-name")
        .or(() -> flags.text("--model"))
        .or(() -> flags.text("model_name"))
        .ifPresent(facts::modelId);
    flags.number("--tensor-parallel-size", "-tp").ifPresent(facts::tensorParallelism);
    flags.number("--pipeline-parallel-size", "-pp").ifPresent(facts::pipelineParallelism);
    flags.number("--max-model-len").ifPresent(facts::maxModelLen);
    OptionalInt port = flags.number("--port");
    OptionalInt prometheus = flags.number("--prometheus_port", "prometheus_port");
    OptionalInt metricsPort =
        switch (server.orElse("")) {
          case "vllm" -> OptionalInt.of(port.orElse(VLLM_DEFAULT_PORT));
          case "jetstream" -> prometheus;
          default -> OptionalInt.empty();
        };
    if (metricsPort.isPresent()) {
      int number = metricsPort.getAsInt();
      WorkloadFacts partial = facts.build();
      String portName = partial.port(number).map(WorkloadFacts.Port::role).orElse("");
      facts.metrics(number, portName, METRICS_PATH);
    }
    return Optional.of(facts.build());
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asString()));
    return map;
  }

  /** Reads flags out of a container's command and arguments, recording the ones it finds. */
  private record Flags(List<String> args, WorkloadFacts.Builder facts) {
    Optional<String> text(String... names) {
      for (String name : names) {
        for (int i = 0; i < args.size(); i++) {
          String a = args.get(i);
          String value = null;
          if (a.startsWith(name + "=")) {
            value = a.substring(name.length() + 1);
          } else if (a.equals(name) && name.startsWith("-") && i + 1 < args.size()) {
            value = args.get(i + 1);
          }
          if (value != null) {
            facts.putFlag(name, value);
            return Optional.of(value);
          }
        }
      }
      return Optional.empty();
    }

    OptionalInt number(String... names) {
      Optional<String> value = text(names);
      if (value.isEmpty()) {
        return OptionalInt.empty();
      }
      try {
        return OptionalInt.of(Integer.parseInt(value.get().trim()));
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
  }
}
