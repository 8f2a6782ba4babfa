package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.serving.internal.NetworkPolicies;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The pod of one model server and the objects around it (ServiceAccount, Deployment, Service,
 * PodDisruptionBudget, NetworkPolicy), shared by every server spec so that they render alike. The
 * pods mount no service account token: no model server calls the Kubernetes API.
 *
 * @param name the name of every object
 * @param namespace the namespace
 * @param labels the labels of every object and of the pods
 * @param selector the labels that select the pods
 * @param annotations the pod annotations
 * @param container the server container
 * @param volumes the pod volumes
 * @param nodeSelector the node selector
 * @param tolerations the tolerations
 * @param identity the service account the pods run as and the grants rendered beside them
 * @param servicePorts the Service's ports
 * @param source the model source whose volumes, mounts, environment, init containers and
 *     annotations are added to the pod, or null when the server reads its weights itself
 */
record ServerPod(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> selector,
    Map<String, String> annotations,
    Container container,
    List<Volume> volumes,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    ServerIdentity identity,
    List<ServicePort> servicePorts,
    @Nullable ModelSource source) {

  /** Probe timing: readiness every 10 s; liveness fails after 4 misses of 15 s (one minute). */
  static final int PROBE_PERIOD_SECONDS = Pods.PROBE_PERIOD_SECONDS;

  static final int LIVENESS_PERIOD_SECONDS = Pods.LIVENESS_PERIOD_SECONDS;
  static final int LIVENESS_FAILURES = Pods.LIVENESS_FAILURES;
  static final int PROBE_TIMEOUT_SECONDS = Pods.PROBE_TIMEOUT_SECONDS;

  /**
   * Returns a startup probe that allows {@code budgetSeconds} before the server must answer.
   *
   * @param path the health path
   * @param port the container port's name
   * @param budgetSeconds the start-up budget
   * @return the probe
   */
  static Probe startupProbe(String path, String port, long budgetSeconds) {
    return http(path, port, PROBE_PERIOD_SECONDS)
        .withFailureThreshold(
            (int) ((budgetSeconds + PROBE_PERIOD_SECONDS - 1) / PROBE_PERIOD_SECONDS))
        .build();
  }

  /** Returns the readiness probe: three misses of 10 s take the pod out of the Service. */
  static Probe readinessProbe(String path, String port) {
    return http(path, port, PROBE_PERIOD_SECONDS).withFailureThreshold(3).build();
  }

  /** Returns the liveness probe: a minute without an answer restarts the container. */
  static Probe livenessProbe(String path, String port) {
    return http(path, port, LIVENESS_PERIOD_SECONDS)
        .withFailureThreshold(LIVENESS_FAILURES)
        .build();
  }

  private static ProbeBuilder http(String path, String port, int period) {
    return Pods.httpProbe(path, port, period);
  }

  /** The zone label used for spreading replicas. */
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /**
   * Returns a Service port that targets a named container port.
   *
   * @param name the port's name
   * @param port the Service port
   * @param target the container port's name
   * @return the port
   */
  static ServicePort port(String name, int port, String target) {
    return new ServicePortBuilder()
        .withName(name)
        .withProtocol("TCP")
        .withPort(port)
        .withTargetPort(new IntOrString(target))
        .build();
  }

  ServiceAccount serviceAccount() {
    ServiceAccountBuilder b =
        new ServiceAccountBuilder()
            .withMetadata(Pods.meta(identity.serviceAccountName(), namespace, labels))
            // a model server never calls the Kubernetes API: no token in its pods
            .withAutomountServiceAccountToken(false);
    identity
        .googleServiceAccount()
        .ifPresent(
            g ->
                b.editMetadata()
                    .addToAnnotations(VllmServer.WORKLOAD_IDENTITY_ANNOTATION, g)
                    .endMetadata());
    return b.build();
  }

  PodTemplateSpec template(boolean spread, String restartPolicy) {
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withServiceAccountName(identity.serviceAccountName())
            .withAutomountServiceAccountToken(false)
            .withNodeSelector(nodeSelector)
            .withTolerations(tolerations)
            .withContainers(container)
            .withVolumes(volumes)
            .withRestartPolicy(restartPolicy)
            .withNewSecurityContext()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext();
    if (spread) {
      pod.withTopologySpreadConstraints(
          new TopologySpreadConstraintBuilder()
              .withMaxSkew(1)
              .withTopologyKey(ZONE_LABEL)
              // accelerators are scarce: prefer spreading, never block scheduling on it
              .withWhenUnsatisfiable("ScheduleAnyway")
              .withNewLabelSelector()
              .withMatchLabels(selector)
              .endLabelSelector()
              .build());
    }
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .withSpec(pod.build())
            .build();
    return source == null ? template : source.applyTo(template, container.getName());
  }

  /**
   * Returns the Deployment's strategy for a server that runs {@code replicas} and may be scaled to
   * {@code maxReplicas} (an HPA's maximum; equal to {@code replicas} without one).
   *
   * <p>A fixed single replica: {@code Recreate}, since a surge copy would need a second set of
   * accelerators that is rarely free. Anything that can run more than one replica (more than one,
   * or an autoscaler allowed above one): {@code RollingUpdate} with {@code maxSurge: 0} (no extra
   * accelerators are needed during a rollout, GPUs are scarce) and {@code maxUnavailable: 1} (one
   * replica at a time is replaced, so a rollout never takes every replica down at once; the SDK's
   * choice, matching the PodDisruptionBudget's {@code maxUnavailable: 1}). At one replica under an
   * HPA this replaces the one pod like {@code Recreate} does; at four it keeps three serving.
   *
   * @param replicas the replicas the Deployment starts with
   * @param maxReplicas the most replicas it may run
   * @return a fresh strategy
   */
  static DeploymentStrategy strategy(int replicas, int maxReplicas) {
    if (!multiReplica(replicas, maxReplicas)) {
      return new DeploymentStrategyBuilder().withType("Recreate").build();
    }
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(0))
        .withMaxUnavailable(new IntOrString(1))
        .endRollingUpdate()
        .build();
  }

  /**
   * Whether a server may run more than one replica: it starts with more than one, or an autoscaler
   * may take it above one. Such a server rolls one replica at a time and spreads over zones.
   */
  static boolean multiReplica(int replicas, int maxReplicas) {
    return Math.max(replicas, maxReplicas) > 1;
  }

  /**
   * Returns the facts every server's pod shares: the workload's identity, the pod selector and
   * labels, and the server container's ports by name.
   *
   * @param apiVersion the workload's API version
   * @param kind the workload's kind
   * @return a builder for the server to add its own facts to
   */
  WorkloadFacts.Builder facts(String apiVersion, String kind) {
    WorkloadFacts.Builder facts =
        WorkloadFacts.builder()
            .apiVersion(apiVersion)
            .kind(kind)
            .name(name)
            .namespace(namespace)
            .podSelector(selector)
            .podLabels(labels);
    if (container.getPorts() != null) {
      container
          .getPorts()
          .forEach(
              p ->
                  facts.addPort(Objects.requireNonNullElse(p.getName(), ""), p.getContainerPort()));
    }
    return facts;
  }

  /**
   * Returns the pods' NetworkPolicy: ingress from the namespace and the Managed Prometheus
   * collector only ({@link NetworkPolicies#sameNamespaceAndCollector}).
   */
  NetworkPolicy networkPolicy() {
    return NetworkPolicies.sameNamespaceAndCollector(name, namespace, labels, selector);
  }

  /**
   * Renders the ServiceAccount, Deployment, Service, PodDisruptionBudget and NetworkPolicy, with
   * the Deployment's facts, for a server without an autoscaler.
   */
  RenderedSet render(int replicas, WorkloadFacts facts) {
    return render(replicas, replicas, facts);
  }

  /**
   * Renders the ServiceAccount, Deployment, Service, PodDisruptionBudget and NetworkPolicy, with
   * the Deployment's facts; the strategy and zone spreading follow the most replicas the server may
   * run ({@link #strategy}).
   */
  RenderedSet render(int replicas, int maxReplicas, WorkloadFacts facts) {
    RenderedSet.Builder out = RenderedSet.builder().addWorkload(facts);
    if (!identity.existing()) {
      out.add(serviceAccount());
    }
    identity.grants().forEach(out::add);
    out.add(
        new DeploymentBuilder()
            .withMetadata(Pods.meta(name, namespace, labels))
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withStrategy(strategy(replicas, maxReplicas))
            .withTemplate(template(multiReplica(replicas, maxReplicas), null))
            .endSpec()
            .build());
    out.add(service(selector));
    out.add(
        new PodDisruptionBudgetBuilder()
            .withMetadata(Pods.meta(name, namespace, labels))
            .withNewSpec()
            .withMaxUnavailable(new IntOrString(1))
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .endSpec()
            .build());
    out.add(networkPolicy());
    return out.build();
  }

  io.fabric8.kubernetes.api.model.Service service(Map<String, String> podSelector) {
    return new ServiceBuilder()
        .withMetadata(Pods.meta(name, namespace, labels))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(podSelector)
        .withPorts(new ArrayList<>(servicePorts))
        .endSpec()
        .build();
  }
}
