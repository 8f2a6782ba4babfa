package io.github.gkeinference.serving.disagg;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.serving.MultiHostServer;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a {@link DisaggregatedServing}: each side as its {@link VllmServer} or {@link
 * MultiHostServer} renders it, then given the KV connector, the role and pool labels and, on the
 * decode side, the routing sidecar; then the gateway. One instance per render call.
 */
final class DisaggRendering {
  /** The NIXL handshake variables (vllm/envs.py @ v0.11.2). */
  static final List<String> SIDE_CHANNEL_ENV =
      List.of("VLLM_NIXL_SIDE_CHANNEL_HOST", "VLLM_NIXL_SIDE_CHANNEL_PORT");

  /** The routing sidecar container's name, as upstream's P/D deployment names it. */
  static final String SIDECAR = "routing-sidecar";

  /** The sidecar's container port name; the decode Service's {@code http} port targets it. */
  static final String SIDECAR_PORT_NAME = "sidecar";

  /** The container port name of the NIXL handshake. */
  static final String SIDE_CHANNEL_PORT_NAME = "nixl";

  /**
   * The sidecar's CPU request: an SDK assumption for a Go reverse proxy (upstream's deployments set
   * none), taken out of what the decode server's node leaves it.
   */
  static final long SIDECAR_CPU_MILLIS = 500;

  /** The sidecar's memory request and limit: an SDK assumption, like the CPU. */
  static final long SIDECAR_MEMORY_BYTES = 512L << 20;

  /**
   * The sidecar's flags (llm-d/llm-d-inference-scheduler v0.8.0 pkg/sidecar/proxy/options.go;
   * values as deploy/components/vllm-sim-pd/deployments.yaml): its own port, vLLM's port, the NIXL
   * v2 protocol, and plain HTTP: the gateway's proxies speak HTTP to the pool like to every other
   * server the SDK renders.
   */
  static List<String> sidecarArgs() {
    return List.of(
        "--port=" + VllmServer.DEFAULT_PORT,
        "--vllm-port=" + DisaggregatedServing.DECODE_VLLM_PORT,
        "--kv-connector=nixlv2",
        "--secure-proxy=false");
  }

  private final DisaggregatedServing spec;

  DisaggRendering(DisaggregatedServing spec) {
    this.spec = spec;
  }

  RenderedSet render() {
    RenderedSet.Builder out = RenderedSet.builder();
    side(spec.prefill(), "prefill", false, out);
    side(spec.decode(), "decode", true, out);
    out.addAll(spec.gateway().render());
    return out.build();
  }

  /**
   * Returns a side's server as it is rendered: the decode server's node leaves room for the
   * sidecar.
   */
  private static VllmServer server(DisaggregatedServing.Side side, boolean decode) {
    VllmServer s = side.server();
    if (!decode) {
      return s;
    }
    AcceleratorPlacement p = s.placement();
    return s.toBuilder()
        .placement(
            p.toBuilder()
                .sidecarCpuMillis(p.sidecarCpuMillis() + SIDECAR_CPU_MILLIS)
                .sidecarMemoryBytes(p.sidecarMemoryBytes() + SIDECAR_MEMORY_BYTES)
                .build())
        .build();
  }

  private void side(
      DisaggregatedServing.Side side, String role, boolean decode, RenderedSet.Builder out) {
    VllmServer s = server(side, decode);
    RenderedSet rendered =
        side.nodes() > 1
            ? MultiHostServer.builder()
                .server(s)
                .nodes(side.nodes())
                .replicas(s.replicas())
                .build()
                .render()
            : s.render();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(DisaggregatedServing.ROLE_LABEL, role);
    labels.putAll(spec.poolSelector());
    PodTemplateSpec serving = null;
    for (HasMetadata o : rendered.kubernetesObjects()) {
      boolean own = s.name().equals(o.getMetadata().getName());
      if (own && o instanceof Deployment deployment) {
        serving = deployment.getSpec().getTemplate();
        pod(serving, labels, decode, true);
      } else if (own && o instanceof LeaderWorkerSet lws) {
        serving = lws.getSpec().leaderWorkerTemplate().leaderTemplate();
        pod(serving, labels, decode, true);
        pod(lws.getSpec().leaderWorkerTemplate().workerTemplate(), labels, false, false);
      } else if (own && decode && o instanceof Service service) {
        // clients of the Service reach vLLM through the sidecar, like the gateway's
        for (ServicePort port : service.getSpec().getPorts()) {
          if ("http".equals(port.getName())) {
            port.setTargetPort(new IntOrString(SIDECAR_PORT_NAME));
          }
        }
      }
      out.add(o);
    }
    PodTemplateSpec template = Objects.requireNonNull(serving, "the side's workload");
    for (WorkloadFacts w : rendered.workloads()) {
      WorkloadFacts.Builder facts =
          w.toBuilder()
              .podLabels(template.getMetadata().getLabels())
              .ports(List.of())
              .putFlag(VllmFlags.KV_TRANSFER_CONFIG, spec.kvConnector().kvTransferConfigJson())
              .putEnv(SIDE_CHANNEL_ENV.get(0), "$(POD_IP)")
              .putEnv(
                  SIDE_CHANNEL_ENV.get(1), Integer.toString(spec.kvConnector().sideChannelPort()));
      for (Container c : containers(template)) {
        if (c.getPorts() != null) {
          c.getPorts().forEach(p -> facts.addPort(p.getName(), p.getContainerPort()));
        }
      }
      if (decode) {
        facts.putFlag(VllmFlags.PORT, Integer.toString(DisaggregatedServing.DECODE_VLLM_PORT));
        w.metrics()
            .ifPresent(
                m -> facts.metrics(DisaggregatedServing.DECODE_VLLM_PORT, m.portName(), m.path()));
      }
      out.addWorkload(facts.build());
    }
  }

