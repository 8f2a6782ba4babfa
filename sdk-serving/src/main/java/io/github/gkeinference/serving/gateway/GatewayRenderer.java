package io.github.gkeinference.serving.gateway;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.ManagedPrometheus;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.crd.GcpBackendPolicy;
import io.github.gkeinference.serving.crd.GcpRoutingExtension;
import io.github.gkeinference.serving.crd.HealthCheckPolicy;
import io.github.gkeinference.serving.crd.InferenceObjective;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.crd.PolicyTargetRef;
import io.github.gkeinference.serving.gateway.epp.EndpointPickerConfig;
import io.github.gkeinference.serving.internal.Listeners;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Renders an {@link InferenceGateway}; one instance per render call. */
final class GatewayRenderer {
  /**
   * The EPP's ext-proc gRPC port, health port and metrics port
   * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/epplib/templates/_deployment.yaml).
   */
  static final int EPP_GRPC_PORT = 9002;

  static final int EPP_HEALTH_PORT = 9003;
  static final int EPP_METRICS_PORT = 9090;

  /**
   * The body-based router's gRPC and health ports (kubernetes-sigs/gateway-api-inference-extension
   * v1.5.0 config/charts/body-based-routing/values.yaml).
   */
  static final int BBR_GRPC_PORT = 9004;

  static final int BBR_HEALTH_PORT = 9005;

  /** Where the EPP reads its plugin configuration (GIE chart: {@code --config-file}). */
  static final String EPP_CONFIG_DIR = "/config";

  static final String EPP_CONFIG_FILE = "default-plugins.yaml";

  /** The distroless {@code nonroot} user the EPP image runs as (GIE Dockerfile). */
  static final long EPP_USER = 65_532L;

  static final String APP = "inference-gateway";

  private final InferenceGateway spec;

  GatewayRenderer(InferenceGateway spec) {
    this.spec = spec;
  }

  RenderedSet render() {
    RenderedSet.Builder out = RenderedSet.builder();
    out.add(gateway());
    out.add(route());
    for (InferenceGateway.Pool pool : spec.pools()) {
      renderPool(pool, out, Map.of(), true);
    }
    renderObjectives(out);
    if (spec.bodyBasedRouting()) {
      renderBodyBasedRouting(out);
    }
    spec.proxyOnlySubnet().ifPresent(cidr -> out.add(networkPolicy(cidr)));
    return out.build();
  }

  /**
   * Renders what a target cluster of a multi-cluster gateway holds: each pool with its endpoint
   * picker, the pool annotated {@code poolAnnotations} (the export annotation), and the objectives;
   * no Gateway, route or load-balancer policies, which the config cluster holds for the imported
   * pools
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway:
   * the single-cluster chart's policies are "intended for single-cluster use").
   *
   * @param poolAnnotations the annotations of every InferencePool
   * @return the rendered set
   */
  RenderedSet renderTargetCluster(Map<String, String> poolAnnotations) {
    RenderedSet.Builder out = RenderedSet.builder();
    for (InferenceGateway.Pool pool : spec.pools()) {
      renderPool(pool, out, poolAnnotations, false);
    }
    renderObjectives(out);
    return out.build();
  }

  private void renderObjectives(RenderedSet.Builder out) {
    for (InferenceGateway.Objective objective : spec.objectives()) {
      InferenceObjective o = InferenceObjective.inGroup(spec.objectiveApiVersion());
      o.setMetadata(Pods.meta(objective.name(), spec.namespace(), labels("objective")));
      o.setSpec(
          new InferenceObjective.Spec(
              objective.priority(), InferenceObjective.PoolRef.to(objective.pool())));
      out.add(o);
    }
  }

  private Map<String, String> labels(String component) {
    return Labels.standard(APP, spec.name(), component);
  }

  private io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway gateway() {
    // IAP needs an HTTPS load balancer (https://cloud.google.com/iap/docs/enabling-gke-howto): with
    // IAP the listener serves the TLS Secret's certificate instead of plain HTTP
    Listener listener =
        spec.iap()
            .map(iap -> Listeners.https("https", iap.tlsSecretName().orElse(spec.name() + "-tls")))
            .orElseGet(GatewayRenderer::httpListener);
    return gateway(
        Pods.meta(spec.name(), spec.namespace(), labels("gateway")),
        spec.gatewayClass().className(),
        List.of(),
        listener);
  }

