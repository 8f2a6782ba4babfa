package io.github.gkeinference.observability.scrape;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.ManagedPrometheus;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ready-made scrape configurations: the model server of a rendered workload, the NVIDIA DCGM
 * exporter and the Gateway API inference extension's endpoint picker.
 *
 * <pre>{@code
 * RenderedSet server = ...;                          // a rendered vLLM Deployment
 * PodMonitoring pm = ScrapeConfigs.modelServer(ModelServer.VLLM, server.workload());
 * }</pre>
 */
public final class ScrapeConfigs {
  /**
   * The default scrape interval: the reference architecture's vLLM PodMonitoring and the GKE
   * autoscaling samples scrape every 15 s (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/inference-perf-bench,
   * https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md).
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

  /**
   * The endpoint picker's scrape interval: the inference extension chart's default {@code
   * inferenceExtension.monitoring.interval} of 10 s.
   */
  public static final Duration EPP_INTERVAL = Duration.ofSeconds(10);

  /** The metrics path every supported exporter serves. */
  public static final String METRICS_PATH = "/metrics";

  /** The DCGM exporter's port, named {@code metrics} (NVIDIA {@code dcgm-exporter.yaml}). */
  public static final int DCGM_PORT = 9400;

  /**
   * The endpoint picker's metrics port, named {@code metrics}
   * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/epplib/templates/_deployment.yaml).
   */
  public static final int EPP_METRICS_PORT = 9090;

  /** The pod label NVIDIA's DCGM exporter manifest puts on its pods. */
  public static final Map<String, String> DCGM_DEFAULT_LABELS =
      Map.of("app.kubernetes.io/name", "dcgm-exporter");

  /**
   * The pod metadata put on every series, as the reference architecture's PodMonitoring does
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/inference-perf-bench).
   */
  static final List<String> TARGET_METADATA = List.of("pod", "container", "node");

  /** The model servers {@link #modelServer(ModelServer, WorkloadFacts)} has a preset for. */
  public static final Set<ModelServer> PRESET_SERVERS =
      Collections.unmodifiableSet(EnumSet.of(ModelServer.VLLM, ModelServer.JETSTREAM));

  private ScrapeConfigs() {}

  /**
   * Returns whether {@link #modelServer(ModelServer, WorkloadFacts)} has a preset for this server
   * (vLLM and JetStream).
   *
   * @param server the model server
   * @return whether it is one of {@link #PRESET_SERVERS}
   */
  public static boolean hasPreset(ModelServer server) {
    return PRESET_SERVERS.contains(server);
  }

  /**
   * Returns the PodMonitoring of a model server, scraping {@code /metrics} of exactly the
   * workload's serving pods every {@link #DEFAULT_INTERVAL}.
   *
   * <p>The port and path come from the workload's {@link WorkloadFacts#metrics() metrics endpoint},
   * which the server spec recorded when it rendered (vLLM: its HTTP port; JetStream: its Prometheus
   * port); the port is referred to by name when the container names it. Other servers (TGI, SGLang)
   * are rejected: see {@link #PRESET_SERVERS}.
   *
   * @param server the model server
   * @param workload the serving workload's facts, for example {@code renderedServer.workload()}
   * @return the PodMonitoring named {@code <workload>-metrics} in the workload's namespace
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the server has no
   *     preset, or the metrics port cannot be found or is not declared by any container
   */
  public static PodMonitoring modelServer(ModelServer server, WorkloadFacts workload) {
    return modelServer(server, workload, DEFAULT_INTERVAL);
  }

  /**
   * Returns the PodMonitoring of a model server with a given scrape interval.
   *
   * @param server the model server
   * @param workload the serving workload
   * @param interval the scrape interval, whole seconds, at least 1 s
   * @return the PodMonitoring
   */
  public static PodMonitoring modelServer(
      ModelServer server, WorkloadFacts workload, Duration interval) {
    Violations v = Violations.root("scrape");
    checkInterval(v, interval);
    if (!hasPreset(server)) {
      v.error(
          "server",
          server,
          "has no scrape preset in this SDK (its metrics port is not sourced here); presets cover "
              + PRESET_SERVERS
              + ": render a PodMonitoring for it yourself");
      v.throwIfErrors();
    }
    requireSelector(v, workload.podSelector());
    Optional<WorkloadFacts.MetricsEndpoint> metrics = workload.metrics();
    if (metrics.isEmpty()) {
      v.error(
          "metrics",
          workload,
          "the workload exports no Prometheus metrics endpoint; JetStream exports metrics only"
              + " when started with a Prometheus port");
    }
    Optional<WorkloadFacts.Port> declared = metrics.flatMap(m -> workload.port(m.port()));
    if (metrics.isPresent() && declared.isEmpty()) {
      v.error(
          "port",
          metrics.get().port(),
          "no container of "
              + workload.kind()
              + " "
              + workload.name()
              + " declares this port; Managed Prometheus only scrapes declared container ports");
    }
    v.throwIfErrors();
    WorkloadFacts.Port p = declared.orElseThrow();
    ScrapeEndpoint endpoint =
        endpoint(
            p.role().isEmpty() ? new IntOrString(p.number()) : new IntOrString(p.role()),
            metrics.orElseThrow().path(),
            interval);
    PodMonitoring pm = new PodMonitoring();
    pm.setMetadata(
        new ObjectMetaBuilder()
            .withName(workload.name() + "-metrics")
            .withNamespace(workload.namespace())
            .withLabels(
                Labels.standard(
                    server.name().toLowerCase(Locale.ROOT), workload.name(), "monitoring"))
            .build());
    pm.setSpec(spec(workload.podSelector(), endpoint));
    return pm;
  }

