package io.github.gkeinference.serving.gateway.epp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointPickerConfigTest {
  private static List<String> paths(Runnable build) {
    SdkValidationException e = catchThrowableOfType(SdkValidationException.class, build::run);
    assertThat(e).as("build must fail").isNotNull();
    return e.violations().stream().map(Violation::path).toList();
  }

  @Test
  void scorers_chartDefaults_renderTheChartsDocumentedFile() {
    // the GIE chart's documented profile: prefix cache 3, queue 2, KV utilization 2, then the
    // max-score picker, which takes no weight
    String expected =
        """
        apiVersion: inference.networking.x-k8s.io/v1alpha1
        kind: EndpointPickerConfig
        plugins:
        - type: prefix-cache-scorer
        - type: queue-scorer
        - type: kv-cache-utilization-scorer
        - type: max-score-picker
        schedulingProfiles:
        - name: default
          plugins:
          - pluginRef: prefix-cache-scorer
            weight: 3
          - pluginRef: queue-scorer
            weight: 2
          - pluginRef: kv-cache-utilization-scorer
            weight: 2
          - pluginRef: max-score-picker
        """;
    assertThat(EndpointPickerConfig.scorers(3, 2, 2).toYaml()).isEqualTo(expected);
  }

  @Test
  void scorers_zeroWeight_leavesTheScorerOut() {
    EndpointPickerConfig c = EndpointPickerConfig.scorers(0, 1, 0);
    assertThat(c.plugins())
        .extracting(EppPlugin::type)
        .containsExactly("queue-scorer", "max-score-picker");
  }

  @Test
  void toYaml_llmdGroup_writesItsApiVersion() {
    String yaml =
        EndpointPickerConfig.scorers(1, 1, 1).toBuilder()
            .apiGroup(EppApiGroup.LLM_D)
            .build()
            .toYaml();
    assertThat(yaml).startsWith("apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\n");
  }

  @Test
  void toYaml_namedInstanceAndParameters_writesNameAndNestedParameters() {
    EndpointPickerConfig c =
        EndpointPickerConfig.builder()
            .addPlugin(
                EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER, Map.of("maxNumOfEndpoints", 2))
                    .named("two"))
            .build();
    assertThat(c.toYaml())
        .contains(
            "- type: max-score-picker\n  name: two\n  parameters:\n    maxNumOfEndpoints: 2\n");
  }

  @Test
  void toYaml_flowControl_turnsOnTheFeatureGateAndWritesTheBands() {
    EndpointPickerConfig c =
        EndpointPickerConfig.scorers(0, 1, 0).toBuilder()
            .flowControl(
                FlowControl.of(
                    FlowControl.PriorityBand.of(10, "round-robin-fairness-policy"),
                    new FlowControl.PriorityBand(
                        0, 500, "global-strict-fairness-policy", "edf-ordering-policy")))
            .build();
    assertThat(c.toYaml())
        .contains("featureGates:\n- flowControl\n")
        .endsWith(
            """
            flowControl:
              priorityBands:
              - priority: 10
                fairnessPolicyRef: round-robin-fairness-policy
                orderingPolicyRef: fcfs-ordering-policy
              - priority: 0
                maxRequests: 500
                fairnessPolicyRef: global-strict-fairness-policy
                orderingPolicyRef: edf-ordering-policy
            """);
  }

  @Test
  void build_profileReferencingAnUndefinedPlugin_isOneViolationAtTheReference() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.builder()
                    .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
                    .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
                    .addSchedulingProfile(
                        SchedulingProfile.of(
                            "default",
                            SchedulingProfile.Entry.weighted("queue-scorer", 1),
                            SchedulingProfile.Entry.weighted("kv-cache-utilization-scorer", 1),
                            SchedulingProfile.Entry.of("max-score-picker")))
                    .build());
    assertThat(paths).containsExactly("schedulingProfiles[0].plugins[1].pluginRef");
  }

  @Test
  void build_severalPickersWithoutProfiles_isOneViolationAtTheProfiles() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.builder()
                    .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
                    .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
                    .addPlugin(EppPlugin.of(KnownPlugin.RANDOM_PICKER))
                    .build());
    assertThat(paths).containsExactly("schedulingProfiles");
  }

  @Test
  void build_severalPickersWithOneProfileEach_isValid() {
    EndpointPickerConfig c =
        EndpointPickerConfig.builder()
            .addPlugin(EppPlugin.of(KnownPlugin.SINGLE_PROFILE_HANDLER))
            .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
            .addPlugin(EppPlugin.of(KnownPlugin.RANDOM_PICKER))
            .addSchedulingProfile(
                SchedulingProfile.of("a", SchedulingProfile.Entry.of("max-score-picker")))
            .addSchedulingProfile(
                SchedulingProfile.of("b", SchedulingProfile.Entry.of("random-picker")))
            .build();
    assertThat(c.schedulingProfiles()).hasSize(2);
  }

  @Test
  void build_twoPickersInOneProfile_isOneViolationAtTheProfile() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.builder()
                    .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
                    .addPlugin(EppPlugin.of(KnownPlugin.RANDOM_PICKER))
                    .addSchedulingProfile(
                        SchedulingProfile.of(
                            "default",
                            SchedulingProfile.Entry.of("max-score-picker"),
                            SchedulingProfile.Entry.of("random-picker")))
                    .build());
    assertThat(paths).containsExactly("schedulingProfiles[0].plugins");
  }

  @Test
  void build_severalProfilesWithoutAHandler_isOneViolationAtThePlugins() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.builder()
                    .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
                    .addSchedulingProfile(
                        SchedulingProfile.of("a", SchedulingProfile.Entry.of("max-score-picker")))
                    .addSchedulingProfile(
                        SchedulingProfile.of("b", SchedulingProfile.Entry.of("max-score-picker")))
                    .build());
    assertThat(paths).containsExactly("plugins");
  }

  @Test
  void build_scorerWithoutItsDataProducer_isOneViolationAtTheScorer() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.builder()
                    .addPlugin(EppPlugin.of(KnownPlugin.LATENCY_SCORER))
                    .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
                    .build());
    assertThat(paths).containsExactly("plugins[0].type");
  }

  @Test
  void build_scorerWithItsDataProducer_isValid() {
    EndpointPickerConfig c =
        EndpointPickerConfig.builder()
            .addPlugin(EppPlugin.of(KnownPlugin.PREDICTED_LATENCY_PRODUCER))
            .addPlugin(EppPlugin.of(KnownPlugin.LATENCY_SCORER))
            .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
            .build();
    assertThat(c.plugins()).hasSize(3);
  }

  @Test
  void build_bandNamingAnUnknownPolicy_isOneViolationAtTheBand() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.scorers(0, 1, 0).toBuilder()
                    .flowControl(FlowControl.of(FlowControl.PriorityBand.of(1, "lottery-policy")))
                    .build());
    assertThat(paths).containsExactly("flowControl.priorityBands[0].fairnessPolicyRef");
  }

  @Test
  void build_dataSourceNamingNoPlugin_isOneViolation() {
    List<String> paths =
        paths(
            () ->
                EndpointPickerConfig.scorers(0, 1, 0).toBuilder()
                    .addDataSource(DataSource.of("metrics-data-source"))
                    .build());
    assertThat(paths).containsExactly("dataSources[0].pluginRef");
  }

  @Test
  void precisePrefix_rendersTheScorerWiredToTheServersEventsAndHashing() {
    EndpointPickerConfig c =
        EndpointPickerConfig.precisePrefix(
            PrecisePrefixRouting.builder().modelName("meta-llama/Llama-3.1-8B-Instruct").build());
    assertThat(c.toYaml())
        .contains(
            """
            - type: precise-prefix-cache-scorer
              parameters:
                tokenProcessorConfig:
                  blockSize: 64
                  hashSeed: "42"
                indexerConfig:
                  tokenizersPoolConfig:
                    modelName: meta-llama/Llama-3.1-8B-Instruct
                kvEventsConfig:
                  topicFilter: kv@
                  discoverPods: true
                  podDiscoveryConfig:
                    socketPort: 5557
            """)
        .contains(
            """
            dataLayer:
              sources:
              - pluginRef: metrics-data-source
                extractors:
                - pluginRef: core-metrics-extractor
              - pluginRef: endpoint-notification-source
                extractors:
                - pluginRef: precise-prefix-cache-scorer
            """);
  }

  @Test
  void kvEventsConfigJson_publishesOverZmqOnTheSharedPortAndTopic() {
    PrecisePrefixRouting r =
        PrecisePrefixRouting.builder().modelName("m").kvEventsPort(5556).build();
    assertThat(r.kvEventsConfigJson())
        .isEqualTo(
            "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\","
                + "\"endpoint\":\"tcp://*:5556\",\"topic\":\"kv@$(POD_IP)@m\"}");
  }
}