  /** A plain HTTP listener on port 80. */
  static Listener httpListener() {
    return new ListenerBuilder().withName("http").withProtocol("HTTP").withPort(80).build();
  }

  /**
   * A Gateway with one listener; {@code addresses} empty for none requested.
   *
   * @param meta the Gateway's metadata
   * @param className the GatewayClass
   * @param addresses the addresses to request, or none
   * @param listener its one listener
   */
  static io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway gateway(
      ObjectMeta meta, String className, List<GatewaySpecAddress> addresses, Listener listener) {
    return new GatewayBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withGatewayClassName(className)
        .withAddresses(addresses.isEmpty() ? null : addresses)
        .withListeners(listener)
        .endSpec()
        .build();
  }

  private io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute route() {
    return route(
        Pods.meta(spec.name(), spec.namespace(), labels("route")),
        spec.name(),
        InferencePool.GROUP,
        InferencePool.KIND,
        spec.pools());
  }

  /**
   * An HTTPRoute on {@code gateway} sending every path to the pools by weight, each pool a backend
   * of {@code group}/{@code kind} (an InferencePool, or the pool's import in a multi-cluster config
   * cluster).
   */
  static io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute route(
      ObjectMeta meta,
      String gateway,
      String group,
      String kind,
      List<InferenceGateway.Pool> pools) {
    List<HTTPBackendRef> backends = new ArrayList<>();
    for (InferenceGateway.Pool pool : pools) {
      backends.add(
          new HTTPBackendRefBuilder()
              .withGroup(group)
              .withKind(kind)
              .withName(pool.name())
              .withWeight(pool.weight())
              .build());
    }
    // no timeouts.request: on GKE the timeout comes from the GCPBackendPolicy
    // (kubernetes-sigs/gateway-api-inference-extension v1.6.0
    // config/crd/bases/inference.networking.k8s.io_inferencepools.yaml)
    return new HTTPRouteBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .addNewParentRef()
        .withName(gateway)
        .endParentRef()
        .addNewRule()
        .addNewMatch()
        .withNewPath()
        .withType("PathPrefix")
        .withValue("/")
        .endPath()
        .endMatch()
        .withBackendRefs(backends)
        .endRule()
        .endSpec()
        .build();
  }

  private void renderPool(
      InferenceGateway.Pool pool,
      RenderedSet.Builder out,
      Map<String, String> poolAnnotations,
      boolean policies) {
    String epp = pool.name() + "-epp";
    Map<String, String> eppLabels = Labels.standard("endpoint-picker", pool.name(), "epp");
    Map<String, String> eppSelector = Labels.selector(pool.name(), "epp");
    String ns = spec.namespace();

    InferencePool ip = new InferencePool();
    ip.setMetadata(Pods.meta(pool.name(), ns, labels("pool")));
    if (!poolAnnotations.isEmpty()) {
      ip.getMetadata().setAnnotations(new LinkedHashMap<>(poolAnnotations));
    }
    ip.setSpec(
        new InferencePool.Spec(
            new InferencePool.Selector(pool.matchLabels()),
            List.of(new InferencePool.Port(pool.targetPort())),
            null,
            // FailOpen as the GIE chart sets it: if the picker is down, route anyway
            new InferencePool.EndpointPickerRef(
                "Service", epp, new InferencePool.Port(EPP_GRPC_PORT), "FailOpen")));
    out.add(ip);

    // namespaced reads (GIE chart rbac.yaml): pods, pools and objectives
    serviceAccountWithRole(
        out,
        epp,
        ns,
        eppLabels,
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("pods")
            .withVerbs("get", "list", "watch")
            .build(),
        new PolicyRuleBuilder()
            .withApiGroups(InferencePool.GROUP)
            .withResources("inferencepools")
            .withVerbs("get", "list", "watch")
            .build(),
        new PolicyRuleBuilder()
            .withApiGroups("inference.networking.x-k8s.io", "llm-d.ai")
            .withResources("inferenceobjectives", "inferencemodelrewrites")
            .withVerbs("get", "list", "watch")
            .build());
    // metrics endpoint authentication needs token and access reviews (cluster-scoped)
    String auth = ns + "-" + epp + "-auth";
    out.add(
        new ClusterRoleBuilder()
            .withMetadata(Pods.meta(auth, null, eppLabels))
            .withRules(
                new PolicyRuleBuilder()
                    .withApiGroups("authentication.k8s.io")
                    .withResources("tokenreviews")
                    .withVerbs("create")
                    .build(),
                new PolicyRuleBuilder()
                    .withApiGroups("authorization.k8s.io")
                    .withResources("subjectaccessreviews")
                    .withVerbs("create")
                    .build())
            .build());
    out.add(
        new ClusterRoleBindingBuilder()
            .withMetadata(Pods.meta(auth, null, eppLabels))
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", auth)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(epp)
            .withNamespace(ns)
            .endSubject()
            .build());
    out.add(eppConfig(epp, ns, eppLabels, pool.endpointPicker()));
    out.add(eppDeployment(pool, epp, eppLabels, eppSelector));
    out.add(
        new ServiceBuilder()
            .withMetadata(Pods.meta(epp, ns, eppLabels))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(eppSelector)
            .addNewPort()
            .withName("grpc-ext-proc")
            .withProtocol("TCP")
            .withPort(EPP_GRPC_PORT)
            .withTargetPort(new IntOrString("grpc"))
            .withAppProtocol("http2")
            .endPort()
            .addNewPort()
            .withName("http-metrics")
            .withProtocol("TCP")
            .withPort(EPP_METRICS_PORT)
            .withTargetPort(new IntOrString("metrics"))
            .endPort()
            .endSpec()
            .build());
    if (policies) {
      renderPolicies(pool, out);
    }
  }

