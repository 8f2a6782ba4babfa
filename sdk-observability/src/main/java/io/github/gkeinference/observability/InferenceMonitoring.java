package io.github.gkeinference.observability;

import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * How one inference service is watched: its server and pods, its objectives and who is told when
 * they are missed. The scrape, dashboard, alert and SLO renderers all read this one spec, so they
 * agree on names, namespaces and thresholds.
 *
 * <pre>{@code
 * InferenceMonitoring spec = InferenceMonitoring.builder()
 *     .projectId("my-project")
 *     .server(ModelServer.VLLM)
 *     .workload(renderedServer.workload())
 *     .latencyObjective(Duration.ofSeconds(2))
 *     .addNotificationChannels("projects/my-project/notificationChannels/123")
 *     .build();
 * RenderedSet cloud = MonitoringResources.render(spec);
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableInferenceMonitoring.class)
public interface InferenceMonitoring {
  /** The default alert and SLI window: five minutes of data, as most GKE alerting examples use. */
  Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The Google Cloud project that holds the dashboards, alerts and SLOs. */
  String projectId();

  /**
   * The model server, which decides the metric names; one that exports every {@link
   * ModelServer#MONITORED_SIGNALS monitored signal} (vLLM or JetStream).
   */
  ModelServer server();

  /**
   * The vLLM release the server runs, such as {@code 0.12.0} or {@code v0.11.2}, for a workload
   * whose facts do not carry it; default the release of the workload's image ({@link
   * WorkloadFacts#vllmVersion()}, recorded by the server spec that rendered it), else the SDK's
   * default release. When the workload's facts carry a release, this must name the same one. vLLM's
   * metric names follow it (the release table, {@code core.server.VllmReleases}: {@code
   * vllm:gpu_cache_usage_perc} before v0.9.2). Ignored for other servers.
   */
  Optional<String> vllmVersion();

  /**
   * Returns the vLLM release the server runs: the one {@link #vllmVersion()} names, else the one
   * the workload's facts carry, else the SDK's default release.
   */
  default VllmRelease vllmRelease() {
    if (vllmVersion().isPresent()) {
      return VllmReleases.named(vllmVersion());
    }
    return workload()
        .vllmVersion()
        .map(VllmReleases::release)
        .orElseGet(VllmReleases::defaultRelease);
  }

  /**
   * Returns the metric of a signal as the server names it in its release ({@link #vllmRelease()}).
   *
   * @param signal the signal
   * @return the metric, or empty when the server exports none for it
   */
  default Optional<ServerMetric> serverMetric(Signal signal) {
    return server().metric(signal, vllmRelease());
  }

  /** The serving pods, as taken from the rendered server. */
  WorkloadFacts workload();

  /**
   * The Managed Prometheus job of the service's series: the PodMonitoring's name, {@code
   * <workload>-metrics}, as {@code ScrapeConfigs.modelServer} renders it.
   */
  @Value.Derived
  default String job() {
    return workload().name() + "-metrics";
  }

  /** The signal the latency objective applies to; default time to first token. */
  @Value.Default
  default Signal latencySignal() {
    return Signal.TIME_TO_FIRST_TOKEN;
  }

  /** The p99 objective of {@link #latencySignal()}; default 2 s. */
  @Value.Default
  default Duration latencyObjective() {
    return Duration.ofSeconds(2);
  }

  /** The error-rate threshold as a fraction (0.05 is 5 %); default 0.05. */
  @Value.Default
  default double errorRateThreshold() {
    return 0.05;
  }

  /**
   * The KV-cache usage threshold as a fraction, like the server's gauge (vLLM's {@code
   * vllm:kv_cache_usage_perc} runs from 0 to 1 despite its name); default 0.9.
   */
  @Value.Default
  default double kvCacheThreshold() {
    return 0.9;
  }

  /**
   * The queue length (waiting requests) above which a growing queue alerts; default 10. GKE's
   * autoscaling guidance starts HPA queue targets at 3 to 5
   * (https://cloud.google.com/kubernetes-engine/docs/best-practices/machine-learning/inference/autoscaling);
   * a queue still growing above twice the top of that range means scaling is not keeping up.
   */
  @Value.Default
  default double queueThreshold() {
    return 10;
  }

  /** How long a condition must hold before it alerts, and the SLI rate window; default 5 min. */
  @Value.Default
  default Duration window() {
    return DEFAULT_WINDOW;
  }

  /** The SLO goal for availability (non-failed requests); default 0.99. */
  @Value.Default
  default double availabilityGoal() {
    return 0.99;
  }

  /** The SLO goal for the fraction of requests under the latency objective; default 0.99. */
  @Value.Default
  default double latencyGoal() {
    return 0.99;
  }

  /** The SLO rolling period; default 28 days (Cloud Monitoring allows 1 to 30 days). */
  @Value.Default
  default Duration sloPeriod() {
    return Duration.ofDays(28);
  }

