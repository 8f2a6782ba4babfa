package io.github.gkeinference.serving.gateway.epp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint picker's typed configuration read from spec files, as the picker's file reads. */
class EppSpecFileTest {
  private static final String GATEWAY =
      """
      kind: InferenceGateway
      spec:
        name: llama
        namespace: inference
        pools:
          - name: llama
            matchLabels: {app: llama}
            epp:
              plugins:
      PLUGINS
              schedulingProfiles:
                - name: default
                  plugins:
                    - {pluginRef: queue-scorer, weight: 2}
                    - {pluginRef: kv-cache-utilization-scorer, weight: 1}
                    - {pluginRef: picker, weight: 1}
              flowControl:
                priorityBands:
                  - priority: 10
                    maxRequests: 100
                    fairnessPolicyRef: round-robin-fairness-policy
                    orderingPolicyRef: fcfs-ordering-policy
      """;

  private static final String GOOD_PLUGINS =
      """
                - type: queue-scorer
                - {type: kv-cache-utilization-scorer}
                - name: picker
                  type: max-score-picker
                  parameters: {maxNumOfEndpoints: 2}
      """;

  private static InferenceGateway read(String plugins) {
    return (InferenceGateway)
        SpecFiles.standard().read(GATEWAY.replace("PLUGINS\n", plugins)).get(0);
  }

  private static List<String> paths(String plugins) {
    try {
      read(plugins);
    } catch (SdkValidationException e) {
      return e.violations().stream().map(Violation::path).toList();
    }
    throw new AssertionError("the spec was accepted");
  }

  @Test
  void read_pluginsWithParametersProfilesAndFlowControl_bindAsInJava() {
    EndpointPickerConfig expected =
        EndpointPickerConfig.builder()
            .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
            .addPlugin(EppPlugin.of(KnownPlugin.KV_CACHE_UTILIZATION_SCORER))
            .addPlugin(
                EppPlugin.of(
                        KnownPlugin.MAX_SCORE_PICKER, Map.of(KnownPlugin.MAX_NUM_OF_ENDPOINTS, 2))
                    .named("picker"))
            .addSchedulingProfile(
                SchedulingProfile.of(
                    "default",
                    SchedulingProfile.Entry.weighted("queue-scorer", 2),
                    SchedulingProfile.Entry.weighted("kv-cache-utilization-scorer", 1),
                    SchedulingProfile.Entry.of("picker")))
            .flowControl(
                FlowControl.of(
                    new FlowControl.PriorityBand(
                        10,
                        100,
                        KnownPlugin.ROUND_ROBIN_FAIRNESS_POLICY.type(),
                        KnownPlugin.FCFS_ORDERING_POLICY.type())))
            .build();

    InferenceGateway gateway = read(GOOD_PLUGINS);

    assertThat(gateway.pools().get(0).epp()).contains(expected);
    String file =
        gateway
            .render()
            .find(ConfigMap.class, "llama-epp")
            .orElseThrow()
            .getData()
            .values()
            .stream()
            .findFirst()
            .orElseThrow();
    assertThat(file)
        .contains(
            "- type: max-score-picker\n  name: picker\n  parameters:\n    maxNumOfEndpoints: 2\n");
  }

  @Test
  void read_json_bindsTheSameConfiguration() {
    String json =
        """
        {"kind": "InferenceGateway", "spec": {"name": "llama", "pools": [{"name": "llama",
         "matchLabels": {"app": "llama"}, "epp": {"plugins": [{"type": "queue-scorer"},
         {"type": "random-picker", "parameters": {"maxNumOfEndpoints": 3}}]}}]}}
        """;
    InferenceGateway gateway = (InferenceGateway) SpecFiles.standard().read(json).get(0);
    EppPlugin picker = gateway.pools().get(0).endpointPicker().plugins().get(1);
    assertThat(picker.kind()).isEqualTo(PluginKind.PICKER);
    assertThat(picker.parameters()).containsEntry(KnownPlugin.MAX_NUM_OF_ENDPOINTS, 3);
  }

  @Test
  void read_unknownTypeWithoutKind_isOneViolationAtTheType() {
    assertThat(paths(GOOD_PLUGINS + "          - {type: my-scorer}\n"))
        .containsExactly("[0].spec.pools[0].epp.plugins[3].type");
  }

  @Test
  void read_unknownTypeWithItsKind_isAccepted() {
    InferenceGateway gateway =
        read(
            GOOD_PLUGINS
                + "          - {type: my-scorer, kind: SCORER, parameters: {depth: {max: 4}}}\n");
    EppPlugin custom = gateway.pools().get(0).endpointPicker().plugins().get(3);
    assertThat(custom.parameters()).isEqualTo(Map.of("depth", Map.of("max", 4)));
  }

  @Test
  void read_knownTypeWithAnotherKind_isOneViolationAtTheKind() {
    assertThat(
            paths(
                GOOD_PLUGINS.replace(
                    "- type: queue-scorer", "- {type: queue-scorer, kind: FILTER}")))
        .containsExactly("[0].spec.pools[0].epp.plugins[0].kind");
  }

  @Test
  void read_parameterOfAScorerThatTakesNone_isOneViolationAtTheParameter() {
    assertThat(
            paths(
                GOOD_PLUGINS.replace(
                    "- type: queue-scorer", "- {type: queue-scorer, parameters: {threshold: 5}}")))
        .containsExactly("[0].spec.pools[0].epp.plugins[0].parameters.threshold");
  }

  @Test
  void read_pickerParameterMisspeltOrOutOfRange_isOneViolationEach() {
    assertThat(paths(GOOD_PLUGINS.replace("maxNumOfEndpoints: 2", "maxNumOfEndpoint: 2")))
        .containsExactly("[0].spec.pools[0].epp.plugins[2].parameters.maxNumOfEndpoint");
    assertThat(paths(GOOD_PLUGINS.replace("maxNumOfEndpoints: 2", "maxNumOfEndpoints: 0")))
        .containsExactly("[0].spec.pools[0].epp.plugins[2].parameters.maxNumOfEndpoints");
  }

  @Test
  void build_parameterThatIsNoJsonValue_isOneViolation() {
    assertThatThrownBy(
            () ->
                EndpointPickerConfig.builder()
                    .addPlugin(
                        EppPlugin.custom(
                            "my-scorer", PluginKind.SCORER, Map.of("at", new Object())))
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("plugins[0].parameters.at"));
  }
}
