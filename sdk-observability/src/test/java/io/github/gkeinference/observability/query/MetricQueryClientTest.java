package io.github.gkeinference.observability.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.Metric;
import com.google.api.MonitoredResource;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.monitoring.v3.Point;
import com.google.monitoring.v3.ProjectName;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import com.google.monitoring.v3.TypedValue;
import com.google.protobuf.Timestamp;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.observability.Signal;
import io.github.gkeinference.observability.Specs;
import io.github.gkeinference.testing.monitoring.FakeCloudMonitoring;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricQueryClientTest {

  @Test
  void promQl_isScopedToTheServiceJob() {
    MetricQueryClient q = MetricQueryClient.of(Specs.vllm());
    assertThat(q.requestsPerSecond().promQl())
        .isEqualTo(
            "sum(rate(vllm:request_success_total{namespace=\"inference\",job=\"vllm-metrics\"}[5m]))");
    assertThat(q.latencyPercentile(Signal.TIME_PER_OUTPUT_TOKEN, 0.9).promQl())
        .isEqualTo(
            "histogram_quantile(0.9, sum by (le) (rate(vllm:inter_token_latency_seconds_bucket"
                + "{namespace=\"inference\",job=\"vllm-metrics\"}[5m])))");
    assertThat(q.errorRatio().promQl()).contains("finished_reason=~\"abort|error\"");
    assertThat(q.acceleratorDutyCycle().promQl())
        .startsWith("avg(kubernetes_io:container_accelerator_duty_cycle{");
  }

  @Test
  void unknownMetricForServer_isRejected() {
    MetricQueryClient q = MetricQueryClient.of(Specs.jetstream());
    assertThatThrownBy(q::kvCacheUsage)
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("JETSTREAM exports no metric");
    assertThatThrownBy(() -> q.latencyPercentile(Signal.QUEUE_LENGTH, 0.5))
        .isInstanceOf(SdkValidationException.class);
  }

  @Test
  void run_readsTheSeriesThroughTheRealClient() {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    try (FakeCloudMonitoring cloud = FakeCloudMonitoring.start();
        MetricServiceClient client = cloud.metricClient()) {
      TimeSeries kv =
          TimeSeries.newBuilder()
              .setMetric(
                  Metric.newBuilder()
                      .setType("prometheus.googleapis.com/vllm:kv_cache_usage_perc/gauge"))
              .setResource(MonitoredResource.newBuilder().setType("prometheus_target"))
              .addPoints(
                  Point.newBuilder()
                      .setInterval(
                          TimeInterval.newBuilder()
                              .setEndTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond())))
                      .setValue(TypedValue.newBuilder().setDoubleValue(0.42)))
              .build();
      client.createTimeSeries(ProjectName.of("my-project"), List.of(kv));

      MetricQueryClient q = MetricQueryClient.of(Specs.vllm());
      List<TimeSeries> series =
          q.run(
              client, q.kvCacheUsage(), now.minus(Duration.ofHours(1)), now, Duration.ofMinutes(1));

      assertThat(series).hasSize(1);
      assertThat(series.get(0).getPoints(0).getValue().getDoubleValue()).isEqualTo(0.42);
      assertThat(cloud.metrics().lastListRequest().getFilter())
          .contains("resource.labels.namespace=\"inference\"")
          .contains("resource.labels.job=\"vllm-metrics\"");
      assertThat(cloud.metrics().lastListRequest().getName()).isEqualTo("projects/my-project");
    }
  }

  @Test
  void request_counterIsAlignedAsARate_gaugeAsAMean() {
    MetricQueryClient q = MetricQueryClient.of(Specs.vllm());
    Instant end = Instant.parse("2026-11-27T10:00:00Z");
    Instant start = end.minus(Duration.ofMinutes(10));

    assertThat(
            q.request(q.requestsPerSecond(), start, end, Duration.ofMinutes(1))
                .getAggregation()
                .getPerSeriesAligner())
        .isEqualTo(com.google.monitoring.v3.Aggregation.Aligner.ALIGN_RATE);
    assertThat(
            q.request(q.kvCacheUsage(), start, end, Duration.ofMinutes(1))
                .getAggregation()
                .getPerSeriesAligner())
        .isEqualTo(com.google.monitoring.v3.Aggregation.Aligner.ALIGN_MEAN);
  }
}
