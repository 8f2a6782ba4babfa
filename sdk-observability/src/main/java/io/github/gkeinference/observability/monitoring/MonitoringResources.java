package io.github.gkeinference.observability.monitoring;

import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.MosaicLayout;
import com.google.monitoring.dashboard.v1.TimeSeriesQuery;
import com.google.monitoring.dashboard.v1.Widget;
import com.google.monitoring.dashboard.v1.XyChart;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.DistributionCut;
import com.google.monitoring.v3.Range;
import com.google.monitoring.v3.RequestBasedSli;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelIndicator;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.monitoring.v3.TimeSeriesRatio;
import com.google.protobuf.BoolValue;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.observability.AlertKind;
import io.github.gkeinference.observability.InferenceMonitoring;
import io.github.gkeinference.observability.ServerMetric;
import io.github.gkeinference.observability.Signal;
import io.github.gkeinference.observability.query.MetricQuery;
import io.github.gkeinference.observability.query.MetricQueryClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the Cloud Monitoring resources of one inference service: a dashboard, one alert policy
 * per {@link AlertKind} the spec asks for, a custom Service and its availability and latency SLOs.
 *
 * <pre>{@code
 * RenderedSet cloud = MonitoringResources.render(spec);
 * String json = ManifestYaml.toJson(cloud.cloudResources().get(0));   // for GitOps
 * }</pre>
 *
 * <p>Every resource carries the user labels {@value #OWNER_LABEL}={@code gke-inference-sdk} and
 * {@value #ID_LABEL}={@code <its name>}, which the provisioner uses to find what it owns.
 */
public final class MonitoringResources {
  /** The API version of dashboards. */
  public static final String DASHBOARD_API = "monitoring.googleapis.com/v1";

  /** The API version of alert policies, services and SLOs. */
  public static final String MONITORING_API = "monitoring.googleapis.com/v3";

  /** The user label marking what the SDK owns; its value is {@link Labels#MANAGED_BY_VALUE}. */
  public static final String OWNER_LABEL = "managed-by";

  /** The user label holding the resource's stable SDK name. */
  public static final String ID_LABEL = "gke-inference-sdk-id";

  /** How often PromQL alert conditions are evaluated. */
  static final com.google.protobuf.Duration EVALUATION_INTERVAL = seconds(30);

  private MonitoringResources() {}

  /**
   * Renders the dashboard, the alert policies, the Service and its SLOs.
   *
   * @param spec the service
   * @return cloud resources in that order
   */
  public static RenderedSet render(InferenceMonitoring spec) {
    RenderedSet.Builder set = RenderedSet.builder();
    set.add(dashboard(spec));
    alertPolicies(spec).forEach(set::add);
    set.add(service(spec));
    slos(spec).forEach(set::add);
    return set.build();
  }

  /**
   * Renders the dashboard: requests per second, TTFT and time per output token p50/p90/p99, queue
   * length, running requests, KV cache usage, accelerator duty cycle and memory, replicas.
   *
   * @param spec the service
   * @return the dashboard resource, named after {@link InferenceMonitoring#serviceId()}
   */
  public static CloudResource dashboard(InferenceMonitoring spec) {
    MetricQueryClient q = MetricQueryClient.of(spec);
    List<ChartSpec> charts = new ArrayList<>();
    charts.add(new ChartSpec("Requests per second", List.of(q.requestsPerSecond())));
    for (Signal s : List.of(Signal.TIME_TO_FIRST_TOKEN, Signal.TIME_PER_OUTPUT_TOKEN)) {
      charts.add(
          new ChartSpec(
              q.latencyPercentile(s, 0.5).title().replace(" p50", "") + " (s)",
              List.of(
                  q.latencyPercentile(s, 0.5),
                  q.latencyPercentile(s, 0.9),
                  q.latencyPercentile(s, 0.99))));
    }
    charts.add(new ChartSpec("Queue length", List.of(q.queueLength())));
    charts.add(new ChartSpec("Running requests", List.of(q.runningRequests())));
    if (spec.serverMetric(Signal.KV_CACHE_USAGE).isPresent()) {
      charts.add(new ChartSpec("KV cache usage", List.of(q.kvCacheUsage())));
    }
    charts.add(new ChartSpec("Accelerator duty cycle (%)", List.of(q.acceleratorDutyCycle())));
    charts.add(new ChartSpec("Accelerator memory used", List.of(q.acceleratorMemoryUsed())));
    charts.add(new ChartSpec("Available replicas", List.of(q.availableReplicas())));

    MosaicLayout.Builder layout = MosaicLayout.newBuilder().setColumns(48);
    for (int i = 0; i < charts.size(); i++) {
      ChartSpec c = charts.get(i);
      XyChart.Builder chart = XyChart.newBuilder();
      for (MetricQuery m : c.queries()) {
        chart.addDataSets(
            XyChart.DataSet.newBuilder()
                .setLegendTemplate(m.title())
                .setPlotType(XyChart.DataSet.PlotType.LINE)
                .setTimeSeriesQuery(TimeSeriesQuery.newBuilder().setPrometheusQuery(m.promQl())));
      }
      layout.addTiles(
          MosaicLayout.Tile.newBuilder()
              .setXPos((i % 2) * 24)
              .setYPos((i / 2) * 16)
              .setWidth(24)
              .setHeight(16)
              .setWidget(Widget.newBuilder().setTitle(c.title()).setXyChart(chart)));
    }
    String name = spec.serviceId();
    Dashboard dashboard =
        Dashboard.newBuilder()
            .setDisplayName(
                "Inference: " + spec.workload().namespace() + "/" + spec.workload().name())
            .setMosaicLayout(layout)
            .putAllLabels(labels(name))
            .build();
    return CloudResource.of(DASHBOARD_API, "Dashboard", name, dashboard);
  }

  /**
   * Renders one alert policy per alert kind of the spec, each a PromQL condition that must hold for
   * the spec's window, notifying the spec's channels.
   *
   * @param spec the service
   * @return the alert policy resources, named {@code <serviceId>-<kind>}
   */
  public static List<CloudResource> alertPolicies(InferenceMonitoring spec) {
    MetricQueryClient q = MetricQueryClient.of(spec);
    String who = spec.workload().namespace() + "/" + spec.workload().name();
    List<CloudResource> out = new ArrayList<>();
    for (AlertKind kind : spec.alerts()) {
      String query;
      String summary;
      switch (kind) {
        case LATENCY_P99 -> {
          double objective = spec.latencyObjective().toMillis() / 1000.0;
          query = q.latencyPercentile(spec.latencySignal(), 0.99).promQl() + " > " + objective;
          summary =
              "p99 "
                  + spec.latencySignal().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                  + " above "
                  + objective
                  + " s";
        }
        case ERROR_RATE -> {
          query = "(" + q.errorRatio().promQl() + ") > " + spec.errorRateThreshold();
          summary = "error rate above " + spec.errorRateThreshold();
        }
        case KV_CACHE_NEAR_FULL -> {
          query = q.kvCacheUsage().promQl() + " > " + spec.kvCacheThreshold();
          summary = "KV cache usage above " + spec.kvCacheThreshold();
        }
        case QUEUE_GROWING -> {
          String queue = q.queueLength().promQl();
          query =
              queue
                  + " > "
                  + spec.queueThreshold()
                  + " and deriv(("
                  + queue
                  + ")["
                  + spec.window().toMinutes()
                  + "m:1m]) > 0";
          summary = "queue above " + spec.queueThreshold() + " and growing";
        }
        case PODS_NOT_READY -> {
          query = q.replicasNotReady().promQl() + " > 0";
          summary = "serving pods not ready";
        }
        default -> throw new IllegalStateException(kind.name());
      }
      String name = spec.serviceId() + "-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
      AlertPolicy policy =
          AlertPolicy.newBuilder()
              .setDisplayName(who + ": " + summary)
              .setCombiner(AlertPolicy.ConditionCombinerType.OR)
              .setEnabled(BoolValue.of(true))
              .setSeverity(
                  kind == AlertKind.PODS_NOT_READY || kind == AlertKind.ERROR_RATE
                      ? AlertPolicy.Severity.ERROR
                      : AlertPolicy.Severity.WARNING)
              .setDocumentation(
                  AlertPolicy.Documentation.newBuilder()
                      .setMimeType("text/markdown")
                      .setContent(
                          "Inference service `"
                              + who
                              + "` ("
                              + spec.server()
                              + "): "
                              + summary
                              + " for "
                              + spec.window().toMinutes()
                              + " minutes.\n\nQuery: `"
                              + query
                              + "`"))
              .addConditions(
                  AlertPolicy.Condition.newBuilder()
                      .setDisplayName(summary)
                      .setConditionPrometheusQueryLanguage(
                          AlertPolicy.Condition.PrometheusQueryLanguageCondition.newBuilder()
                              .setQuery(query)
                              .setDuration(seconds(spec.window().toSeconds()))
                              .setEvaluationInterval(EVALUATION_INTERVAL)))
              .addAllNotificationChannels(spec.notificationChannels())
              .putAllUserLabels(labels(name))
              .build();
      out.add(CloudResource.of(MONITORING_API, "AlertPolicy", name, policy));
    }
    return out;
  }

  /**
   * Renders the custom Service the SLOs hang on; its id is {@link InferenceMonitoring#serviceId()}.
   *
   * @param spec the service
   * @return the Service resource
   */
  public static CloudResource service(InferenceMonitoring spec) {
    Service service =
        Service.newBuilder()
            .setDisplayName(
                "Inference " + spec.workload().namespace() + "/" + spec.workload().name())
            .setCustom(Service.Custom.getDefaultInstance())
            .putAllUserLabels(labels(spec.serviceId()))
            .build();
    return CloudResource.of(MONITORING_API, "Service", spec.serviceId(), service);
  }

  /**
   * Renders the request-based SLOs: availability (requests not failed over all finished requests,
   * servers with an error signal) and latency (requests whose latency signal is under the
   * objective). Each resource is named {@code <serviceId>/<slo id>}.
   *
   * @param spec the service
   * @return the SLO resources
   */
  public static List<CloudResource> slos(InferenceMonitoring spec) {
    List<CloudResource> out = new ArrayList<>();
    com.google.protobuf.Duration period = seconds(spec.sloPeriod().toSeconds());
    String base =
        "resource.type=\"prometheus_target\" resource.labels.namespace=\""
            + spec.workload().namespace()
            + "\" resource.labels.job=\""
            + spec.job()
            + "\"";
    if (spec.server().hasErrorSignal()) {
      ServerMetric finished = spec.serverMetric(Signal.FINISHED_REQUESTS).orElseThrow();
      String total = "metric.type=\"" + finished.cloudMonitoringType() + "\" " + base;
      String label = spec.server().outcomeLabel().orElseThrow();
      String bad =
          total
              + " metric.labels."
              + label
              + "=one_of("
              + spec.server().failureOutcomes().stream()
                  .sorted()
                  .map(s -> "\"" + s + "\"")
                  .collect(Collectors.joining(","))
              + ")";
      ServiceLevelObjective availability =
          ServiceLevelObjective.newBuilder()
              .setDisplayName(percent(spec.availabilityGoal()) + " of requests succeed")
              .setGoal(spec.availabilityGoal())
              .setRollingPeriod(period)
              .setServiceLevelIndicator(
                  ServiceLevelIndicator.newBuilder()
                      .setRequestBased(
                          RequestBasedSli.newBuilder()
                              .setGoodTotalRatio(
                                  TimeSeriesRatio.newBuilder()
                                      .setBadServiceFilter(bad)
                                      .setTotalServiceFilter(total))))
              .putAllUserLabels(labels(spec.serviceId() + "-availability"))
              .build();
      out.add(
          CloudResource.of(
              MONITORING_API,
              "ServiceLevelObjective",
              spec.serviceId() + "/availability",
              availability));
    }
    ServerMetric latency = spec.serverMetric(spec.latencySignal()).orElseThrow();
    double objective = spec.latencyObjective().toMillis() / 1000.0;
    ServiceLevelObjective latencySlo =
        ServiceLevelObjective.newBuilder()
            .setDisplayName(
                percent(spec.latencyGoal())
                    + " of requests: "
                    + spec.latencySignal().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " under "
                    + objective
                    + " s")
            .setGoal(spec.latencyGoal())
            .setRollingPeriod(period)
            .setServiceLevelIndicator(
                ServiceLevelIndicator.newBuilder()
                    .setRequestBased(
                        RequestBasedSli.newBuilder()
                            .setDistributionCut(
                                DistributionCut.newBuilder()
                                    .setDistributionFilter(
                                        "metric.type=\""
                                            + latency.cloudMonitoringType()
                                            + "\" "
                                            + base)
                                    .setRange(Range.newBuilder().setMin(0).setMax(objective)))))
            .putAllUserLabels(labels(spec.serviceId() + "-latency"))
            .build();
    out.add(
        CloudResource.of(
            MONITORING_API, "ServiceLevelObjective", spec.serviceId() + "/latency", latencySlo));
    return out;
  }

  /** Returns the ownership labels of a resource. */
  static Map<String, String> labels(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(OWNER_LABEL, Labels.MANAGED_BY_VALUE);
    labels.put(ID_LABEL, name);
    return labels;
  }

  private static String percent(double fraction) {
    double p = fraction * 100;
    return (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + " %";
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }

  private record ChartSpec(String title, List<MetricQuery> queries) {}
}
