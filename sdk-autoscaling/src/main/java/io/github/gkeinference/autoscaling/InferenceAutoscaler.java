package io.github.gkeinference.autoscaling;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.github.gkeinference.autoscaling.adapter.CustomMetricsAdapter;
import io.github.gkeinference.autoscaling.keda.ScaledObject;
import io.github.gkeinference.autoscaling.keda.TriggerAuthentication;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.scrape.ScrapeConfigs;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Autoscales a rendered model server on its own metrics: renders an {@code autoscaling/v2}
 * HorizontalPodAutoscaler for a Deployment or LeaderWorkerSet, optionally the Custom Metrics
 * Stackdriver Adapter it reads metrics through, or a KEDA ScaledObject instead.
 *
 * <pre>{@code
 * RenderedSet hpa = InferenceAutoscaler.builder()
 *     .target(server.render())                  // the one Deployment or LeaderWorkerSet
 *     .minReplicas(1)
 *     .maxReplicas(8)
 *     .addMetrics(ScalingMetric.vllmQueue())    // queue of 3 waiting requests per pod
 *     .build()
 *     .render();
 * }</pre>
 *
 * <p>What is rejected, each with its field path: a minimum below 1 (the HPA needs the alpha
 * HPAScaleToZero gate for 0; use KEDA and {@link #scaleToZero()} instead), a maximum below the
 * minimum, no metric, a target that is not scalable, a metric the target's model server does not
 * export, and GPU utilization or GPU memory as the only signals: GKE's guidance is that GPU duty
 * cycle does not measure inference work and that vLLM and TGI preallocate GPU memory, so memory
 * only ever grows.
 *
 * <p>Pod metrics must be scraped by Managed Prometheus: the target's pods need a PodMonitoring (the
 * observability module renders it), and the cluster needs the metrics adapter once ({@link
 * #metricsAdapter()}). The cluster's {@code PERFORMANCE} HPA profile ({@code gcloud container
 * clusters update --hpa-profile=performance}) makes the HPA react faster.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableInferenceAutoscaler.class)
public interface InferenceAutoscaler extends RenderableSpec {
  /** The component label value of what this renders. */
  String COMPONENT = "autoscaler";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The workload to scale. */
  ScaleTarget target();

  /** The HPA's name; default the target's name. */
  @Value.Default
  default String name() {
    return target().name();
  }

  /**
   * The model server of the target; default the one its workload facts name. Pod metrics of another
   * server are rejected.
   */
  Optional<ModelServer> modelServer();

  /** The fewest replicas; default 1. */
  @Value.Default
  default int minReplicas() {
    return 1;
  }

  /** The most replicas. */
  int maxReplicas();

  /** The metrics; the HPA takes the largest replica count any of them asks for. */
  List<ScalingMetric> metrics();

  /** How fast to scale; default {@link ScalingBehavior#kubernetesDefaults()}. */
  @Value.Default
  default ScalingBehavior behavior() {
    return ScalingBehavior.kubernetesDefaults();
  }

  /** Whether the KEDA output may scale to zero replicas; the HPA output ignores it. Default off. */
  @Value.Default
  default boolean scaleToZero() {
    return false;
  }

  /** The metrics adapter to render with the HPA, when the cluster does not run one yet. */
  Optional<CustomMetricsAdapter> metricsAdapter();

  /**
   * The vLLM release the target runs, such as {@code 0.12.0} or {@code v0.11.2}, for a target whose
   * facts do not carry it; default the release of the target's image ({@link
   * ScaleTarget#vllmVersion()}, from the rendered server's facts), else the SDK's default release.
   * When the target's facts carry a release, this must name the same one. Pod metrics follow it
   * (the release table, {@code core.server.VllmReleases}): a vLLM preset ({@link
   * ScalingMetric#vllmKvCache(double)}, {@link ScalingMetric#vllmQueue()}, ...) is rendered under
   * the name this release exports for its signal, and a metric named explicitly must be one this
   * release exports ({@code vllm:gpu_cache_usage_perc} is gone from v0.12.0 on). Ignored for other
   * servers.
   */
  Optional<String> vllmVersion();

  /**
   * Returns the vLLM release the target runs: the one {@link #vllmVersion()} names, else the one
   * the target's facts carry, else the SDK's default release.
   */
  default VllmRelease vllmRelease() {
    if (vllmVersion().isPresent()) {
      return VllmReleases.named(vllmVersion());
    }
    return Optional.ofNullable(target().vllmVersion())
        .map(VllmReleases::release)
        .orElseGet(VllmReleases::defaultRelease);
  }

