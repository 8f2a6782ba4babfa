package io.github.gkeinference.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceClient;
import com.google.cloud.monitoring.v3.AlertPolicyServiceClient;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceClient;
import com.google.monitoring.v3.AlertPolicy;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.observability.monitoring.MonitoringResources;
import io.github.gkeinference.testing.monitoring.FakeCloudMonitoring;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MonitoringProvisionerTest {
  private FakeCloudMonitoring cloud;
  private AlertPolicyServiceClient alerts;
  private DashboardsServiceClient dashboards;
  private ServiceMonitoringServiceClient services;
  private MonitoringProvisioner provisioner;
  private AlertPolicy unrelated;

  @BeforeEach
  void start() {
    cloud = FakeCloudMonitoring.start();
    alerts = cloud.alertPolicyClient();
    dashboards = cloud.dashboardsClient();
    services = cloud.serviceMonitoringClient();
    provisioner = MonitoringProvisioner.of("my-project", alerts, dashboards, services);
    // a policy someone made by hand, with a label key the SDK also uses but another owner
    unrelated =
        cloud
            .alertPolicies()
            .seed(
                "my-project",
                AlertPolicy.newBuilder()
                    .setDisplayName("hand-made CPU alert")
                    .putUserLabels("managed-by", "terraform")
                    .putUserLabels("gke-inference-sdk-id", "inference-vllm-latency-p99")
                    .addConditions(AlertPolicy.Condition.newBuilder().setDisplayName("cpu"))
                    .build());
  }

  @AfterEach
  void stop() {
    alerts.close();
    dashboards.close();
    services.close();
    cloud.close();
  }

  @Test
  void firstRun_createsEverything() {
    MonitoringProvisionResult result = provisioner.apply(MonitoringResources.render(Specs.vllm()));
    // 1 dashboard + 5 alert policies + 1 service + 2 SLOs
    assertThat(result.created()).hasSize(9);
    assertThat(result.updated()).isEmpty();
    assertThat(cloud.alertPolicies().policies()).hasSize(1 + 5);
    assertThat(cloud.dashboards().dashboards()).hasSize(1);
    assertThat(cloud.serviceMonitoring().services())
        .containsOnlyKeys("projects/my-project/services/inference-vllm");
    assertThat(cloud.serviceMonitoring().serviceLevelObjectives())
        .containsOnlyKeys(
            "projects/my-project/services/inference-vllm/serviceLevelObjectives/availability",
            "projects/my-project/services/inference-vllm/serviceLevelObjectives/latency");
  }

  @Test
  void secondRun_changesNothing() {
    RenderedSet set = MonitoringResources.render(Specs.vllm());
    provisioner.apply(set);
    Map<String, AlertPolicy> before = cloud.alertPolicies().policies();
    cloud.requests().clear();

    MonitoringProvisionResult again = provisioner.apply(MonitoringResources.render(Specs.vllm()));

    assertThat(again.created()).isEmpty();
    assertThat(again.updated()).isEmpty();
    assertThat(again.unchanged()).hasSize(9);
    assertThat(cloud.requests().writes()).isEmpty();
    assertThat(cloud.alertPolicies().policies()).isEqualTo(before);
  }

  @Test
  void changedThreshold_updatesOnlyThatPolicy() {
    provisioner.apply(MonitoringResources.render(Specs.vllm()));
    cloud.requests().clear();

    MonitoringProvisionResult result =
        provisioner.apply(
            MonitoringResources.render(Specs.vllm().toBuilder().kvCacheThreshold(0.8).build()));

    assertThat(result.updated()).containsExactly("AlertPolicy inference-vllm-kv-cache-near-full");
    assertThat(result.created()).isEmpty();
    assertThat(result.unchanged()).hasSize(8);
    assertThat(cloud.requests().writes()).containsExactly("UpdateAlertPolicy");
    AlertPolicy kv =
        cloud.alertPolicies().policies().values().stream()
            .filter(
                p ->
                    p.getUserLabelsOrDefault("gke-inference-sdk-id", "")
                        .endsWith("kv-cache-near-full"))
            .findFirst()
            .orElseThrow();
    assertThat(kv.getConditions(0).getConditionPrometheusQueryLanguage().getQuery())
        .endsWith("> 0.8");
  }

  @Test
  void unrelatedPolicy_isNeverTouched() {
    provisioner.apply(MonitoringResources.render(Specs.vllm()));
    provisioner.apply(
        MonitoringResources.render(
            Specs.vllm().toBuilder().latencyObjective(java.time.Duration.ofSeconds(1)).build()));

    assertThat(cloud.alertPolicies().policies()).containsEntry(unrelated.getName(), unrelated);
    assertThat(cloud.alertPolicies().policies()).hasSize(6);
  }

  @Test
  void failedCall_namesThePolicy() {
    AlertPolicy broken =
        AlertPolicy.newBuilder()
            .setDisplayName("inference/vllm: broken policy")
            .putUserLabels("managed-by", "gke-inference-sdk")
            .putUserLabels("gke-inference-sdk-id", "broken")
            .build(); // no conditions: the service rejects it
    RenderedSet set =
        RenderedSet.builder()
            .add(CloudResource.of("monitoring.googleapis.com/v3", "AlertPolicy", "broken", broken))
            .build();
    assertThatThrownBy(() -> provisioner.apply(set))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("AlertPolicy 'inference/vllm: broken policy' (broken)");
  }
}
