package io.github.gkeinference.serving.validate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.emit.ForeignWorkloads;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.source.StartupEstimate;
import io.github.gkeinference.core.validate.MountPaths;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.gateway.epp.EndpointPickerConfig;
import io.github.gkeinference.serving.gateway.epp.EppConfigFile;
import io.github.gkeinference.serving.gateway.epp.EppServerChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks the rules that no single object's schema can: that the pieces of a bundle fit together.
 *
 * <ul>
 *   <li>every InferencePool's selector matches the pods of some workload in its namespace, and its
 *       target ports are container ports of those pods;
 *   <li>a model server's GPUs or TPU chips equal tensor x pipeline parallelism (for a
 *       LeaderWorkerSet: the devices of all pods of a group);
 *   <li>the max model length does not exceed the model's max position embeddings;
 *   <li>every HorizontalPodAutoscaler targets a scalable object that is in the bundle;
 *   <li>no environment value uses {@code ${...}}, which Kubernetes never expands;
 *   <li>a startup probe's budget (period x failure threshold) covers the estimated load time; for a
 *       foreign server of a catalog model, a WARNING when it is below an optimistic estimate (the
 *       weights at {@link GcsStreamingSource#ASSUMED_BYTES_PER_SECOND}, the fastest source the SDK
 *       assumes);
 *   <li>a TPU pod's {@code cloud.google.com/gke-tpu-topology} holds as many chips as its pods
 *       request together ({@code google.com/tpu} per pod x hosts: a LeaderWorkerSet's size, a
 *       JobSet job's parallelism; GKE "Plan TPUs",
 *       https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus);
 *   <li>every Service port's {@code targetPort} (by number or name) is a container port of the pods
 *       it selects;
 *   <li>no container mounts a system folder or one path twice ({@link MountPaths});
 *   <li>a GPU or TPU request equals its limit (extended resources cannot be overcommitted:
 *       https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#extended-resources);
 *   <li>every PodDisruptionBudget selects the pods of some workload in its namespace;
 *   <li>a {@code $(VAR)} in a foreign workload's command or arguments that the input cannot resolve
 *       is a WARNING (the rules that read the argument skip it);
 *   <li>an InferencePool's endpoint picker (the Deployment run with {@code --pool-name} of the
 *       pool, its {@code --config-file} read from the bundle's ConfigMap) passes {@link
 *       EppServerChecks} against the pool's servers: no scorer reads a metric a server lacks, and
 *       the precise prefix-cache scorer has KV events, block size and hash seed in common with
 *       every server.
 * </ul>
 *
 * <p>The workload rules read the typed {@link WorkloadFacts} the server specs attached to the set;
 * for workloads without facts (manifests read from files) the one parser {@link ForeignWorkloads}
 * derives them. Facts a manifest does not state (the model's max position embeddings, the estimated
 * load time) skip the rules that need them. Paths name the object as {@code Kind/namespace/name}
 * followed by the field. Stateless and thread-safe.
 */
public final class BundleValidator {
  private static final Set<String> SCALABLE =
      Set.of("Deployment", "StatefulSet", "LeaderWorkerSet", "ReplicaSet");

  /** The node label that names a TPU slice's topology (GKE "Plan TPUs"). */
  static final String TPU_TOPOLOGY_LABEL = "cloud.google.com/gke-tpu-topology";

  private static final Set<String> DEVICE_RESOURCES = Set.of("nvidia.com/gpu", "google.com/tpu");

  private BundleValidator() {}

  /**
   * Returns every cross-resource violation of a bundle.
   *
   * @param set the bundle
   * @return the violations, empty when the bundle is consistent
   */
  public static List<Violation> validate(RenderedSet set) {
    Violations v = Violations.root();
    RenderedSet described = ForeignWorkloads.withFacts(set);
    for (WorkloadFacts w : described.workloads()) {
      checkFacts(w, v.at(id(w)));
    }
    for (HasMetadata o : set.kubernetesObjects()) {
      Optional<WorkloadFacts> facts =
          described.workloads().stream()
              .filter(
                  w ->
                      w.kind().equals(o.getKind())
                          && w.name().equals(o.getMetadata().getName())
                          && w.namespace().equals(namespace(o)))
              .findFirst();
      for (Map.Entry<String, Pod> pod : podTemplates(o).entrySet()) {
        checkPods(pod.getValue(), facts, v.at(id(o)).at(pod.getKey()));
        PodTemplateSpec template = pod.getValue().template();
        if (template != null) {
          PodRules.checkFuseGrants(template, namespace(o), set, v.at(id(o)).at(pod.getKey()));
          PodRules.checkNodeFit(template, v.at(id(o)).at(pod.getKey()));
          PodRules.checkVllmFlags(template, v.at(id(o)).at(pod.getKey()));
        }
      }
    }
    for (ForeignWorkloads.UnresolvedVariable u : ForeignWorkloads.unresolvedVariables(set)) {
      v.at(u.kind() + "/" + u.namespace() + "/" + u.name())
          .warning(
              u.field(),
              "$(" + u.variable() + ")",
              "cannot be resolved (" + u.reason() + "); the rules that read this argument skip it");
    }
    List<PodsOf> pods = new ArrayList<>();
    for (HasMetadata o : set.kubernetesObjects()) {
      for (Pod pod : podTemplates(o).values()) {
        if (pod.template() != null) {
          pods.add(new PodsOf(namespace(o), pod.template()));
        }
      }
    }
    for (Service service : set.kubernetesObjects(Service.class)) {
      checkService(service, pods, v.at(id(service)));
    }
    for (PodDisruptionBudget pdb : set.kubernetesObjects(PodDisruptionBudget.class)) {
      checkPdb(pdb, pods, v.at(id(pdb)));
    }
    for (InferencePool pool : set.kubernetesObjects(InferencePool.class)) {
      checkPool(pool, described.workloads(), v.at(id(pool)));
      checkEndpointPicker(pool, set, described.workloads(), v);
    }
    for (HorizontalPodAutoscaler hpa : set.kubernetesObjects(HorizontalPodAutoscaler.class)) {
      checkHpa(hpa, set, v.at(id(hpa)));
    }
    return v.all();
  }

  /**
   * Throws when the bundle breaks any rule.
   *
   * @param set the bundle
   * @throws SdkValidationException listing every violation
   */
  public static void check(RenderedSet set) {
    List<Violation> found = validate(set);
    if (found.stream().anyMatch(Violation::isError)) {
      throw new SdkValidationException(found);
    }
  }

  private static String namespace(HasMetadata o) {
    return Objects.requireNonNullElse(o.getMetadata().getNamespace(), "default");
  }

  private static String id(HasMetadata o) {
    return o.getKind() + "/" + namespace(o) + "/" + o.getMetadata().getName();
  }

  private static String id(WorkloadFacts w) {
    return w.kind() + "/" + w.namespace() + "/" + w.name();
  }

  /**
   * A pod template and the hosts one copy of it spans: a LeaderWorkerSet's group size, a JobSet
   * job's parallelism, else 1.
   */
  private record Pod(@Nullable PodTemplateSpec template, int hosts) {}

  /** The pods of one workload, with their namespace, for selector checks. */
  private record PodsOf(String namespace, PodTemplateSpec template) {
    Map<String, String> labels() {
      return template.getMetadata() == null || template.getMetadata().getLabels() == null
          ? Map.of()
          : template.getMetadata().getLabels();
    }

    List<ContainerPort> ports() {
      List<ContainerPort> out = new ArrayList<>();
      if (template.getSpec() != null) {
        for (Container c : containers(template)) {
          if (c.getPorts() != null) {
            out.addAll(c.getPorts());
          }
        }
      }
      return out;
    }
  }

  private static List<Container> containers(PodTemplateSpec pod) {
    List<Container> all = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      all.addAll(pod.getSpec().getContainers());
    }
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    return all;
  }

  /** Returns the pod templates of an object by their path; none for an object without pods. */
  private static Map<String, Pod> podTemplates(HasMetadata o) {
    Map<String, Pod> out = new LinkedHashMap<>();
    if (o instanceof Deployment d && d.getSpec() != null) {
      out.put("spec.template", new Pod(d.getSpec().getTemplate(), 1));
    } else if (o instanceof StatefulSet s && s.getSpec() != null) {
      out.put("spec.template", new Pod(s.getSpec().getTemplate(), 1));
    } else if (o instanceof Job j && j.getSpec() != null) {
      out.put(
          "spec.template", new Pod(j.getSpec().getTemplate(), hosts(j.getSpec().getParallelism())));
    } else if (o instanceof LeaderWorkerSet l && l.getSpec() != null) {
      LeaderWorkerSet.Template t = l.spec().leaderWorkerTemplate();
      // hosts of one slice: the sub-group when a group spans several slices
      int size =
          Math.max(1, t.subGroupPolicy() == null ? t.size() : t.subGroupPolicy().subGroupSize());
      out.put("spec.leaderWorkerTemplate.leaderTemplate", new Pod(t.leaderTemplate(), size));
      out.put("spec.leaderWorkerTemplate.workerTemplate", new Pod(t.workerTemplate(), size));
    } else if (o instanceof JobSet js && js.getSpec() != null) {
      List<JobSet.ReplicatedJob> jobs = js.spec().replicatedJobs();
      for (int i = 0; i < jobs.size(); i++) {
        var job = jobs.get(i).template().getSpec();
        out.put(
            "spec.replicatedJobs[" + i + "].template.spec.template",
            new Pod(job.getTemplate(), hosts(job.getParallelism())));
      }
    }
    return out;
  }

  private static int hosts(@Nullable Integer parallelism) {
    return parallelism == null ? 1 : Math.max(1, parallelism);
  }

  private static void checkFacts(WorkloadFacts w, Violations v) {
    OptionalInt tp = w.tensorParallelism();
    if (tp.isPresent()) {
      int pp = w.pipelineParallelism().orElse(1);
      int dp = w.dataParallelism().orElse(1);
      int devices = w.devices().map(WorkloadFacts.Devices::perPod).orElse(0);
      int groupDevices = devices * w.podsPerGroup();
      v.require(
          groupDevices == tp.getAsInt() * pp * dp,
          "resources.limits",
          devices + (w.podsPerGroup() > 1 ? " per pod x " + w.podsPerGroup() + " pods" : ""),
          "the devices requested ("
              + groupDevices
              + ") must equal tensor x pipeline parallelism ("
              + tp.getAsInt()
              + " x "
              + pp
              + ")"
              + (dp > 1 ? " x data parallelism (" + dp + ")" : ""));
    }
    OptionalInt len = w.maxModelLen();
    OptionalInt limit = w.maxPositionEmbeddings();
    if (len.isPresent() && limit.isPresent()) {
      v.require(
          len.getAsInt() <= limit.getAsInt(),
          "maxModelLen",
          len.getAsInt(),
          "must not exceed the model's max_position_embeddings, " + limit.getAsInt());
    }
  }

  private static void checkPods(Pod template, Optional<WorkloadFacts> facts, Violations at) {
    PodTemplateSpec pod = template.template();
    if (pod == null || pod.getSpec() == null) {
      return;
    }
    List<Container> all = containers(pod);
    List<Container> containers =
        pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    checkTpuTopology(pod, all, template.hosts(), at);
    for (int i = 0; i < all.size(); i++) {
      Container c = all.get(i);
      String cpath =
          (i < containers.size() ? "spec.containers" : "spec.initContainers")
              + "["
              + (i < containers.size() ? i : i - containers.size())
              + "]";
      List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
      for (int e = 0; e < env.size(); e++) {
        String value = env.get(e).getValue();
        at.require(
            value == null || !value.contains("${"),
            cpath + ".env[" + e + "].value",
            value,
            "uses ${...}, which Kubernetes never expands; write $(VAR)");
      }
      Violations cv = at.at(cpath);
      if (c.getVolumeMounts() != null) {
        MountPaths.checkContainer(
            cv,
            c.getVolumeMounts().stream()
                .map(VolumeMount::getMountPath)
                .map(p -> p == null ? "" : p)
                .toList());
      }
      checkDeviceRequests(c, cv);
      OptionalLong estimate =
          facts.map(WorkloadFacts::estimatedLoadSeconds).orElse(OptionalLong.empty());
      if (estimate.isPresent()) {
        checkStartupBudget(c, estimate, cv);
      } else {
        facts
            .flatMap(BundleValidator::optimisticLoad)
            .ifPresent(e -> checkForeignStartup(c, e, cv));
      }
    }
  }

  private static void checkTpuTopology(
      PodTemplateSpec pod, List<Container> containers, int hosts, Violations at) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    String topology = selector == null ? null : selector.get(TPU_TOPOLOGY_LABEL);
    if (topology == null) {
      return;
    }
    long chips = 1;
    for (String dim : topology.split("x", -1)) {
      try {
        chips = Math.multiplyExact(chips, Long.parseLong(dim.trim()));
      } catch (NumberFormatException | ArithmeticException e) {
        at.error(
            "spec.nodeSelector[" + TPU_TOPOLOGY_LABEL + "]",
            topology,
            "must be chips per dimension joined by 'x', such as 2x4");
        return;
      }
    }
    long perPod = 0;
    for (Container c : containers) {
      perPod += wholeCount(limit(c, "google.com/tpu")).orElse(0);
    }
    if (perPod == 0) {
      return; // no TPU request: the schema and the device rules speak for it
    }
    at.require(
        perPod * hosts == chips,
        "spec.nodeSelector[" + TPU_TOPOLOGY_LABEL + "]",
        topology,
        "has "
            + chips
            + " chips, but "
            + (hosts > 1 ? hosts + " hosts x " : "")
            + perPod
            + " google.com/tpu per pod request "
            + perPod * hosts
            + "; a slice's pods together must request all of its chips");
  }

  private static @Nullable Quantity limit(Container c, String resource) {
    return c.getResources() == null || c.getResources().getLimits() == null
        ? null
        : c.getResources().getLimits().get(resource);
  }

  private static OptionalLong wholeCount(@Nullable Quantity q) {
    if (q == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Quantity.getAmountInBytes(q).longValueExact());
    } catch (ArithmeticException | IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }

  private static void checkDeviceRequests(Container c, Violations at) {
    if (c.getResources() == null || c.getResources().getRequests() == null) {
      return;
    }
    for (String resource : DEVICE_RESOURCES) {
      Quantity request = c.getResources().getRequests().get(resource);
      if (request == null) {
        continue;
      }
      Quantity limit = limit(c, resource);
      boolean equal =
          limit != null
              && Quantity.getAmountInBytes(limit).compareTo(Quantity.getAmountInBytes(request))
                  == 0;
      at.require(
          equal,
          "resources.requests[" + resource + "]",
          request.toString(),
          limit == null
              ? "needs the same limit: devices are set by their limit and cannot be overcommitted"
              : "must equal its limit (" + limit + "): devices cannot be overcommitted");
    }
  }

  /**
   * Returns an optimistic load-time estimate for a foreign workload whose {@code --model} or served
   * model name the catalog knows (with or without the SDK's labels): its weights at the fastest
   * throughput the SDK assumes for any source.
   */
  private static Optional<StartupEstimate> optimisticLoad(WorkloadFacts w) {
    return w.modelId()
        .flatMap(ModelCatalog::find)
        .or(() -> Optional.ofNullable(w.flags().get("--model")).flatMap(ModelCatalog::find))
        .map(
            e ->
                new StartupEstimate(
                    e.architecture().weightBytes(),
                    GcsStreamingSource.ASSUMED_BYTES_PER_SECOND,
                    "the fastest source the SDK assumes, GCS streaming; an estimate"));
  }

  private static void checkForeignStartup(Container c, StartupEstimate estimate, Violations v) {
    Probe p = c.getStartupProbe();
    if (p == null) {
      return;
    }
    long budget = budget(p);
    long seconds = estimate.duration().toSeconds();
    if (budget < seconds) {
      v.warning(
          "startupProbe",
          budget + "s",
          "the startup budget (period x failure threshold + initial delay) is below even an"
              + " optimistic estimate of loading the weights: "
              + estimate
              + "; the kubelet would restart the server before it is ready");
    }
  }

  private static long budget(Probe p) {
    int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
    int failures = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    int delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
    return (long) period * failures + delay;
  }

  private static void checkService(Service service, List<PodsOf> pods, Violations v) {
    if (service.getSpec() == null
        || service.getSpec().getSelector() == null
        || service.getSpec().getSelector().isEmpty()
        || service.getSpec().getPorts() == null) {
      return;
    }
    Map<String, String> selector = service.getSpec().getSelector();
    String ns = namespace(service);
    List<PodsOf> selected =
        pods.stream()
            .filter(p -> p.namespace().equals(ns))
            .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
            .toList();
    if (selected.isEmpty()) {
      return; // the pods may be in another bundle; nothing to compare with
    }
    List<ServicePort> ports = service.getSpec().getPorts();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort port = ports.get(i);
      IntOrString target = port.getTargetPort();
      Object wanted;
      boolean found;
      if (target != null && target.getStrVal() != null) {
        String name = target.getStrVal();
        wanted = name;
        found =
            selected.stream()
                .flatMap(p -> p.ports().stream())
                .anyMatch(cp -> name.equals(cp.getName()));
      } else {
        Integer number =
            target != null && target.getIntVal() != null ? target.getIntVal() : port.getPort();
        wanted = number;
        found =
            selected.stream()
                .flatMap(p -> p.ports().stream())
                .anyMatch(cp -> Objects.equals(number, cp.getContainerPort()));
      }
      v.require(
          found,
          "spec.ports[" + i + "].targetPort",
          wanted,
          "is not a container port of the pods the Service selects; traffic would be refused");
    }
  }

  private static void checkPdb(PodDisruptionBudget pdb, List<PodsOf> pods, Violations v) {
    if (pdb.getSpec() == null) {
      return;
    }
    LabelSelector selector = pdb.getSpec().getSelector();
    String ns = namespace(pdb);
    boolean any =
        selector != null
            && pods.stream()
                .filter(p -> p.namespace().equals(ns))
                .anyMatch(p -> matches(selector, p.labels()));
    v.require(
        any,
        "spec.selector",
        selector == null ? null : selector.getMatchLabels(),
        "selects no pods of a workload in namespace " + ns + "; the budget would protect nothing");
  }

  /** Label-selector matching as Kubernetes does it (matchLabels and matchExpressions, ANDed). */
  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null
        && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
      return false;
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static void checkStartupBudget(Container c, OptionalLong estimate, Violations v) {
    Probe p = c.getStartupProbe();
    if (estimate.isEmpty() || p == null) {
      return;
    }
    long budget = budget(p);
    v.require(
        budget >= estimate.getAsLong(),
        "startupProbe",
        budget + "s",
        "the startup budget must cover the estimated load time of " + estimate.getAsLong() + "s");
  }

  private static void checkPool(InferencePool pool, List<WorkloadFacts> workloads, Violations v) {
    if (pool.getSpec() == null) {
      return;
    }
    String ns = namespace(pool);
    Map<String, String> selector = pool.spec().selector().matchLabels();
    List<WorkloadFacts> matched = new ArrayList<>();
    for (WorkloadFacts w : workloads) {
      if (w.namespace().equals(ns) && w.podLabels().entrySet().containsAll(selector.entrySet())) {
        matched.add(w);
      }
    }
    v.require(
        !matched.isEmpty(),
        "spec.selector.matchLabels",
        selector,
        "must match the pod labels of a workload in namespace " + ns);
    List<InferencePool.Port> ports = pool.spec().targetPorts();
    for (int i = 0; i < ports.size(); i++) {
      int number = ports.get(i).number();
      boolean found =
          matched.isEmpty() || matched.stream().anyMatch(w -> w.port(number).isPresent());
      v.require(
          found,
          "spec.targetPorts[" + i + "].number",
          number,
          "must be a container port of the selected pods");
    }
  }

  /**
   * Runs {@link EppServerChecks} for a pool's endpoint picker: the Deployment whose container runs
   * with {@code --pool-name} of the pool, the ConfigMap key its {@code --config-file} is mounted
   * from, read with {@link EppConfigFile}, against the pool's servers whose server kind the bundle
   * states. A picker, file or ConfigMap outside the bundle skips the check.
   */
  private static void checkEndpointPicker(
      InferencePool pool, RenderedSet set, List<WorkloadFacts> workloads, Violations v) {
    if (pool.getSpec() == null) {
      return;
    }
    String ns = namespace(pool);
    String name = pool.getMetadata().getName();
    for (Deployment d : set.kubernetesObjects(Deployment.class)) {
      if (!namespace(d).equals(ns) || d.getSpec() == null || d.getSpec().getTemplate() == null) {
        continue;
      }
      PodTemplateSpec template = d.getSpec().getTemplate();
      for (Container c : containers(template)) {
        List<String> words = new ArrayList<>();
        if (c.getCommand() != null) {
          words.addAll(c.getCommand());
        }
        if (c.getArgs() != null) {
          words.addAll(c.getArgs());
        }
        if (!name.equals(flag(words, "--pool-name"))) {
          continue;
        }
        String file = flag(words, "--config-file");
        if (file == null) {
          continue; // the picker's built-in configuration
        }
        configMapKey(template, c, file)
            .ifPresent(
                key -> {
                  Optional<ConfigMap> map =
                      set.kubernetesObjects(ConfigMap.class).stream()
                          .filter(
                              m ->
                                  namespace(m).equals(ns)
                                      && m.getMetadata().getName().equals(key.configMap()))
                          .findFirst();
                  String text =
                      map.map(ConfigMap::getData).map(data -> data.get(key.key())).orElse(null);
                  if (text != null) {
                    checkPickerFile(
                        pool, text, workloads, v.at(id(map.get())).at("data[" + key.key() + "]"));
                  }
                });
      }
    }
  }

  private static void checkPickerFile(
      InferencePool pool, String text, List<WorkloadFacts> workloads, Violations at) {
    EndpointPickerConfig config;
    try {
      config = EppConfigFile.read(text);
    } catch (SdkValidationException e) {
      at.addAll(e.violations());
      return;
    } catch (SdkException e) {
      at.error("", null, "is not a readable endpoint-picker configuration: " + e.getMessage());
      return;
    }
    Map<String, String> selector = pool.spec().selector().matchLabels();
    List<WorkloadFacts> servers = new ArrayList<>();
    for (WorkloadFacts w : workloads) {
      // a server of unstated kind: the bundle does not say which metrics it exports
      if (w.namespace().equals(namespace(pool))
          && w.server().isPresent()
          && w.podLabels().entrySet().containsAll(selector.entrySet())) {
        servers.add(w);
      }
    }
    EppServerChecks.check(config, servers, at);
  }

  /** The ConfigMap and key a container reads a file from. */
  private record ConfigMapKey(String configMap, String key) {}

  private static Optional<ConfigMapKey> configMapKey(
      PodTemplateSpec template, Container c, String file) {
    if (c.getVolumeMounts() == null || template.getSpec().getVolumes() == null) {
      return Optional.empty();
    }
    for (VolumeMount m : c.getVolumeMounts()) {
      String dir = m.getMountPath() == null ? "" : m.getMountPath().replaceAll("/+$", "");
      if (dir.isEmpty() || !file.startsWith(dir + "/")) {
        continue;
      }
      String relative = file.substring(dir.length() + 1);
      for (var volume : template.getSpec().getVolumes()) {
        if (volume.getName().equals(m.getName()) && volume.getConfigMap() != null) {
          var source = volume.getConfigMap();
          String key = relative;
          if (source.getItems() != null && !source.getItems().isEmpty()) {
            key =
                source.getItems().stream()
                    .filter(i -> relative.equals(i.getPath()))
                    .map(i -> i.getKey())
                    .findFirst()
                    .orElse(null);
          }
          return key == null
              ? Optional.empty()
              : Optional.of(new ConfigMapKey(source.getName(), key));
        }
      }
    }
    return Optional.empty();
  }

  /** A flag's value, as {@code --flag=value} or {@code --flag value}; null when absent. */
  private static @Nullable String flag(List<String> words, String name) {
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.startsWith(name + "=")) {
        return w.substring(name.length() + 1);
      }
      if (w.equals(name) && i + 1 < words.size()) {
        return words.get(i + 1);
      }
    }
    return null;
  }

  private static void checkHpa(HorizontalPodAutoscaler hpa, RenderedSet set, Violations v) {
    if (hpa.getSpec() == null || hpa.getSpec().getScaleTargetRef() == null) {
      return;
    }
    var ref = hpa.getSpec().getScaleTargetRef();
    String ns = namespace(hpa);
    boolean exists =
        set.kubernetesResources().stream()
            .anyMatch(
                r ->
                    r.kind().equals(ref.getKind())
                        && r.name().equals(ref.getName())
                        && Objects.equals(Objects.requireNonNullElse(r.namespace(), "default"), ns)
                        && r.apiVersion().equals(ref.getApiVersion()));
    v.require(
        SCALABLE.contains(ref.getKind()) && exists,
        "spec.scaleTargetRef",
        ref.getApiVersion() + " " + ref.getKind() + "/" + ref.getName(),
        "must name a Deployment, StatefulSet or LeaderWorkerSet in this bundle and namespace");
  }
}