  /**
   * Returns the ClusterPodMonitoring of the NVIDIA DCGM exporter, scraping port {@code metrics}
   * ({@value #DCGM_PORT}) of its pods in every namespace.
   *
   * <p>On GKE versions that offer managed DCGM metrics, prefer those: this is for a self-deployed
   * exporter.
   *
   * @param name the monitor's name
   * @param podSelector the exporter's pod labels, for example {@link #DCGM_DEFAULT_LABELS}
   * @return the ClusterPodMonitoring
   */
  public static ClusterPodMonitoring dcgmExporter(String name, Map<String, String> podSelector) {
    Violations v = Violations.root("scrape");
    requireSelector(v, podSelector);
    v.throwIfErrors();
    ClusterPodMonitoring cpm = new ClusterPodMonitoring();
    cpm.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withLabels(Labels.standard("dcgm-exporter", name, "monitoring"))
            .build());
    cpm.setSpec(spec(podSelector, endpoint(new IntOrString("metrics"), DEFAULT_INTERVAL)));
    return cpm;
  }

  /**
   * Returns what Managed Prometheus needs to scrape an endpoint picker whose metrics require a
   * bearer token ({@code --metrics-endpoint-auth=true}, the default): a ServiceAccount, its token
   * Secret, a ClusterRole allowing {@code GET /metrics} and its binding, a Role allowing the GMP
   * collector to read that one Secret and its binding, and the PodMonitoring that sends the token.
   *
   * <p>The layout follows the inference extension chart's GKE template ({@code
   * config/charts/inference-extension/templates/_gke.yaml}). The collector runs as ServiceAccount
   * {@code collector} in {@code gmp-system}, or {@code gke-gmp-system} on Autopilot
   * (https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md). The token
   * itself is created by Kubernetes in the Secret and never appears in the rendered output.
   *
   * @param poolName the InferencePool's name, used to name everything
   * @param namespace the endpoint picker's namespace
   * @param eppPodSelector the endpoint picker's pod labels; must not be empty
   * @param autopilot whether the cluster is Autopilot
   * @return the resources, in apply order
   */
  public static RenderedSet endpointPicker(
      String poolName, String namespace, Map<String, String> eppPodSelector, boolean autopilot) {
    Violations v = Violations.root("scrape");
    requireSelector(v, eppPodSelector);
    v.require(!poolName.isBlank(), "poolName", poolName, "must not be empty");
    v.throwIfErrors();
    String reader = poolName + "-metrics-reader-sa";
    String secret = poolName + "-metrics-reader-secret";
    String metricsRole = namespace + "-" + poolName + "-metrics-reader";
    String secretRole = poolName + "-metrics-reader-secret-read";
    String gmpNamespace = ManagedPrometheus.collectorNamespace(autopilot);
    Map<String, String> labels = Labels.standard("endpoint-picker", poolName, "monitoring");

    ScrapeEndpoint endpoint = endpoint(new IntOrString("metrics"), EPP_INTERVAL);
    endpoint.setScheme("http");
    endpoint.setAuthorization(ScrapeAuthorization.bearerFromSecret(secret, "token"));
    PodMonitoring pm = new PodMonitoring();
    pm.setMetadata(
        new ObjectMetaBuilder()
            .withName(poolName + "-epp-metrics")
            .withNamespace(namespace)
            .withLabels(labels)
            .build());
    pm.setSpec(spec(eppPodSelector, endpoint));

    return RenderedSet.builder()
        .add(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(reader)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .build())
        .add(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(Map.of("kubernetes.io/service-account.name", reader))
                .endMetadata()
                .withType("kubernetes.io/service-account-token")
                .build())
        .add(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(metricsRole)
                .withLabels(labels)
                .endMetadata()
                .addNewRule()
                .withNonResourceURLs(METRICS_PATH)
                .withVerbs("get")
                .endRule()
                .build())
        .add(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(metricsRole + "-role-binding")
                .withLabels(labels)
                .endMetadata()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(reader)
                .withNamespace(namespace)
                .endSubject()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName(metricsRole)
                .endRoleRef()
                .build())
        .add(
            new RoleBuilder()
                .withNewMetadata()
                .withName(secretRole)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withResourceNames(secret)
                .withVerbs("get", "list", "watch")
                .endRule()
                .build())
        .add(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(gmpNamespace + "-collector-" + secretRole)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(ManagedPrometheus.COLLECTOR)
                .withNamespace(gmpNamespace)
                .endSubject()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(secretRole)
                .endRoleRef()
                .build())
        .add(pm)
        .build();
  }

  private static PodMonitoringSpec spec(Map<String, String> selector, ScrapeEndpoint endpoint) {
    PodMonitoringSpec spec = new PodMonitoringSpec();
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
    spec.setEndpoints(List.of(endpoint));
    spec.setTargetLabels(TargetLabels.metadata(TARGET_METADATA));
    return spec;
  }

  private static ScrapeEndpoint endpoint(IntOrString port, Duration interval) {
    return endpoint(port, METRICS_PATH, interval);
  }

  private static ScrapeEndpoint endpoint(IntOrString port, String path, Duration interval) {
    ScrapeEndpoint e = new ScrapeEndpoint();
    e.setPort(port);
    e.setPath(path);
    e.setInterval(interval.toSeconds() + "s");
    return e;
  }

  private static void requireSelector(Violations v, Map<String, String> selector) {
    v.require(
        !selector.isEmpty(),
        "podSelector",
        selector,
        "must not be empty: an empty selector would scrape every pod");
  }

  private static void checkInterval(Violations v, Duration interval) {
    v.require(
        interval.toMillis() >= 1000 && interval.toMillis() % 1000 == 0,
        "interval",
        interval,
        "must be a whole number of seconds, at least 1s");
  }
}
