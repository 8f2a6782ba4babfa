package io.github.gkeinference.serving.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Pod and metadata building blocks every serving bundle uses, so that they cannot drift. */
public final class Pods {
  private Pods() {}

  /**
   * Returns whether {@code name} is a DNS-1035 label of at most {@code maxLength} characters.
   *
   * @param name the name
   * @param maxLength the longest allowed, leaving room for suffixes the bundle adds
   * @return whether it is valid
   */
  public static boolean isDns1035(String name, int maxLength) {
    return KubernetesNames.isDns1035Label(name, maxLength);
  }

  /**
   * Returns whether {@code name} is a DNS-1123 label.
   *
   * @param name the name
   * @return whether it is valid
   */
  public static boolean isDns1123(String name) {
    return KubernetesNames.isDns1123Label(name);
  }

  /**
   * Returns the facts of a Deployment the SDK renders: its identity, pod selector and pod labels,
   * for the renderer to add ports, devices and server facts to.
   *
   * @param name the Deployment's name
   * @param namespace its namespace
   * @param selector the labels selecting its pods
   * @param podLabels the labels of its pod template
   * @return a facts builder
   */
  public static WorkloadFacts.Builder deploymentFacts(
      String name, String namespace, Map<String, String> selector, Map<String, String> podLabels) {
    return WorkloadFacts.builder()
        .apiVersion("apps/v1")
        .kind("Deployment")
        .name(name)
        .namespace(namespace)
        .podSelector(selector)
        .podLabels(podLabels);
  }

  /**
   * Returns object metadata with a name, namespace and labels.
   *
   * @param name the name
   * @param namespace the namespace, or null for cluster-scoped objects
   * @param labels the labels (copied)
   * @return new metadata
   */
  public static ObjectMeta meta(
      String name,
      @org.jspecify.annotations.Nullable String namespace,
      Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(new java.util.LinkedHashMap<>(labels))
        .build();
  }

  /**
   * Returns the restricted container security context: no privilege escalation, every capability
   * dropped, the runtime's default seccomp profile and, when the image allows it, non-root.
   *
   * @param runAsNonRoot whether the image runs as a non-root user
   * @return a new security context
   */
  public static SecurityContext restricted(boolean runAsNonRoot) {
    SecurityContextBuilder b =
        new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile();
    if (runAsNonRoot) {
      b.withRunAsNonRoot(true);
    }
    return b.build();
  }

  /** Readiness every 10 s, three misses take a pod out of its Service. */
  public static final int PROBE_PERIOD_SECONDS = 10;

  /** Liveness every 15 s: four misses (one minute) restart the container. */
  public static final int LIVENESS_PERIOD_SECONDS = 15;

  /** Misses of the liveness probe before a restart. */
  public static final int LIVENESS_FAILURES = 4;

  /** How long one probe may take. */
  public static final int PROBE_TIMEOUT_SECONDS = 5;

  /** The name of a worker's health port. */
  public static final String HEALTH_PORT_NAME = "health";

  /**
   * Gives a worker container (a batch or Pub/Sub worker: it calls the model server and serves no
   * traffic) a {@code health} port and HTTP readiness and liveness probes on {@code path}, with the
   * model servers' timing.
   *
   * @param worker the container, changed in place
   * @param path the health path, for example {@code /healthz}
   * @param port the container port that serves it
   */
  public static void workerProbes(Container worker, String path, int port) {
    worker.setPorts(
        List.of(
            new ContainerPortBuilder()
                .withName(HEALTH_PORT_NAME)
                .withContainerPort(port)
                .withProtocol("TCP")
                .build()));
    worker.setReadinessProbe(
        httpProbe(path, HEALTH_PORT_NAME, PROBE_PERIOD_SECONDS).withFailureThreshold(3).build());
    worker.setLivenessProbe(
        httpProbe(path, HEALTH_PORT_NAME, LIVENESS_PERIOD_SECONDS)
            .withFailureThreshold(LIVENESS_FAILURES)
            .build());
  }

  /**
   * Returns an HTTP GET probe on a named container port, with the probes' timeout.
   *
   * @param path the path
   * @param port the container port's name
   * @param period the probe's period in seconds
   * @return a builder for the caller to set the failure threshold
   */
  public static ProbeBuilder httpProbe(String path, String port, int period) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS);
  }

  /**
   * Checks a worker's health endpoint settings: a port between 1 and 65535, a path from {@code /}.
   *
   * @param v the violations to add to
   * @param port the port, if given
   * @param path the path
   */
  public static void checkWorkerHealth(Violations v, OptionalInt port, String path) {
    port.ifPresent(
        p -> v.require(p >= 1 && p <= 65535, "workerHealthPort", p, "must be 1 to 65535"));
    v.require(
        path.startsWith("/") && !path.contains(" "),
        "workerHealthPath",
        path,
        "must be an HTTP path starting with '/'");
  }

  /**
   * Returns an environment variable with a literal value.
   *
   * @param name the name
   * @param value the value
   * @return the variable
   */
  public static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /**
   * Returns an environment variable read from a pod field through the downward API.
   *
   * @param name the name
   * @param fieldPath for example {@code metadata.namespace}
   * @return the variable
   */
  public static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
