package io.github.gkeinference.serving.validate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.gkeinference.core.emit.ForeignWorkloads;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
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
 *   <li>a startup probe's budget (period x failure threshold) covers the estimated load time;
 *   <li>(warning) a GCS FUSE volume's service account has a read grant on its bucket in the bundle;
 *   <li>(warning) a pod's requests fit on one node of its machine type after GKE's system pods.
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
      for (Map.Entry<String, PodTemplateSpec> pod : podTemplates(o).entrySet()) {
        checkPods(pod.getValue(), facts, v.at(id(o)).at(pod.getKey()));
        if (pod.getValue() != null) {
          PodRules.checkFuseGrants(pod.getValue(), namespace(o), set, v.at(id(o)).at(pod.getKey()));
          PodRules.checkNodeFit(pod.getValue(), v.at(id(o)).at(pod.getKey()));
        }
      }
    }
    for (InferencePool pool : set.kubernetesObjects(InferencePool.class)) {
      checkPool(pool, described.workloads(), v.at(id(pool)));
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

  /** Returns the pod templates of an object by their path; none for an object without pods. */
  private static Map<String, PodTemplateSpec> podTemplates(HasMetadata o) {
    Map<String, PodTemplateSpec> out = new LinkedHashMap<>();
    if (o instanceof Deployment d && d.getSpec() != null) {
      out.put("spec.template", d.getSpec().getTemplate());
    } else if (o instanceof StatefulSet s && s.getSpec() != null) {
      out.put("spec.template", s.getSpec().getTemplate());
    } else if (o instanceof Job j && j.getSpec() != null) {
      out.put("spec.template", j.getSpec().getTemplate());
    } else if (o instanceof LeaderWorkerSet l && l.getSpec() != null) {
      LeaderWorkerSet.Template t = l.spec().leaderWorkerTemplate();
      out.put("spec.leaderWorkerTemplate.leaderTemplate", t.leaderTemplate());
      out.put("spec.leaderWorkerTemplate.workerTemplate", t.workerTemplate());
    } else if (o instanceof JobSet js && js.getSpec() != null) {
      List<JobSet.ReplicatedJob> jobs = js.spec().replicatedJobs();
      for (int i = 0; i < jobs.size(); i++) {
        out.put(
            "spec.replicatedJobs[" + i + "].template.spec.template",
            jobs.get(i).template().getSpec().getTemplate());
      }
    }
    return out;
  }

  private static void checkFacts(WorkloadFacts w, Violations v) {
    OptionalInt tp = w.tensorParallelism();
    if (tp.isPresent()) {
      int pp = w.pipelineParallelism().orElse(1);
      int devices = w.devices().map(WorkloadFacts.Devices::perPod).orElse(0);
      int groupDevices = devices * w.podsPerGroup();
      v.require(
          groupDevices == tp.getAsInt() * pp,
          "resources.limits",
          devices + (w.podsPerGroup() > 1 ? " per pod x " + w.podsPerGroup() + " pods" : ""),
          "the devices requested ("
              + groupDevices
              + ") must equal tensor x pipeline parallelism ("
              + tp.getAsInt()
              + " x "
              + pp
              + ")");
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

  private static void checkPods(
      @Nullable PodTemplateSpec pod, Optional<WorkloadFacts> facts, Violations at) {
    if (pod == null || pod.getSpec() == null) {
      return;
    }
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    List<Container> containers = pod.getSpec().getContainers();
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
      OptionalLong estimate =
          facts.map(WorkloadFacts::estimatedLoadSeconds).orElse(OptionalLong.empty());
      checkStartupBudget(c, estimate, at.at(cpath));
    }
  }

  private static void checkStartupBudget(Container c, OptionalLong estimate, Violations v) {
    Probe p = c.getStartupProbe();
    if (estimate.isEmpty() || p == null) {
      return;
    }
    int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
    int failures = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    int delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
    long budget = (long) period * failures + delay;
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
