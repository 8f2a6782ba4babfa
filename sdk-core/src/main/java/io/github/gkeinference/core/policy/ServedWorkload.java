package io.github.gkeinference.core.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.emit.ForeignWorkloads;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What policies see of one workload in a bundle: its {@link WorkloadFacts} and the placement,
 * scale, labels and images of its object, read from the typed objects of the same bundle (the
 * ComputeClass its pods select, the HorizontalPodAutoscaler that scales it).
 *
 * @param facts the workload's facts
 * @param path the path prefix of its violations, {@code Kind/namespace/name}
 * @param labels the labels of the workload object
 * @param replicas the replicas it declares ({@code spec.replicas}; 1 when unset)
 * @param maxReplicas the most replicas it can reach: its replicas, or the {@code maxReplicas} of a
 *     HorizontalPodAutoscaler in the bundle that targets it when that is higher
 * @param accelerators where each accelerator it may run on comes from ({@code
 *     spec.template.spec.nodeSelector[cloud.google.com/gke-accelerator]}, {@code
 *     ComputeClass/gpu-l4.spec.priorities[0].gpu.type}) to the accelerator type
 * @param spot where each Spot placement is declared, or empty when it never runs on Spot VMs
 * @param flexStart where each flex-start placement is declared
 * @param locations where each zone or region it is pinned to is declared, to that zone or region
 * @param images each container image, by field path
 */
