package io.github.gkeinference.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.gkeinference.autoscaling.adapter.CustomMetricsAdapter;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceAutoscalerTest {

  @Test
  void render_vllmQueueOnDeployment_matchesGoldenAndSchema() {
    RenderedSet set =
        InferenceAutoscaler.builder()
            .target(Fixtures.deploymentServer("llama-3-1-8b", "vllm"))
            .maxReplicas(8)
            .addMetrics(ScalingMetric.vllmQueue())
            .build()
            .render();

    HorizontalPodAutoscaler hpa = set.kubernetesObjects(HorizontalPodAutoscaler.class).get(0);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getMetrics().get(0).getPods().getMetric().getName())
        .isEqualTo("prometheus.googleapis.com|vllm:num_requests_waiting|gauge");
    SchemaValidator.forTests().assertValid(hpa);
    GoldenFiles.assertMatches("hpa/vllm-deployment.yaml", ManifestYaml.toYaml(set));
  }

  @Test
  void render_vllmOnLeaderWorkerSet_targetsTheLwsAndMatchesGolden() {
    InferenceAutoscaler autoscaler =
        InferenceAutoscaler.builder()
            .target(Fixtures.leaderWorkerSetServer("llama-3-1-405b"))
            .minReplicas(1)
            .maxReplicas(4)
            .addMetrics(ScalingMetric.vllmQueue(5), ScalingMetric.vllmBatchBelow(256))
            .build();

    HorizontalPodAutoscaler hpa = autoscaler.horizontalPodAutoscaler();

    assertThat(autoscaler.server()).contains(ModelServer.VLLM);
    assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion())
        .isEqualTo("leaderworkerset.x-k8s.io/v1");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("LeaderWorkerSet");
    // 256 * 0.9 = 230.4, floored to 230 running requests per replica
    assertThat(hpa.getSpec().getMetrics().get(1).getPods().getTarget().getAverageValue())
        .hasToString("230");
    SchemaValidator.forTests().assertValid(hpa);
    GoldenFiles.assertMatches("hpa/vllm-lws.yaml", ManifestYaml.toYaml(hpa));
  }

  @Test
  void render_jetstream_matchesGoldenAndSchema() {
    HorizontalPodAutoscaler hpa =
        InferenceAutoscaler.builder()
            .target(Fixtures.deploymentServer("gemma-7b-tpu", "jetstream"))
            .maxReplicas(6)
            .addMetrics(
                ScalingMetric.jetstreamPrefillBacklog(),
                ScalingMetric.jetstreamSlotsUsed(ScalingMetric.DEFAULT_FRACTION_TARGET))
            .build()
            .horizontalPodAutoscaler();

    assertThat(hpa.getSpec().getMetrics().get(1).getPods().getTarget().getAverageValue())
        .hasToString("800m");
    SchemaValidator.forTests().assertValid(hpa);
    GoldenFiles.assertMatches("hpa/jetstream.yaml", ManifestYaml.toYaml(hpa));
  }

  @Test
  void render_pubsubBacklog_isAnExternalMetricSelectedBySubscription() {
    HorizontalPodAutoscaler hpa =
        InferenceAutoscaler.builder()
            .target(Fixtures.deploymentServer("batch-worker", "vllm"))
            .minReplicas(1)
            .maxReplicas(10)
            .addMetrics(ScalingMetric.pubsubBacklog("prompts-sub", 10))
            .build()
            .horizontalPodAutoscaler();

    var external = hpa.getSpec().getMetrics().get(0).getExternal();
    assertThat(hpa.getSpec().getMetrics().get(0).getType()).isEqualTo("External");
    assertThat(external.getMetric().getName())
        .isEqualTo("pubsub.googleapis.com|subscription|num_undelivered_messages");
    assertThat(external.getMetric().getSelector().getMatchLabels())
        .containsEntry("resource.labels.subscription_id", "prompts-sub");
    SchemaValidator.forTests().assertValid(hpa);
    GoldenFiles.assertMatches("hpa/pubsub.yaml", ManifestYaml.toYaml(hpa));
  }

  @Test
  void render_defaultBehavior_isKubernetesDefaultsSpelledOut() {
    var behavior =
        InferenceAutoscaler.builder()
            .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
            .maxReplicas(2)
            .addMetrics(ScalingMetric.vllmQueue())
            .build()
            .horizontalPodAutoscaler()
            .getSpec()
            .getBehavior();

    assertThat(behavior.getScaleUp().getStabilizationWindowSeconds()).isZero();
    assertThat(behavior.getScaleUp().getPolicies())
        .extracting(p -> p.getType() + ":" + p.getValue() + "/" + p.getPeriodSeconds())
        .containsExactly("Pods:4/15", "Percent:100/15");
    assertThat(behavior.getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
    assertThat(behavior.getScaleDown().getPolicies())
        .extracting(p -> p.getType() + ":" + p.getValue() + "/" + p.getPeriodSeconds())
        .containsExactly("Percent:100/15");
  }

  @Test
  void behavior_editedScaleDown_keepsTheDefaultPolicies() {
    var scaleDown =
        InferenceAutoscaler.builder()
            .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
            .maxReplicas(2)
            .addMetrics(ScalingMetric.vllmQueue())
            .behavior(b -> b.scaleDown(r -> r.stabilizationWindowSeconds(600)))
            .build()
            .horizontalPodAutoscaler()
            .getSpec()
            .getBehavior()
            .getScaleDown();
    assertThat(scaleDown.getStabilizationWindowSeconds()).isEqualTo(600);
    assertThat(scaleDown.getPolicies()).hasSize(1);
  }

  @Test
  void render_withMetricsAdapter_addsTheAdapterBeforeTheHpa() {
    RenderedSet set =
        InferenceAutoscaler.builder()
            .target(Fixtures.deploymentServer("m", "vllm"))
            .maxReplicas(2)
            .addMetrics(ScalingMetric.vllmQueue())
            .metricsAdapter(CustomMetricsAdapter.defaults())
            .build()
            .render();

    assertThat(set.resources())
        .last()
        .satisfies(r -> assertThat(r.kind()).isEqualTo("HorizontalPodAutoscaler"));
    assertThat(set.kubernetesResources())
        .anySatisfy(r -> assertThat(r.kind()).isEqualTo("APIService"));
  }

  @Test
  void renderForServer_vllmWithoutMonitoring_addsASchemaValidPodMonitoring() {
    RenderedSet server = Fixtures.deploymentServer("llama-3-1-8b", "vllm");
    RenderedSet set =
        InferenceAutoscaler.builder()
            .target(server)
            .maxReplicas(8)
            .addMetrics(ScalingMetric.vllmQueue())
            .build()
            .render(server);

    assertThat(set.kubernetesResources())
        .extracting(r -> r.kind())
        .containsExactly("HorizontalPodAutoscaler", "PodMonitoring");
    set.kubernetesObjects().forEach(SchemaValidator.forTests()::assertValid);
    GoldenFiles.assertMatches("hpa/vllm-deployment-with-monitoring.yaml", ManifestYaml.toYaml(set));
  }

  @Test
  void renderForServer_alreadyMonitoredOrWithoutPreset_addsNoPodMonitoring() {
    RenderedSet server = Fixtures.deploymentServer("llama-3-1-8b", "vllm");
    InferenceAutoscaler vllm =
        InferenceAutoscaler.builder()
            .target(server)
            .maxReplicas(8)
            .addMetrics(ScalingMetric.vllmQueue())
            .build();
    RenderedSet monitored = server.plus(vllm.render(server));
    assertThat(vllm.render(monitored).kubernetesResources())
        .extracting(r -> r.kind())
        .containsExactly("HorizontalPodAutoscaler");

    RenderedSet tgiServer = Fixtures.deploymentServer("tgi", "tgi");
    InferenceAutoscaler tgi =
        InferenceAutoscaler.builder()
            .target(tgiServer)
            .maxReplicas(8)
            .addMetrics(ScalingMetric.tgiQueue(5))
            .build();
    assertThat(tgi.render(tgiServer).kubernetesResources())
        .extracting(r -> r.kind())
        .containsExactly("HorizontalPodAutoscaler");
  }

  @Test
  void build_withEveryKindOfBadInput_listsEveryPath() {
    assertThatThrownBy(
            () ->
                InferenceAutoscaler.builder()
                    .target(ScaleTarget.of("apps/v1", "DaemonSet", "ds", null))
                    .modelServer(ModelServer.VLLM)
                    .minReplicas(5)
                    .maxReplicas(2)
                    .addMetrics(ScalingMetric.tgiQueue(3))
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .extracting(
            e -> ((SdkValidationException) e).errors().stream().map(Violation::path).toList())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrder("target.kind", "maxReplicas", "metrics[0].metricName");
  }

  @Test
  void build_withMetricTheServerDoesNotExport_namesTheMetric() {
    assertThatThrownBy(
            () ->
                InferenceAutoscaler.builder()
                    .target(Fixtures.deploymentServer("s", "sglang"))
                    .maxReplicas(2)
                    .addMetrics(ScalingMetric.sglangQueue(3), ScalingMetric.vllmBatch(10))
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("metrics[1].metricName")
        .hasMessageContaining("SGLANG does not export");
  }

  @Test
  void build_withGpuSignalsOnly_isRejectedWithTheReason() {
    assertThatThrownBy(
            () ->
                InferenceAutoscaler.builder()
                    .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
                    .maxReplicas(2)
                    .addMetrics(
                        ScalingMetric.prometheusGauge("DCGM_FI_DEV_GPU_UTIL", 80),
                        ScalingMetric.prometheusGauge("DCGM_FI_DEV_FB_USED", 20000))
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("metrics")
        .hasMessageContaining("preallocate");
  }

  @Test
  void build_withGpuSignalBesideQueue_isAccepted() {
    InferenceAutoscaler a =
        InferenceAutoscaler.builder()
            .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
            .maxReplicas(2)
            .addMetrics(
                ScalingMetric.vllmQueue(),
                ScalingMetric.prometheusGauge("DCGM_FI_DEV_GPU_UTIL", 80))
            .build();
    assertThat(a.metrics()).hasSize(2);
  }

  @Test
  void build_withMinReplicasZero_pointsToKeda() {
    assertThatThrownBy(
            () ->
                InferenceAutoscaler.builder()
                    .target(ScaleTarget.of("apps/v1", "Deployment", "m", null))
                    .minReplicas(0)
                    .maxReplicas(2)
                    .addMetrics(ScalingMetric.vllmQueue())
                    .build())
        .hasMessageContaining("minReplicas")
        .hasMessageContaining("scaleToZero");
  }

  @Test
  void metric_withTargetZeroOrBelow_isRejected() {
    assertThatThrownBy(() -> ScalingMetric.vllmQueue(0))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("metric.target");
    assertThatThrownBy(() -> ScalingMetric.vllmQueue(-2)).hasMessageContaining("metric.target");
  }

  @Test
  void vllmKvCache_picksTheNameTheVersionExports() {
    assertThat(ScalingMetric.vllmKvCache("0.9.1", 0.8).prometheusName())
        .contains("vllm:gpu_cache_usage_perc");
    assertThat(ScalingMetric.vllmKvCache("v0.9.2", 0.8).prometheusName())
        .contains("vllm:kv_cache_usage_perc");
    assertThat(ScalingMetric.vllmKvCache("0.12.0", 0.8).prometheusName())
        .contains("vllm:kv_cache_usage_perc");
    assertThat(ScalingMetric.vllmKvCache(0.8).metricName())
        .isEqualTo("prometheus.googleapis.com|vllm:kv_cache_usage_perc|gauge");
  }

  @Test
  void presets_nameGaugesTheirServerExports() {
    List<ScalingMetric> presets =
        List.of(
            ScalingMetric.vllmQueue(),
            ScalingMetric.vllmBatch(10),
            ScalingMetric.vllmKvCache(0.8),
            ScalingMetric.vllmKvCache("0.8.5", 0.8),
            ScalingMetric.jetstreamPrefillBacklog(),
            ScalingMetric.jetstreamSlotsUsed(0.8),
            ScalingMetric.tgiQueue(3),
            ScalingMetric.tgiBatch(10),
            ScalingMetric.sglangQueue(3),
            ScalingMetric.sglangBatch(10),
            ScalingMetric.sglangTokenUsage(0.8));
    for (ScalingMetric m : presets) {
      String name = m.prometheusName().orElseThrow();
      assertThat(m.server().orElseThrow().exports(name)).as(name).isTrue();
      assertThat(m.metricName()).isEqualTo("prometheus.googleapis.com|" + name + "|gauge");
    }
    assertThat(presets)
        .extracting(m -> m.prometheusName().orElseThrow())
        .containsExactly(
            "vllm:num_requests_waiting",
            "vllm:num_requests_running",
            "vllm:kv_cache_usage_perc",
            "vllm:gpu_cache_usage_perc",
            "jetstream_prefill_backlog_size",
            "jetstream_slots_used_percentage",
            "tgi_queue_size",
            "tgi_batch_current_size",
            "sglang:num_queue_reqs",
            "sglang:num_running_reqs",
            "sglang:token_usage");
  }

  @Test
  void quantity_wholeAndFractionalTargets() {
    assertThat(InferenceAutoscaler.quantity(3)).isEqualTo("3");
    assertThat(InferenceAutoscaler.quantity(0.8)).isEqualTo("800m");
    assertThat(InferenceAutoscaler.quantity(2.5)).isEqualTo("2500m");
    assertThat(InferenceAutoscaler.quantity(0.001)).isEqualTo("1m");
  }

  @Test
  void scaleTarget_inSetWithoutWorkload_isRejected() {
    RenderedSet onlyService =
        RenderedSet.of(
            new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("svc")
                .endMetadata()
                .build());
    assertThatThrownBy(() -> ScaleTarget.in(onlyService))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("target");
  }
}
