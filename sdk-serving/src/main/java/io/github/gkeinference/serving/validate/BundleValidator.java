package io.github.gkeinference.serving.validate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks the rules that no single object's schema can: that the pieces of a bundle fit together.
 *
 * <ul>
 *   <li>every InferencePool's selector matches the pods of some workload in its namespace, and its
 *       target ports are container ports of those pods;
 *   <li>a model server's GPUs or TPU chips equal tensor x pipeline parallelism (for a
 *       LeaderWorkerSet: the devices of all pods of a group);
 *   <li>{@code --max-model-len} does not exceed the model's max position embeddings (recorded on
 *       the pod by the renderer);
 *   <li>every HorizontalPodAutoscaler targets a scalable object that is in the bundle;
 *   <li>no environment value uses {@code ${...}}, which Kubernetes never expands;
 *   <li>a startup probe's budget (period x failure threshold) covers the estimated load time.
 * </ul>
 *
 * <p>Paths name the object as {@code Kind/namespace/name} followed by the field. Stateless and
 * thread-safe.
 */
public final class BundleValidator {
  private static final Set<String> DEVICE_RESOURCES = Set.of("nvidia.com/gpu", "google.com/tpu");
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
    List<Workload> workloads = workloads(set);
    for (Workload w : workloads) {
      checkPods(w, v.at(w.id()));
    }
    for (InferencePool pool : set.kubernetesObjects(InferencePool.class)) {
      checkPool(pool, workloads, v.at(id(pool)));
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

  private static String id(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  /** A pod template found in a workload, with the number of pods one unit of work uses. */
  private record Workload(
      String id,
      String kind,
      String name,
      String namespace,
      String path,
      PodTemplateSpec pod,
      int podsPerGroup) {}

  private static List<Workload> workloads(RenderedSet set) {
    List<Workload> out = new ArrayList<>();
    for (HasMetadata o : set.kubernetesObjects()) {
      String ns = Objects.requireNonNullElse(o.getMetadata().getNamespace(), "");
      String name = o.getMetadata().getName();
      if (o instanceof Deployment d && d.getSpec() != null) {
        out.add(
            new Workload(
                id(o), o.getKind(), name, ns, "spec.template", d.getSpec().getTemplate(), 1));
      } else if (o instanceof StatefulSet s && s.getSpec() != null) {
        out.add(
            new Workload(
                id(o), o.getKind(), name, ns, "spec.template", s.getSpec().getTemplate(), 1));
      } else if (o instanceof Job j && j.getSpec() != null) {
        out.add(
            new Workload(
                id(o), o.getKind(), name, ns, "spec.template", j.getSpec().getTemplate(), 1));
      } else if (o instanceof LeaderWorkerSet l && l.getSpec() != null) {
        LeaderWorkerSet.Template t = l.spec().leaderWorkerTemplate();
        out.add(
            new Workload(
                id(o),
                o.getKind(),
                name,
                ns,
                "spec.leaderWorkerTemplate.leaderTemplate",
                t.leaderTemplate(),
                t.size()));
        out.add(
            new Workload(
                id(o),
                o.getKind(),
                name,
                ns,
                "spec.leaderWorkerTemplate.workerTemplate",
                t.workerTemplate(),
                t.size()));
      } else if (o instanceof JobSet js && js.getSpec() != null) {
        List<JobSet.ReplicatedJob> jobs = js.spec().replicatedJobs();
        for (int i = 0; i < jobs.size(); i++) {
          out.add(
              new Workload(
                  id(o),
                  o.getKind(),
                  name,
                  ns,
                  "spec.replicatedJobs[" + i + "].template.spec.template",
                  jobs.get(i).template().getSpec().getTemplate(),
                  1));
        }
      }
    }
    return out;
  }

  private static void checkPods(Workload w, Violations v) {
    PodTemplateSpec pod = w.pod();
    if (pod == null || pod.getSpec() == null) {
      return;
    }
    Violations at = v.at(w.path());
    Map<String, String> annotations =
        pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null
            ? Map.of()
            : pod.getMetadata().getAnnotations();
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
      checkParallelism(c, w, at.at(cpath));
      checkMaxModelLen(c, annotations, at.at(cpath));
      checkStartupBudget(c, annotations, at.at(cpath));
    }
  }

  private static OptionalInt flag(Container c, String name) {
    List<String> args = new ArrayList<>();
    if (c.getCommand() != null) {
      args.addAll(c.getCommand());
    }
    if (c.getArgs() != null) {
      args.addAll(c.getArgs());
    }
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String value = null;
      if (a.startsWith(name + "=")) {
        value = a.substring(name.length() + 1);
      } else if (a.equals(name) && i + 1 < args.size()) {
        value = args.get(i + 1);
      }
      if (value != null) {
        try {
          return OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
          return OptionalInt.empty();
        }
      }
    }
    return OptionalInt.empty();
  }