  /**
   * Returns the metrics as the HPA renders them: each vLLM preset under the name the target's
   * release ({@link #vllmRelease()}) exports for its signal; other metrics as they are.
   */
  private List<ScalingMetric> releaseMetrics() {
    if (server().filter(s -> s == ModelServer.VLLM).isEmpty()) {
      return metrics();
    }
    VllmRelease release = vllmRelease();
    List<ScalingMetric> out = new ArrayList<>();
    for (ScalingMetric m : metrics()) {
      String name = m.prometheusName().orElse("");
      boolean vllmGauge =
          m.source() == ScalingMetric.Source.PODS
              && m.server().filter(s -> s == ModelServer.VLLM).isPresent()
              && !name.isEmpty();
      String renamed = vllmGauge ? ModelServer.VLLM.gaugeIn(name, release) : name;
      out.add(
          renamed.equals(name)
              ? m
              : m.toBuilder()
                  .prometheusName(renamed)
                  .metricName(ScalingMetric.gmpGauge(renamed))
                  .build());
    }
    return out;
  }

  /** Returns the model server: the one set, else the one the target's label names. */
  default Optional<ModelServer> server() {
    return modelServer().or(() -> Optional.ofNullable(target().server()));
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        KubernetesNames.isDns1123Subdomain(name()), "name", name(), "must be a DNS-1123 subdomain");
    v.require(
        target().scalable(),
        "target.kind",
        target().apiVersion() + "/" + target().kind(),
        "is not scalable; the target must be an apps/v1 Deployment, StatefulSet or ReplicaSet, or a"
            + " leaderworkerset.x-k8s.io/v1 LeaderWorkerSet");
    v.require(
        minReplicas() >= 1,
        "minReplicas",
        minReplicas(),
        "must be at least 1 (an HPA scales to zero only with the alpha HPAScaleToZero gate); use"
            + " scaleToZero(true) with the KEDA output instead");
    v.require(
        maxReplicas() >= Math.max(1, minReplicas()),
        "maxReplicas",
        maxReplicas(),
        "must be at least 1 and at least minReplicas (" + minReplicas() + ")");
    v.require(!metrics().isEmpty(), "metrics", metrics(), "needs at least one metric");
    VllmReleases.check(v, "vllmVersion", vllmVersion());
    if (vllmVersion().flatMap(VllmVersion::fromImage).isPresent()
        && target().vllmVersion() != null) {
      VllmVersion set = vllmVersion().flatMap(VllmVersion::fromImage).orElseThrow();
      v.require(
          set.equals(target().vllmVersion()),
          "vllmVersion",
          vllmVersion().orElseThrow(),
          "differs from the release the target's image runs ("
              + target().vllmVersion()
              + "); leave it unset, the target's release is used");
    }
    Optional<ModelServer> server = server();
    List<ScalingMetric> metrics = releaseMetrics();
    for (int i = 0; i < metrics.size(); i++) {
      ScalingMetric m = metrics.get(i);
      Violations at = v.at("metrics", i);
      if (m.source() != ScalingMetric.Source.PODS) {
        continue;
      }
      if (server.isPresent() && m.server().isPresent() && m.server().get() != server.get()) {
        at.error(
            "metricName",
            m.metricName(),
            server.get()
                + " does not export this "
                + m.server().get()
                + " metric; it exports "
                + server.get().gauges());
      } else if (server.isPresent()
          && m.prometheusName().isPresent()
          && m.signal() != ScalingMetric.SignalKind.GPU_UTILIZATION
          && m.signal() != ScalingMetric.SignalKind.GPU_MEMORY
          && m.signal() != ScalingMetric.SignalKind.OTHER
          && !server.get().exports(m.prometheusName().get())) {
        at.error(
            "metricName",
            m.metricName(),
            server.get() + " does not export this metric; it exports " + server.get().gauges());
      } else if (server.isPresent()
          && m.prometheusName().isPresent()
          && server.get().exports(m.prometheusName().get())
          && !server.get().exports(m.prometheusName().get(), vllmRelease())) {
        at.error(
            "metricName",
            m.metricName(),
            vllmRelease()
                + " does not export this metric; it exports "
                + vllmRelease().metrics()
                + " (set vllmVersion to the release the target runs)");
      }
    }
    boolean allGpu =
        !metrics().isEmpty()
            && metrics().stream()
                .allMatch(
                    m ->
                        m.signal() == ScalingMetric.SignalKind.GPU_UTILIZATION
                            || m.signal() == ScalingMetric.SignalKind.GPU_MEMORY);
    v.require(
        !allGpu,
        "metrics",
        metrics().stream().map(ScalingMetric::metricName).toList(),
        "GPU utilization or GPU memory must not be the only signal: GPU duty cycle measures time"
            + " busy, not inference work, and vLLM and TGI preallocate GPU memory so it only grows"
            + " (GKE autoscaling best practices for LLM inference); add a queue or batch metric");
    v.throwIfErrors();
  }

  /**
   * Renders the HPA, and the metrics adapter when one is set.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "InferenceAutoscaler";
  }

  @Override
  default RenderedSet render() {
    RenderedSet.Builder set = RenderedSet.builder();
    metricsAdapter().ifPresent(a -> set.addAll(a.render()));
    set.add(horizontalPodAutoscaler());
    return set.build();
  }

  /**
   * Renders the HPA (and the metrics adapter when one is set) for a rendered server, adding the
   * PodMonitoring that makes Managed Prometheus scrape the server's metrics when the server's set
   * holds no PodMonitoring or ClusterPodMonitoring yet and a metric needs one. The PodMonitoring
   * comes from the observability module's scrape presets, which cover vLLM and JetStream; for TGI
   * and SGLang render a PodMonitoring yourself ({@code
   * io.github.gkeinference.observability.scrape.PodMonitoring}).
   *
   * @param server the rendered server that holds {@link #target()}
   * @return the autoscaling resources, without the server's own
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the server's set does
   *     not hold the target, or its metrics port cannot be found
   */
  default RenderedSet render(RenderedSet server) {
    RenderedSet.Builder set = RenderedSet.builder().addAll(render());
    boolean monitored =
        server.kubernetesResources().stream()
            .anyMatch(
                r -> r.kind().equals("PodMonitoring") || r.kind().equals("ClusterPodMonitoring"));
    boolean needsScrape =
        metrics().stream()
            .anyMatch(
                m -> m.source() == ScalingMetric.Source.PODS && m.prometheusName().isPresent());
    Optional<ModelServer> preset = server().filter(ScrapeConfigs::hasPreset);
    if (!monitored && needsScrape && preset.isPresent()) {
      set.add(ScrapeConfigs.modelServer(preset.get(), server.workload(target().name())));
    }
    return set.build();
  }

  /**
   * Returns a fresh HPA object.
   *
   * @return the HPA
   */
  default HorizontalPodAutoscaler horizontalPodAutoscaler() {
    List<MetricSpec> specs = new ArrayList<>();
    for (ScalingMetric m : releaseMetrics()) {
      specs.add(metricSpec(m));
    }
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(metadata(name()))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion(target().apiVersion())
        .withKind(target().kind())
        .withName(target().name())
        .endScaleTargetRef()
        .withMinReplicas(minReplicas())
        .withMaxReplicas(maxReplicas())
        .withMetrics(specs)
        .withBehavior(hpaBehavior(behavior()))
        .endSpec()
        .build();
  }

  /**
   * Renders a KEDA ScaledObject with the same limits, metrics and behaviour, plus the
   * TriggerAuthentication that lets KEDA read Cloud Monitoring with its Workload Identity. Pod
   * metrics become {@code prometheus} triggers on the Managed Prometheus query API that sum the
   * gauge over the target's pods (KEDA divides by the replica count); the Pub/Sub backlog becomes a
   * {@code gcp-pubsub} trigger. KEDA's operator service account needs {@code
   * roles/monitoring.viewer}. KEDA's GCP pod identity is documented for the Pub/Sub and Stackdriver
   * scalers; its use by the {@code prometheus} scaler against Managed Prometheus comes from
   * kedacore/keda-docs pull request 1153 and is not confirmed here against a KEDA release: check it
   * with your KEDA version.
   *
   * @param projectId the Google Cloud project whose Managed Prometheus holds the metrics
   * @return the ScaledObject and TriggerAuthentication
   * @throws io.github.gkeinference.core.validate.SdkValidationException for an external metric
   *     other than Pub/Sub, which has no KEDA trigger here
   */
  default RenderedSet renderKeda(String projectId) {
    Violations v = Violations.root();
    v.require(
        GcpNames.PROJECT_ID.matcher(projectId).matches(),
        "projectId",
        projectId,
        "must be a Google Cloud project id: 6-30 lower-case letters, digits or '-'");
    String authName = name() + "-gcp";
    List<ScaledObject.Trigger> triggers = new ArrayList<>();
    List<ScalingMetric> metrics = releaseMetrics();
    for (int i = 0; i < metrics.size(); i++) {
      ScalingMetric m = metrics.get(i);
      Map<String, String> meta = new LinkedHashMap<>();
      if (m.source() == ScalingMetric.Source.PODS && m.prometheusName().isPresent()) {
        meta.put(
            "serverAddress",
            "https://monitoring.googleapis.com/v1/projects/"
                + projectId
                + "/location/global/prometheus");
        meta.put(
            "query",
            "sum("
                + m.prometheusName().get()
                + "{namespace=\""
                + target().namespaceOrDefault()
                + "\",pod=~\""
                + target().name()
                + "-.*\"})");
        meta.put("threshold", quantity(m.target()));
        triggers.add(
            new ScaledObject.Trigger(
                "prometheus", meta, new ScaledObject.AuthenticationRef(authName)));
      } else if (ScalingMetric.PUBSUB_BACKLOG.equals(m.metricName())) {
        meta.put("subscriptionName", m.selector().get(ScalingMetric.PUBSUB_SUBSCRIPTION_LABEL));
        meta.put("mode", "SubscriptionSize");
        meta.put("value", quantity(m.target()));
        triggers.add(
            new ScaledObject.Trigger(
                "gcp-pubsub", meta, new ScaledObject.AuthenticationRef(authName)));
      } else {
        v.at("metrics", i)
            .error(
                "metricName",
                m.metricName(),
                "has no KEDA trigger in this SDK; use a model-server gauge or the Pub/Sub backlog");
      }
    }
    v.throwIfErrors();
    ScaledObject scaledObject =
        new ScaledObject(
            metadata(name()),
            new ScaledObject.Spec(
                new ScaledObject.ScaleTargetRef(
                    target().apiVersion(), target().kind(), target().name()),
                scaleToZero() ? 0 : minReplicas(),
                maxReplicas(),
                new ScaledObject.Advanced(new ScaledObject.HpaConfig(hpaBehavior(behavior()))),
                triggers));
    TriggerAuthentication auth =
        new TriggerAuthentication(
            metadata(authName),
            new TriggerAuthentication.Spec(new TriggerAuthentication.PodIdentity("gcp")));
    KubernetesResource scaled = KubernetesResource.of(scaledObject);
    // the authentication the triggers refer to goes just before the ScaledObject
    return RenderedSet.builder()
        .add(KubernetesResource.of(auth, scaled.applyRank() - 1))
        .add(scaled)
        .build();
  }

  private ObjectMeta metadata(String objectName) {
    String app = server().map(s -> s.name().toLowerCase(Locale.ROOT)).orElse(target().name());
    return new ObjectMetaBuilder()
        .withName(objectName)
        .withNamespace(target().namespaceOrDefault())
        .withLabels(Labels.standard(app, target().name(), COMPONENT))
        .build();
  }

  private static MetricSpec metricSpec(ScalingMetric m) {
    Quantity target = new Quantity(quantity(m.target()));
    if (m.source() == ScalingMetric.Source.EXTERNAL) {
      return new MetricSpecBuilder()
          .withType("External")
          .withNewExternal()
          .withNewMetric()
          .withName(m.metricName())
          .withNewSelector()
          .withMatchLabels(m.selector().isEmpty() ? null : m.selector())
          .endSelector()
          .endMetric()
          .withNewTarget()
          .withType("AverageValue")
          .withAverageValue(target)
          .endTarget()
          .endExternal()
          .build();
    }
    return new MetricSpecBuilder()
        .withType("Pods")
        .withNewPods()
        .withNewMetric()
        .withName(m.metricName())
        .endMetric()
        .withNewTarget()
        .withType("AverageValue")
        .withAverageValue(target)
        .endTarget()
        .endPods()
        .build();
  }

  private static HorizontalPodAutoscalerBehavior hpaBehavior(ScalingBehavior b) {
    return new HorizontalPodAutoscalerBehavior(rules(b.scaleDown()), rules(b.scaleUp()));
  }

  private static HPAScalingRules rules(ScalingRules r) {
    HPAScalingRulesBuilder b =
        new HPAScalingRulesBuilder()
            .withStabilizationWindowSeconds(r.stabilizationWindowSeconds())
            .withSelectPolicy(r.selectPolicy().apiName());
    for (ScalingPolicy p : r.policies()) {
      b.addNewPolicy()
          .withType(p.apiType())
          .withValue(p.value())
          .withPeriodSeconds(p.periodSeconds())
          .endPolicy();
    }
    return b.build();
  }

  /**
   * Formats a target as a Kubernetes quantity: whole numbers as they are, others in milli-units.
   *
   * @param value the target, at least 0.001
   * @return for example {@code 3} or {@code 800m}
   */
  static String quantity(double value) {
    BigDecimal exact = BigDecimal.valueOf(value);
    if (exact.stripTrailingZeros().scale() <= 0) {
      return exact.setScale(0, RoundingMode.UNNECESSARY).toPlainString();
    }
    return exact.movePointRight(3).setScale(0, RoundingMode.HALF_UP).toPlainString() + "m";
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableInferenceAutoscaler.Builder {
    /**
     * Sets the target to the one scalable workload of a rendered server.
     *
     * @param server the rendered server
     * @return this builder
     */
    public Builder target(RenderedSet server) {
      return target(ScaleTarget.in(server));
    }

    /**
     * Sets the behaviour by editing Kubernetes' defaults.
     *
     * @param behavior edits the behaviour
     * @return this builder
     */
    public Builder behavior(Consumer<ScalingBehavior.Builder> behavior) {
      ScalingBehavior.Builder b = ScalingBehavior.builder();
      behavior.accept(b);
      return behavior(b.build());
    }
  }
}