  private void renderPolicies(InferenceGateway.Pool pool, RenderedSet.Builder out) {
    // vLLM answers /health on its serving port (GIE chart gke.yaml: 2 s timeout and interval)
    policies(
        out,
        Pods.meta(pool.name(), spec.namespace(), labels("policy")),
        PolicyTargetRef.inferencePool(pool.name()),
        pool.targetPort(),
        2,
        spec.timeoutSeconds(),
        spec.iap().map(Iap::policy).orElse(null));
  }

  /**
   * Adds the load balancer's policies for a pool's backend: a HealthCheckPolicy on {@code /health}
   * at the serving port ({@code checkSeconds} as its timeout and interval, or GKE's defaults when
   * null) and a GCPBackendPolicy with the request timeout and logging on, and IAP when {@code iap}
   * is not null.
   */
  static void policies(
      RenderedSet.Builder out,
      ObjectMeta meta,
      PolicyTargetRef target,
      int port,
      @Nullable Integer checkSeconds,
      int timeoutSeconds,
      GcpBackendPolicy.@Nullable Iap iap) {
    HealthCheckPolicy health = new HealthCheckPolicy();
    health.setMetadata(meta);
    health.setSpec(
        new HealthCheckPolicy.Spec(
            target,
            new HealthCheckPolicy.Check(
                checkSeconds,
                checkSeconds,
                HealthCheckPolicy.Config.http(
                    new HealthCheckPolicy.HttpCheck("USE_FIXED_PORT", port, "/health")))));
    out.add(health);
    GcpBackendPolicy backend = new GcpBackendPolicy();
    backend.setMetadata(new ObjectMetaBuilder(meta).build());
    backend.setSpec(
        new GcpBackendPolicy.Spec(
            target,
            new GcpBackendPolicy.Settings(timeoutSeconds, new GcpBackendPolicy.Toggle(true), iap)));
    out.add(backend);
  }

  /**
   * Adds a ServiceAccount of that name with its token mounted, a Role of that name granting {@code
   * rules} in the namespace, and the RoleBinding between them.
   */
  private static void serviceAccountWithRole(
      RenderedSet.Builder out,
      String name,
      String ns,
      Map<String, String> labels,
      PolicyRule... rules) {
    out.add(
        new ServiceAccountBuilder()
            .withMetadata(Pods.meta(name, ns, labels))
            .withAutomountServiceAccountToken(true)
            .build());
    out.add(new RoleBuilder().withMetadata(Pods.meta(name, ns, labels)).withRules(rules).build());
    out.add(
        new RoleBindingBuilder()
            .withMetadata(Pods.meta(name, ns, labels))
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(name)
            .withNamespace(ns)
            .endSubject()
            .build());
  }

  private static ConfigMap eppConfig(
      String epp, String ns, Map<String, String> labels, EndpointPickerConfig config) {
    return new ConfigMapBuilder()
        .withMetadata(Pods.meta(epp, ns, labels))
        .withData(Map.of(EPP_CONFIG_FILE, config.toYaml()))
        .build();
  }