  private static void checkParallelism(Container c, Workload w, Violations v) {
    OptionalInt tp = flag(c, "--tensor-parallel-size");
    if (tp.isEmpty()) {
      return;
    }
    int pp = flag(c, "--pipeline-parallel-size").orElse(1);
    int devices = 0;
    if (c.getResources() != null && c.getResources().getLimits() != null) {
      for (Map.Entry<String, Quantity> e : c.getResources().getLimits().entrySet()) {
        if (DEVICE_RESOURCES.contains(e.getKey())) {
          devices = e.getValue().getNumericalAmount().intValue();
        }
      }
    }
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

  private static void checkMaxModelLen(Container c, Map<String, String> annotations, Violations v) {
    OptionalInt len = flag(c, "--max-model-len");
    String max = annotations.get(VllmServer.MAX_POSITIONS_ANNOTATION);
    if (len.isEmpty() || max == null) {
      return;
    }
    int limit = Integer.parseInt(max);
    v.require(
        len.getAsInt() <= limit,
        "args.--max-model-len",
        len.getAsInt(),
        "must not exceed the model's max_position_embeddings, " + limit);
  }

  private static void checkStartupBudget(
      Container c, Map<String, String> annotations, Violations v) {
    String estimate = annotations.get(VllmServer.ESTIMATED_LOAD_ANNOTATION);
    Probe p = c.getStartupProbe();
    if (estimate == null || p == null) {
      return;
    }
    int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
    int failures = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    int delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
    long budget = (long) period * failures + delay;
    v.require(
        budget >= Long.parseLong(estimate),
        "startupProbe",
        budget + "s",
        "the startup budget must cover the estimated load time of " + estimate + "s");
  }

  private static void checkPool(InferencePool pool, List<Workload> workloads, Violations v) {
    if (pool.getSpec() == null) {
      return;
    }
    String ns = Objects.requireNonNullElse(pool.getMetadata().getNamespace(), "");
    Map<String, String> selector = pool.spec().selector().matchLabels();
    List<Workload> matched = new ArrayList<>();
    for (Workload w : workloads) {
      Map<String, String> labels =
          w.pod().getMetadata() == null || w.pod().getMetadata().getLabels() == null
              ? Map.of()
              : w.pod().getMetadata().getLabels();
      if (w.namespace().equals(ns) && labels.entrySet().containsAll(selector.entrySet())) {
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
      boolean found = matched.isEmpty();
      for (Workload w : matched) {
        for (Container c : w.pod().getSpec().getContainers()) {
          for (ContainerPort cp : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
            found |= cp.getContainerPort() != null && cp.getContainerPort() == number;
          }
        }
      }
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
    String ns = Objects.requireNonNullElse(hpa.getMetadata().getNamespace(), "");
    boolean exists =
        set.kubernetesResources().stream()
            .anyMatch(
                r ->
                    r.kind().equals(ref.getKind())
                        && r.name().equals(ref.getName())
                        && Objects.equals(Objects.requireNonNullElse(r.namespace(), ""), ns)
                        && r.apiVersion().equals(ref.getApiVersion()));
    v.require(
        SCALABLE.contains(ref.getKind()) && exists,
        "spec.scaleTargetRef",
        ref.getApiVersion() + " " + ref.getKind() + "/" + ref.getName(),
        "must name a Deployment, StatefulSet or LeaderWorkerSet in this bundle and namespace");
  }
}
