package io.github.gkeinference.observability.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.ServiceLevelObjective;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.observability.Specs;
import io.github.gkeinference.testing.GoldenFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitoringResourcesTest {

  @Test
  void render_vllm_givesDashboardFiveAlertsServiceAndTwoSlos() {
    RenderedSet set = MonitoringResources.render(Specs.vllm());
    assertThat(set.cloudResources())
        .extracting(CloudResource::kind)
        .containsExactly(
            "Dashboard",
            "AlertPolicy",
            "AlertPolicy",
            "AlertPolicy",
            "AlertPolicy",
            "AlertPolicy",
            "Service",
            "ServiceLevelObjective",
            "ServiceLevelObjective");
    for (CloudResource r : set.cloudResources()) {
      GoldenFiles.assertMatches(
          "monitoring/vllm/" + r.kind() + "-" + r.name().replace('/', '-') + ".json",
          ManifestYaml.toJson(r));
    }
  }

  @Test
  void alertPolicies_useTheSpecThresholdsChannelsAndOwnershipLabels() {
    List<CloudResource> policies = MonitoringResources.alertPolicies(Specs.vllm());
    AlertPolicy latency = policies.get(0).message(AlertPolicy.class);
    String query = latency.getConditions(0).getConditionPrometheusQueryLanguage().getQuery();
    assertThat(query)
        .isEqualTo(
            "histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket"
                + "{namespace=\"inference\",job=\"vllm-metrics\"}[5m]))) > 2.0");
    assertThat(latency.getNotificationChannelsList())
        .containsExactly("projects/my-project/notificationChannels/123");
    assertThat(latency.getUserLabelsMap())
        .containsEntry("managed-by", "gke-inference-sdk")
        .containsEntry("gke-inference-sdk-id", "inference-vllm-latency-p99");
    // 5 minutes, as the spec's window
    assertThat(
            latency
                .getConditions(0)
                .getConditionPrometheusQueryLanguage()
                .getDuration()
                .getSeconds())
        .isEqualTo(300);
  }

  @Test
  void jetstream_hasNoErrorOrKvCacheResources() {
    RenderedSet set = MonitoringResources.render(Specs.jetstream());
    assertThat(set.cloudResources())
        .filteredOn(r -> r.kind().equals("AlertPolicy"))
        .extracting(CloudResource::name)
        .containsExactly(
            "tpu-jetstream-latency-p99",
            "tpu-jetstream-queue-growing",
            "tpu-jetstream-pods-not-ready");
    assertThat(set.cloudResources())
        .filteredOn(r -> r.kind().equals("ServiceLevelObjective"))
        .extracting(CloudResource::name)
        .containsExactly("tpu-jetstream/latency");
    Dashboard d = set.cloudResources().get(0).message(Dashboard.class);
    assertThat(d.getMosaicLayout().getTilesList())
        .extracting(t -> t.getWidget().getTitle())
        .doesNotContain("KV cache usage");
  }

  @Test
  void latencySlo_countsRequestsUnderTheObjective() {
    ServiceLevelObjective slo =
        MonitoringResources.slos(Specs.vllm()).get(1).message(ServiceLevelObjective.class);
    var cut = slo.getServiceLevelIndicator().getRequestBased().getDistributionCut();
    assertThat(cut.getRange().getMax()).isEqualTo(2.0);
    assertThat(cut.getDistributionFilter())
        .contains("prometheus.googleapis.com/vllm:time_to_first_token_seconds/histogram");
    assertThat(slo.getGoal()).isEqualTo(0.99);
    // 28 days * 86 400 s
    assertThat(slo.getRollingPeriod().getSeconds()).isEqualTo(28L * 86_400);
  }
}
