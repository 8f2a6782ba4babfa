package io.github.gkeinference.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class InferenceMonitoringTest {

  @Test
  void defaults_pickEveryAlertTheServerHasMetricsFor() {
    assertThat(Specs.vllm().alerts()).isEqualTo(EnumSet.allOf(AlertKind.class));
    assertThat(Specs.jetstream().alerts())
        .containsExactlyInAnyOrder(
            AlertKind.LATENCY_P99, AlertKind.QUEUE_GROWING, AlertKind.PODS_NOT_READY);
    assertThat(Specs.vllm().job()).isEqualTo("vllm-metrics");
  }

  @Test
  void badInput_reportsEveryFieldAtOnce() {
    SdkValidationException e =
        assertThrows(
            SdkValidationException.class,
            () ->
                Specs.jetstream().toBuilder()
                    .projectId("X")
                    .kvCacheThreshold(90) // a percentage where a fraction is expected
                    .errorRateThreshold(5)
                    .latencySignal(Signal.QUEUE_LENGTH)
                    .addNotificationChannels("123")
                    .alerts(EnumSet.of(AlertKind.ERROR_RATE, AlertKind.KV_CACHE_NEAR_FULL))
                    .build());
    assertThat(e.errors())
        .extracting(Violation::path)
        .contains(
            "monitoring.projectId",
            "monitoring.kvCacheThreshold",
            "monitoring.errorRateThreshold",
            "monitoring.latencySignal",
            "monitoring.notificationChannels[0]",
            "monitoring.alerts");
    assertThat(e.getMessage()).contains("not a percentage").contains("no KV-cache usage metric");
  }

  @Test
  void modelServer_metricTypesFollowManagedPrometheusNaming() {
    assertThat(ModelServer.VLLM.metric(Signal.QUEUE_LENGTH).orElseThrow().cloudMonitoringType())
        .isEqualTo("prometheus.googleapis.com/vllm:num_requests_waiting/gauge");
    assertThat(
            ModelServer.VLLM.metric(Signal.TIME_TO_FIRST_TOKEN).orElseThrow().cloudMonitoringType())
        .isEqualTo("prometheus.googleapis.com/vllm:time_to_first_token_seconds/histogram");
    assertThat(ModelServer.JETSTREAM.metric(Signal.KV_CACHE_USAGE)).isEmpty();
  }
}