  private static List<Container> containers(PodTemplateSpec template) {
    List<Container> all = new ArrayList<>(template.getSpec().getContainers());
    if (template.getSpec().getInitContainers() != null) {
      all.addAll(template.getSpec().getInitContainers());
    }
    return all;
  }

  /**
   * Gives one pod template the labels and the KV connector; a serving pod on the decode side also
   * moves vLLM to {@link DisaggregatedServing#DECODE_VLLM_PORT} and gets the routing sidecar.
   */
  private void pod(
      PodTemplateSpec template, Map<String, String> labels, boolean decode, boolean serving) {
    template.getMetadata().getLabels().putAll(labels);
    Container server = template.getSpec().getContainers().get(0);
    List<EnvVar> env = new ArrayList<>(server.getEnv());
    if (env.stream().noneMatch(e -> e.getName().equals("POD_IP"))) {
      env.add(Pods.fieldRef("POD_IP", "status.podIP"));
    }
    // $(POD_IP) expands because POD_IP comes earlier in the list
    env.add(Pods.env(SIDE_CHANNEL_ENV.get(0), "$(POD_IP)"));
    env.add(
        Pods.env(SIDE_CHANNEL_ENV.get(1), Integer.toString(spec.kvConnector().sideChannelPort())));
    server.setEnv(env);
    if (!serving) {
      // a Ray worker runs no API server: its engine processes read the environment only
      return;
    }
    List<String> args = new ArrayList<>();
    for (String arg : server.getArgs()) {
      args.add(
          decode && arg.equals(VllmFlags.PORT + "=" + VllmServer.DEFAULT_PORT)
              ? VllmFlags.PORT + "=" + DisaggregatedServing.DECODE_VLLM_PORT
              : arg);
    }
    args.add(VllmFlags.KV_TRANSFER_CONFIG + "=" + spec.kvConnector().kvTransferConfigJson());
    server.setArgs(args);
    List<ContainerPort> ports = new ArrayList<>();
    for (ContainerPort p : server.getPorts()) {
      if (decode && Objects.equals(p.getContainerPort(), VllmServer.DEFAULT_PORT)) {
        p.setContainerPort(DisaggregatedServing.DECODE_VLLM_PORT);
      }
      ports.add(p);
    }
    ports.add(
        new ContainerPortBuilder()
            .withName(SIDE_CHANNEL_PORT_NAME)
            .withContainerPort(spec.kvConnector().sideChannelPort())
            .withProtocol("TCP")
            .build());
    server.setPorts(ports);
    if (decode) {
      List<Container> init = new ArrayList<>();
      if (template.getSpec().getInitContainers() != null) {
        init.addAll(template.getSpec().getInitContainers());
      }
      init.add(sidecar());
      template.getSpec().setInitContainers(init);
    }
  }

  /**
   * Returns the routing sidecar: a native sidecar (an init container that keeps running) as
   * upstream's P/D deployment runs it, answering {@code /health} itself (pkg/sidecar/proxy/
   * proxy.go) and passing every other path, {@code /metrics} included, to vLLM.
   */
  private Container sidecar() {
    Quantity memory = new Quantity((SIDECAR_MEMORY_BYTES >> 20) + "Mi");
    return new ContainerBuilder()
        .withName(SIDECAR)
        .withImage(spec.routingSidecarImage())
        .withImagePullPolicy("IfNotPresent")
        .withRestartPolicy("Always")
        .withArgs(sidecarArgs())
        .addNewPort()
        .withName(SIDECAR_PORT_NAME)
        .withContainerPort(VllmServer.DEFAULT_PORT)
        .withProtocol("TCP")
        .endPort()
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(SIDECAR_CPU_MILLIS + "m"))
                .addToRequests("memory", memory)
                .addToLimits("memory", memory)
                .build())
        .withReadinessProbe(
            Pods.httpProbe("/health", SIDECAR_PORT_NAME, Pods.PROBE_PERIOD_SECONDS)
                .withFailureThreshold(3)
                .build())
        .withLivenessProbe(
            Pods.httpProbe("/health", SIDECAR_PORT_NAME, Pods.LIVENESS_PERIOD_SECONDS)
                .withFailureThreshold(Pods.LIVENESS_FAILURES)
                .build())
        // the image runs as 65532 (Dockerfile.sidecar, USER 65532:65532)
        .withSecurityContext(Pods.restricted(true))
        .build();
  }
}
