package io.github.gkeinference.core.emit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmVersion;
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
 * a LeaderWorkerSet's leader pods, or all its pods when they run vLLM with {@code
 * --data-parallel-hybrid-lb}); the pod labels, declared container ports and the accelerator limit
 * ({@code nvidia.com/gpu} or {@code google.com/tpu}); the server kind from the {@link
 * Labels#INFERENCE_SERVER} label (its value up to the first {@code -}: {@code vllm-tpu} is {@code
 * vllm}); for a vLLM server, the release its image's tag names ({@code vllm/vllm-openai:v0.11.2},
 * or a mirror whose image name starts with {@code vllm}); and these server flags, as {@code
 * --flag=value}, {@code --flag value} or MaxText's {@code key=value}: vLLM's {@code --model},
 * {@code --served-model-name}, {@code --port}, {@code --tensor-parallel-size} ({@code -tp}), {@code
 * --pipeline-parallel-size} ({@code -pp}), {@code --data-parallel-size} ({@code -dp}) and {@code
 * --max-model-len}, and for the endpoint picker's checks {@code --kv-events-config}, {@code
 * --kv-transfer-config}, {@code --block-size} and {@code --enable-lora} (vLLM engine arguments,
 * {@code vllm/engine/arg_utils.py}), the containers' literal {@code env} values, and JetStream's
 * {@code prometheus_port} and {@code model_name} (MaxText {@code MaxText/configs/base.yml}). A
 * server's metrics endpoint is vLLM's HTTP port (vLLM serves {@code /metrics} on its API port,
 * default 8000) or JetStream's {@code prometheus_port}.
 *
 * <p>Flags are read from the command line as the process sees it: {@code $(VAR)} references are
 * expanded through the container's {@code env} and {@code envFrom} (literal values and ConfigMaps
 * of the same set, in the same namespace), and a shell script ({@code sh -c "vllm serve ... -tp
 * 4"}) is split into words. References the set cannot resolve (a Secret, the downward API, a
 * ConfigMap that is not in the input) are listed by {@link #unresolvedVariables}.
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
    for (KubernetesResource r : undescribed(set)) {
      of(r.object(), configMaps(set, namespace(r))).ifPresent(out::addWorkload);
    }
    return out.build();
  }

  /**
   * An environment reference ({@code $(VAR)}) in a foreign workload's command or arguments that
   * cannot be resolved from the input: the rules that read that argument skip it.
   *
   * @param kind the workload's kind
   * @param namespace its namespace
   * @param name its name
   * @param field the field holding the reference, such as {@code
   *     spec.template.spec.containers[0].args[2]}
   * @param variable the variable's name
   * @param reason why it cannot be resolved, in words
   */
  public record UnresolvedVariable(
      String kind, String namespace, String name, String field, String variable, String reason) {}

  /**
   * Returns every {@code $(VAR)} reference in the commands and arguments of the set's workloads
   * without facts (manifests read from files) that their environment, with the set's ConfigMaps,
   * does not resolve.
   *
   * @param set the objects
   * @return the unresolved references, in object and field order
   */
  public static List<UnresolvedVariable> unresolvedVariables(RenderedSet set) {
    List<UnresolvedVariable> out = new ArrayList<>();
    for (KubernetesResource r : undescribed(set)) {
      HasMetadata object = r.object();
      JsonNode tree = ManifestYaml.tree(object);
      Map<String, Map<String, String>> maps = configMaps(set, namespace(r));
      for (Map.Entry<String, JsonNode> pod : podTemplates(object.getKind(), tree.path("spec"))) {
        for (String list : List.of("containers", "initContainers")) {
          JsonNode containers = pod.getValue().path("spec").path(list);
          for (int i = 0; i < containers.size(); i++) {
            for (ContainerCommandLine.Unresolved u :
                ContainerCommandLine.of(containers.path(i), maps).unresolved()) {
              out.add(
                  new UnresolvedVariable(
                      object.getKind(),
                      namespace(r),
                      r.name(),
                      pod.getKey() + ".spec." + list + "[" + i + "]." + u.field(),
                      u.variable(),
                      u.reason()));
            }
          }
        }
      }
    }
    return out;
  }

  private static String namespace(KubernetesResource r) {
    return r.namespace() == null ? "default" : r.namespace();
  }

  /** Returns the objects of the set that no server spec described with facts. */
  private static List<KubernetesResource> undescribed(RenderedSet set) {
    List<KubernetesResource> out = new ArrayList<>();
    for (KubernetesResource r : set.kubernetesResources()) {
      boolean described =
          set.workloads().stream()
              .anyMatch(
                  w ->
                      w.kind().equals(r.kind())
                          && w.name().equals(r.name())
                          && w.namespace().equals(namespace(r)));
      if (!described) {
        out.add(r);
      }
    }
    return out;
  }

  /** Returns the data of the set's ConfigMaps in one namespace, by name. */
  private static Map<String, Map<String, String>> configMaps(RenderedSet set, String namespace) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (KubernetesResource r : set.kubernetesResources()) {
      if (r.kind().equals("ConfigMap") && namespace(r).equals(namespace)) {
        out.put(r.name(), strings(r.tree().path("data")));
      }
    }
    return out;
  }

  /**
   * Returns the pod templates of a workload by their path: one for the templated kinds, a
   * LeaderWorkerSet's leader and worker templates, each replicated job of a JobSet.
   */
  private static List<Map.Entry<String, JsonNode>> podTemplates(String kind, JsonNode spec) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    if (TEMPLATED_KINDS.contains(kind)) {
      out.add(Map.entry("spec.template", spec.path("template")));
    } else if (kind.equals("LeaderWorkerSet")) {
      JsonNode lwt = spec.path("leaderWorkerTemplate");
      for (String t : List.of("leaderTemplate", "workerTemplate")) {
        if (lwt.has(t)) {
          out.add(Map.entry("spec.leaderWorkerTemplate." + t, lwt.path(t)));
        }
      }
    } else if (kind.equals("JobSet")) {
      JsonNode jobs = spec.path("replicatedJobs");
      for (int i = 0; i < jobs.size(); i++) {
        out.add(
            Map.entry(
                "spec.replicatedJobs[" + i + "].template.spec.template",
                jobs.path(i).path("template").path("spec").path("template")));
      }
    }
    return out;
  }

  /**
   * Returns the facts of one object, when it is a workload: a Deployment, StatefulSet, ReplicaSet,
   * Job, LeaderWorkerSet or JobSet.
   *
   * @param object the object
   * @return its facts, or empty for any other kind
   */
  public static Optional<WorkloadFacts> of(HasMetadata object) {
    return of(object, Map.of());
  }

  private static Optional<WorkloadFacts> of(
      HasMetadata object, Map<String, Map<String, String>> configMaps) {
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
    List<String> images = new ArrayList<>();
    for (JsonNode c : containers) {
      images.add(c.path("image").asString(""));
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
      args.addAll(ContainerCommandLine.of(c, configMaps).words());
      // literal environment values (a hash seed the endpoint picker must share); references to
      // Secrets or the downward API are not values the input states
      for (JsonNode e : c.path("env")) {
        if (e.path("value").isValueNode() && !e.path("name").asString("").isEmpty()) {
          facts.putEnv(e.path("name").asString(), e.path("value").asString());
        }
      }
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
    if (server.filter("vllm"::equals).isPresent()) {
      // the release of the vLLM image (vllm/vllm-openai, vllm/vllm-tpu or a mirror of them)
      images.stream()
          .filter(i -> imageName(i).startsWith("vllm"))
          .map(VllmVersion::fromImage)
          .flatMap(Optional::stream)
          .findFirst()
          .ifPresent(facts::vllmVersion);
    }
    Flags flags = new Flags(args, facts);
    flags
        .text("--served-model-name")
        .or(() -> flags.text("--model"))
        .or(() -> flags.text("model_name"))
        .ifPresent(facts::modelId);
    // vLLM's argument parser also takes the underscore spelling (FlexibleArgumentParser,
    // vllm-project/vllm vllm/utils/argparse_utils.py; vllm/utils/__init__.py in older releases)
    flags
        .number("--tensor-parallel-size", "-tp", "--tensor_parallel_size")
        .ifPresent(facts::tensorParallelism);
    flags
        .number("--pipeline-parallel-size", "-pp", "--pipeline_parallel_size")
        .ifPresent(facts::pipelineParallelism);
    flags
        .number("--data-parallel-size", "-dp", "--data_parallel_size")
        .ifPresent(facts::dataParallelism);
    if (kind.equals("LeaderWorkerSet") && args.contains("--data-parallel-hybrid-lb")) {
      // vLLM's hybrid data-parallel load balancing: every pod of a group serves its own ranks
      // (docs.vllm.ai/en/v0.12.0/serving/data_parallel_deployment/)
      facts.podSelector(Map.of(LWS_NAME_LABEL, name));
    }
    flags.number("--max-model-len", "--max_model_len").ifPresent(facts::maxModelLen);
    // what the endpoint picker's scorers need from vLLM (KV events, block size, LoRA metrics) and
    // its prefill/decode profile handlers (the KV connector)
    flags.text("--kv-events-config");
    flags.text("--kv-transfer-config");
    flags.text("--block-size");
    flags.present("--enable-lora");
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

  /** Returns an image reference's last path segment without tag or digest. */
  private static String imageName(String image) {
    String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    String name = ref.substring(ref.lastIndexOf('/') + 1);
    return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asString()));
    return map;
  }

  /** Reads flags out of a container's command and arguments, recording the ones it finds. */
  private record Flags(List<String> args, WorkloadFacts.Builder facts) {
    /** Records a switch that takes no value, such as {@code --enable-lora}, under its name. */
    void present(String name) {
      for (String a : args) {
        if (a.equals(name)) {
          facts.putFlag(name, "");
          return;
        }
      }
    }

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