  /** The notification channels, full names {@code projects/<p>/notificationChannels/<id>}. */
  List<String> notificationChannels();

  /** The alerts to render; default every alert the server has the metrics for. */
  @Value.Default
  default Set<AlertKind> alerts() {
    Set<AlertKind> all = EnumSet.allOf(AlertKind.class);
    if (!server().hasErrorSignal()) {
      all.remove(AlertKind.ERROR_RATE);
    }
    if (serverMetric(Signal.KV_CACHE_USAGE).isEmpty()) {
      all.remove(AlertKind.KV_CACHE_NEAR_FULL);
    }
    return all;
  }

  /** A short id for resource names and labels: the workload's namespace and name. */
  @Value.Derived
  default String serviceId() {
    return workload().namespace() + "-" + workload().name();
  }

  /** Checks every field at once. */
  @Value.Check
  default void check() {
    Violations v = Violations.root("monitoring");
    v.require(
        GcpNames.PROJECT_ID.matcher(projectId()).matches(),
        "projectId",
        projectId(),
        "must be a Google Cloud project id: 6 to 30 lower-case letters, digits and '-'");
    v.require(
        server().monitored(),
        "server",
        server(),
        "has no dashboard, alert or SLO support in this SDK: it must export every signal of "
            + ModelServer.MONITORED_SIGNALS
            + " (vLLM and JetStream do; TGI and SGLang are known by their gauges only)");
    v.require(
        !server().monitored()
            || serverMetric(latencySignal())
                .map(m -> m.unit() == ServerMetric.Unit.SECONDS)
                .orElse(false),
        "latencySignal",
        latencySignal(),
        "must be a latency histogram of " + server() + ": one of " + latencySignals());
    VllmReleases.check(v, "vllmVersion", vllmVersion());
    Optional<VllmVersion> set = vllmVersion().flatMap(VllmVersion::fromImage);
    if (set.isPresent() && workload().vllmVersion().isPresent()) {
      v.require(
          set.equals(workload().vllmVersion()),
          "vllmVersion",
          vllmVersion().orElseThrow(),
          "differs from the release the workload's image runs ("
              + workload().vllmVersion().orElseThrow()
              + "); leave it unset, the workload's release is used");
    }
    v.require(
        !latencyObjective().isNegative() && !latencyObjective().isZero(),
        "latencyObjective",
        latencyObjective(),
        "must be positive");
    fraction(v, "errorRateThreshold", errorRateThreshold());
    fraction(v, "kvCacheThreshold", kvCacheThreshold());
    fraction(v, "availabilityGoal", availabilityGoal());
    fraction(v, "latencyGoal", latencyGoal());
    v.require(queueThreshold() >= 0, "queueThreshold", queueThreshold(), "must be zero or more");
    v.require(
        window().toSeconds() >= 60 && window().toSeconds() % 60 == 0,
        "window",
        window(),
        "must be a whole number of minutes, at least 1 minute");
    v.require(
        sloPeriod().toDays() >= 1 && sloPeriod().toDays() <= 30 && sloPeriod().toHours() % 24 == 0,
        "sloPeriod",
        sloPeriod(),
        "must be whole days from 1 to 30 (Cloud Monitoring rolling periods)");
    for (int i = 0; i < notificationChannels().size(); i++) {
      String c = notificationChannels().get(i);
      v.require(
          Patterns.CHANNEL.matcher(c).matches(),
          "notificationChannels[" + i + "]",
          c,
          "must be a full name projects/<project>/notificationChannels/<id>");
    }
    if (alerts().contains(AlertKind.ERROR_RATE) && !server().hasErrorSignal()) {
      v.error("alerts", AlertKind.ERROR_RATE, server() + " exports no metric of failed requests");
    }
    if (alerts().contains(AlertKind.KV_CACHE_NEAR_FULL)
        && serverMetric(Signal.KV_CACHE_USAGE).isEmpty()) {
      v.error(
          "alerts", AlertKind.KV_CACHE_NEAR_FULL, server() + " exports no KV-cache usage metric");
    }
    v.throwIfErrors();
  }

  private static void fraction(Violations v, String field, double value) {
    v.require(
        value > 0 && value < 1,
        field,
        value,
        "must be a fraction between 0 and 1 (0.05 means 5 %), not a percentage");
  }

  private List<Signal> latencySignals() {
    return server().signals().stream()
        .filter(s -> serverMetric(s).orElseThrow().unit() == ServerMetric.Unit.SECONDS)
        .toList();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableInferenceMonitoring.Builder {}

  /** Name patterns of Google Cloud resources. */
  final class Patterns {
    static final Pattern CHANNEL = Pattern.compile("projects/[^/]+/notificationChannels/[^/]+");

    private Patterns() {}
  }
}