public record ServedWorkload(
    WorkloadFacts facts,
    String path,
    Map<String, String> labels,
    int replicas,
    int maxReplicas,
    Map<String, String> accelerators,
    List<String> spot,
    List<String> flexStart,
    Map<String, String> locations,
    Map<String, String> images) {

  /** GKE's node label of a GPU node's accelerator (GKE docs, "About GPUs in GKE"). */
  static final String GPU_LABEL = "cloud.google.com/gke-accelerator";

  /** GKE's node label of a TPU node's accelerator (GKE docs, "About TPUs in GKE"). */
  static final String TPU_LABEL = "cloud.google.com/gke-tpu-accelerator";

  /** GKE's node label selecting Spot VMs (GKE docs, "Spot VMs"). */
  static final String SPOT_LABEL = "cloud.google.com/gke-spot";

  /** GKE's node label selecting flex-start VMs (GKE docs, "About flex-start provisioning"). */
  static final String FLEX_START_LABEL = "cloud.google.com/gke-flex-start";

  /** GKE's node label selecting a ComputeClass (GKE docs, "About custom compute classes"). */
  static final String COMPUTE_CLASS_LABEL = "cloud.google.com/compute-class";

  /** Kubernetes' well-known node labels of a node's zone and region. */
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  static final String REGION_LABEL = "topology.kubernetes.io/region";

  /** Copies the components. */
  public ServedWorkload {
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(path, "path");
    labels = Map.copyOf(labels);
    accelerators = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(accelerators));
    spot = List.copyOf(spot);
    flexStart = List.copyOf(flexStart);
    locations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(locations));
    images = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(images));
  }

  /** Returns the accelerator devices one replica uses: devices per pod times pods per group. */
  public int devicesPerReplica() {
    return facts.devices().map(d -> d.perPod() * facts.podsPerGroup()).orElse(0);
  }

  /**
   * Returns every workload of a bundle, with facts derived for foreign objects that carry none
   * ({@link ForeignWorkloads#withFacts(RenderedSet)}).
   *
   * @param bundle the rendered objects
   * @return the workloads, in bundle order
   */
  public static List<ServedWorkload> all(RenderedSet bundle) {
    RenderedSet set = ForeignWorkloads.withFacts(bundle);
    List<ServedWorkload> out = new ArrayList<>();
    for (WorkloadFacts facts : set.workloads()) {
      object(set, facts.kind(), facts.namespace(), facts.name())
          .ifPresent(o -> out.add(of(set, facts, o)));
    }
    return out;
  }

  private static ServedWorkload of(RenderedSet set, WorkloadFacts facts, HasMetadata object) {
    JsonNode tree = ManifestYaml.tree(object);
    JsonNode spec = tree.path("spec");
    String templatePath;
    JsonNode template;
    switch (facts.kind()) {
      case "LeaderWorkerSet" -> {
        JsonNode lwt = spec.path("leaderWorkerTemplate");
        templatePath =
            lwt.has("leaderTemplate")
                ? "spec.leaderWorkerTemplate.leaderTemplate"
                : "spec.leaderWorkerTemplate.workerTemplate";
        template =
            lwt.has("leaderTemplate") ? lwt.path("leaderTemplate") : lwt.path("workerTemplate");
      }
      case "JobSet" -> {
        templatePath = "spec.replicatedJobs[0].template.spec.template";
        template =
            spec.path("replicatedJobs").path(0).path("template").path("spec").path("template");
      }
      default -> {
        templatePath = "spec.template";
        template = spec.path("template");
      }
    }
    JsonNode pod = template.path("spec");
    String podPath = templatePath + ".spec";
    int replicas = spec.path("replicas").asInt(1);
    int maxReplicas = replicas;
    for (HasMetadata hpa : kind(set, "HorizontalPodAutoscaler")) {
      JsonNode h = ManifestYaml.tree(hpa).path("spec");
      JsonNode target = h.path("scaleTargetRef");
      if (target.path("kind").asString("").equals(facts.kind())
          && target.path("name").asString("").equals(facts.name())
          && namespace(hpa).equals(facts.namespace())) {
        maxReplicas = Math.max(maxReplicas, h.path("maxReplicas").asInt(0));
      }
    }
    Map<String, String> accelerators = new LinkedHashMap<>();
    List<String> spot = new ArrayList<>();
    List<String> flexStart = new ArrayList<>();
    Map<String, String> locations = new LinkedHashMap<>();
    JsonNode selector = pod.path("nodeSelector");
    String selectorPath = podPath + ".nodeSelector";
    for (String label : List.of(GPU_LABEL, TPU_LABEL)) {
      if (selector.has(label)) {
        accelerators.put(selectorPath + "[" + label + "]", selector.path(label).asString());
      }
    }
    if (selector.path(SPOT_LABEL).asString("").equals("true")) {
      spot.add(selectorPath + "[" + SPOT_LABEL + "]");
    }
    if (selector.path(FLEX_START_LABEL).asString("").equals("true")) {
      flexStart.add(selectorPath + "[" + FLEX_START_LABEL + "]");
    }
    for (String label : List.of(ZONE_LABEL, REGION_LABEL)) {
      if (selector.has(label)) {
        locations.put(selectorPath + "[" + label + "]", selector.path(label).asString());
      }
    }
    if (selector.has(COMPUTE_CLASS_LABEL)) {
      String className = selector.path(COMPUTE_CLASS_LABEL).asString();
      for (HasMetadata cc : kind(set, "ComputeClass")) {
        if (!cc.getMetadata().getName().equals(className)) {
          continue;
        }
        JsonNode priorities = ManifestYaml.tree(cc).path("spec").path("priorities");
        for (int i = 0; i < priorities.size(); i++) {
          JsonNode p = priorities.path(i);
          String at = "ComputeClass/" + className + ".spec.priorities[" + i + "]";
          for (String type : List.of("gpu", "tpu")) {
            if (p.path(type).has("type")) {
              accelerators.put(at + "." + type + ".type", p.path(type).path("type").asString());
            }
          }
          if (p.path("spot").asBoolean(false)) {
            spot.add(at + ".spot");
          }
          if (p.path("flexStart").path("enabled").asBoolean(false)) {
            flexStart.add(at + ".flexStart.enabled");
          }
          JsonNode zones = p.path("location").path("zones");
          for (int z = 0; z < zones.size(); z++) {
            locations.put(at + ".location.zones[" + z + "]", zones.path(z).asString());
          }
        }
      }
    }
    Map<String, String> images = new LinkedHashMap<>();
    for (String list : List.of("initContainers", "containers")) {
      JsonNode containers = pod.path(list);
      for (int i = 0; i < containers.size(); i++) {
        String image = containers.path(i).path("image").asString("");
        if (!image.isEmpty()) {
          images.put(podPath + "." + list + "[" + i + "].image", image);
        }
      }
    }
    Map<String, String> labels =
        object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    return new ServedWorkload(
        facts,
        facts.kind() + "/" + facts.namespace() + "/" + facts.name(),
        labels,
        replicas,
        maxReplicas,
        accelerators,
        spot,
        flexStart,
        locations,
        images);
  }

  private static Optional<HasMetadata> object(
      RenderedSet set, String kind, String namespace, String name) {
    return set.kubernetesObjects().stream()
        .filter(
            o ->
                o.getKind().equals(kind)
                    && o.getMetadata().getName().equals(name)
                    && namespace(o).equals(namespace))
        .findFirst();
  }

  private static List<HasMetadata> kind(RenderedSet set, String kind) {
    Set<HasMetadata> out = new LinkedHashSet<>();
    for (HasMetadata o : set.kubernetesObjects()) {
      if (o.getKind().equals(kind)) {
        out.add(o);
      }
    }
    return List.copyOf(out);
  }

  private static String namespace(HasMetadata o) {
    return o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
  }
}