  private io.fabric8.kubernetes.api.model.apps.Deployment eppDeployment(
      InferenceGateway.Pool pool,
      String epp,
      Map<String, String> labels,
      Map<String, String> selector) {
    List<String> args = new ArrayList<>();
    // flags of GIE v1.5.0 pkg/epp/server/options.go
    // (kubernetes-sigs/gateway-api-inference-extension v1.5.0
    // config/charts/epplib/templates/_deployment.yaml)
    args.add("--pool-name=" + pool.name());
    args.add("--pool-namespace=" + spec.namespace());
    args.add("--pool-group=" + InferencePool.GROUP);
    args.add("--grpc-port=" + EPP_GRPC_PORT);
    args.add("--grpc-health-port=" + EPP_HEALTH_PORT);
    args.add("--metrics-port=" + EPP_METRICS_PORT);
    args.add("--config-file=" + EPP_CONFIG_DIR + "/" + EPP_CONFIG_FILE);
    args.add("--zap-encoder=json");
    if (pool.eppReplicas() > 1) {
      args.add("--ha-enable-leader-election");
    }
    String probeService = pool.eppReplicas() > 1 ? "readiness" : "inference-extension";
    String liveService = pool.eppReplicas() > 1 ? "liveness" : "inference-extension";
    return new DeploymentBuilder()
        .withMetadata(Pods.meta(epp, spec.namespace(), labels))
        .withNewSpec()
        .withReplicas(pool.eppReplicas())
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        // a single active picker is recommended (GIE chart): no overlap during updates
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(epp)
        .withTerminationGracePeriodSeconds(130L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(EPP_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addToContainers(
            new ContainerBuilder()
                .withName("epp")
                .withImage(spec.eppImage())
                .withImagePullPolicy("IfNotPresent")
                .withArgs(args)
                .addNewPort()
                .withName("grpc")
                .withContainerPort(EPP_GRPC_PORT)
                .endPort()
                .addNewPort()
                .withName("grpc-health")
                .withContainerPort(EPP_HEALTH_PORT)
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withContainerPort(EPP_METRICS_PORT)
                .endPort()
                .withEnv(
                    Pods.fieldRef("NAMESPACE", "metadata.namespace"),
                    Pods.fieldRef("POD_NAME", "metadata.name"))
                // GIE chart: requests cpu 4 / memory 8Gi, memory limit 16Gi
                .withNewResources()
                .addToRequests("cpu", new Quantity("4"))
                .addToRequests("memory", new Quantity("8Gi"))
                .addToLimits("memory", new Quantity("16Gi"))
                .endResources()
                .withNewLivenessProbe()
                .withNewGrpc()
                .withPort(EPP_HEALTH_PORT)
                .withService(liveService)
                .endGrpc()
                .withInitialDelaySeconds(5)
                .withPeriodSeconds(10)
                .endLivenessProbe()
                .withNewReadinessProbe()
                .withNewGrpc()
                .withPort(EPP_HEALTH_PORT)
                .withService(probeService)
                .endGrpc()
                .withPeriodSeconds(2)
                .endReadinessProbe()
                .withSecurityContext(Pods.restricted(true))
                .addNewVolumeMount()
                .withName("plugins-config")
                .withMountPath(EPP_CONFIG_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .build())
        .addNewVolume()
        .withName("plugins-config")
        .withNewConfigMap()
        .withName(epp)
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Body-based routing (GIE v1.5.0 {@code config/charts/body-based-routing}): the BBR ext-proc
   * server (gRPC 9004, health 9005), attached to the Gateway with a GCPRoutingExtension that sends
   * request headers, body and trailers in full-duplex streaming mode with a 1 s timeout. The server
   * runs with {@code --streaming} for that mode and, as the chart's {@code rbac.yaml}, a service
   * account that may read the namespace's ConfigMaps: its default {@code base-model-to-header}
   * plugin watches the adapter-to-base-model ConfigMaps (GIE v1.5.0
   * pkg/bbr/plugins/basemodelextractor/configmap_reconciler.go), so it needs API access to start.
   */
  private void renderBodyBasedRouting(RenderedSet.Builder out) {
    String bbr = spec.name() + "-bbr";
    String ns = spec.namespace();
    Map<String, String> bbrLabels = Labels.standard("body-based-router", spec.name(), "bbr");
    Map<String, String> bbrSelector = Labels.selector(spec.name(), "bbr");
    serviceAccountWithRole(
        out,
        bbr,
        ns,
        bbrLabels,
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("configmaps")
            .withVerbs("get", "list", "watch")
            .build());
    out.add(
        new DeploymentBuilder()
            .withMetadata(Pods.meta(bbr, ns, bbrLabels))
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(bbrSelector)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(bbrLabels)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(bbr)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(EPP_USER)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addToContainers(
                new ContainerBuilder()
                    .withName("bbr")
                    .withImage(spec.bbrImage())
                    .withImagePullPolicy("IfNotPresent")
                    // the GIE v1.5.0 chart's bbr.yaml: full-duplex streaming, this namespace only
                    .withArgs("--streaming")
                    .withEnv(Pods.fieldRef("NAMESPACE", "metadata.namespace"))
                    .addNewPort()
                    .withName("grpc")
                    .withContainerPort(BBR_GRPC_PORT)
                    .endPort()
                    .addNewPort()
                    .withName("grpc-health")
                    .withContainerPort(BBR_HEALTH_PORT)
                    .endPort()
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("250m"))
                    .addToRequests("memory", new Quantity("256Mi"))
                    .addToLimits("memory", new Quantity("512Mi"))
                    .endResources()
                    // the router's gRPC health server (GIE v1.5.0 cmd/bbr/runner/health.go) answers
                    // both probes; a hung router fails liveness. Timings as the EPP's
                    .withNewLivenessProbe()
                    .withNewGrpc()
                    .withPort(BBR_HEALTH_PORT)
                    .endGrpc()
                    .withInitialDelaySeconds(5)
                    .withPeriodSeconds(10)
                    .endLivenessProbe()
                    .withNewReadinessProbe()
                    .withNewGrpc()
                    .withPort(BBR_HEALTH_PORT)
                    .endGrpc()
                    .withPeriodSeconds(5)
                    .endReadinessProbe()
                    .withSecurityContext(Pods.restricted(true))
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        new ServiceBuilder()
            .withMetadata(Pods.meta(bbr, ns, bbrLabels))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(bbrSelector)
            .addNewPort()
            .withName("grpc")
            .withProtocol("TCP")
            .withPort(BBR_GRPC_PORT)
            .withTargetPort(new IntOrString("grpc"))
            .withAppProtocol("http2")
            .endPort()
            .endSpec()
            .build());
    GcpRoutingExtension ext = new GcpRoutingExtension();
    ext.setMetadata(Pods.meta(bbr, ns, labels("routing-extension")));
    ext.setSpec(
        new GcpRoutingExtension.Spec(
            List.of(new PolicyTargetRef("gateway.networking.k8s.io", "Gateway", spec.name())),
            List.of(
                new GcpRoutingExtension.Chain(
                    "body-based-routing",
                    List.of(
                        new GcpRoutingExtension.Extension(
                            "bbr",
                            bbr + "." + ns + ".svc.cluster.local",
                            "1s",
                            List.of("RequestHeaders", "RequestBody", "RequestTrailers"),
                            "FullDuplexStreamed",
                            new GcpRoutingExtension.BackendRef("", "Service", bbr, BBR_GRPC_PORT),
                            null))))));
    out.add(ext);
    HealthCheckPolicy health = new HealthCheckPolicy();
    health.setMetadata(Pods.meta(bbr, ns, bbrLabels));
    health.setSpec(
        new HealthCheckPolicy.Spec(
            PolicyTargetRef.service(bbr),
            new HealthCheckPolicy.Check(
                null, null, HealthCheckPolicy.Config.grpc(BBR_HEALTH_PORT))));
    out.add(health);
  }

  private io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy networkPolicy(String cidr) {
    return new NetworkPolicyBuilder()
        .withMetadata(Pods.meta(spec.name() + "-ingress", spec.namespace(), labels("network")))
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(
            // the gateway's Envoy proxies send from the region's proxy-only subnet
            new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build(),
            // the Managed Prometheus collector scrapes /metrics, on Standard or Autopilot
            ManagedPrometheus.collectorPeer(),
            // the namespace's own pods (endpoint pickers, async workers)
            new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build())
        .endIngress()
        .endSpec()
        .build();
  }
}
