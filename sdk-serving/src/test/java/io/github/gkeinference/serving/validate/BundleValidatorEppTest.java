package io.github.gkeinference.serving.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The endpoint picker's checks against its servers on a bundle read from YAML: a vLLM Deployment,
 * an InferencePool, and a picker whose ConfigMap holds its configuration file.
 */
class BundleValidatorEppTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Where a finding about the picker's file is reported. */
  private static final String FILE = "ConfigMap/ml/llm-epp.data[plugins.yaml]";

  private static final String SERVER =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: llm, namespace: ml}
      spec:
        replicas: 2
        selector: {matchLabels: {app: llm}}
        template:
          metadata:
            labels: {app: llm, ai.gke.io/inference-server: vllm}
          spec:
            containers:
              - name: vllm
                image: vllm/vllm-openai:v0.11.2
                args: [--model, meta-llama/Llama-3.1-8B-Instruct, --block-size, "16", KV_EVENTS]
                env: [{name: PYTHONHASHSEED, value: "42"}]
                ports: [{name: http, containerPort: 8000}]
      ---
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: llm, namespace: ml}
      spec:
        selector: {matchLabels: {app: llm}}
        targetPorts: [{number: 8000}]
        endpointPickerRef: {name: llm-epp, port: {number: 9002}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: llm-epp, namespace: ml}
      spec:
        selector: {matchLabels: {app: llm-epp}}
        template:
          metadata:
            labels: {app: llm-epp}
          spec:
            containers:
              - name: epp
                image: ghcr.io/llm-d/llm-d-inference-scheduler:v0.8.0
                args: [--pool-name, llm, --config-file, /config/plugins.yaml]
                ports: [{name: grpc, containerPort: 9002}]
                volumeMounts: [{name: plugins-config, mountPath: /config}]
            volumes:
              - name: plugins-config
                configMap: {name: llm-epp}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: llm-epp, namespace: ml}
      data:
        plugins.yaml: |
          apiVersion: inference.networking.x-k8s.io/v1alpha1
          kind: EndpointPickerConfig
          plugins:
          PLUGINS
          schedulingProfiles:
          - name: default
            plugins:
            REFS
      """;

  private static final String KV_EVENTS =
      "--kv-events-config, '{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\"}'";

  private static List<Violation> validate(String plugins, String refs, boolean kvEvents) {
    String yaml =
        SERVER
            .replace("KV_EVENTS", kvEvents ? KV_EVENTS : "--port, \"8000\"")
            .replace("PLUGINS", plugins)
            .replace("REFS", refs);
    RenderedSet.Builder b = RenderedSet.builder();
    for (JsonNode doc : YamlDocuments.read(yaml)) {
      b.add((HasMetadata) SERIALIZATION.unmarshal(doc.toString()));
    }
    return BundleValidator.validate(b.build()).stream().filter(Violation::isError).toList();
  }

  private static final String BASE_PLUGINS =
      "- type: queue-scorer\n    - type: kv-cache-utilization-scorer\n    - type: max-score-picker";

  private static final String BASE_REFS =
      "- pluginRef: queue-scorer\n      - pluginRef: kv-cache-utilization-scorer\n"
          + "      - pluginRef: max-score-picker";

  /** The precise prefix-cache scorer, with the block size and hash seed it hashes with. */
  private static String precise(int blockSize, String hashSeed) {
    return "- type: precise-prefix-cache-scorer\n"
        + "      parameters:\n"
        + "        tokenProcessorConfig: {blockSize: "
        + blockSize
        + ", hashSeed: \""
        + hashSeed
        + "\"}\n"
        + "    - type: max-score-picker";
  }

  private static final String PRECISE_REFS =
      "- {pluginRef: precise-prefix-cache-scorer, weight: 2}\n      - pluginRef: max-score-picker";

  @Test
  void validate_pickerWhoseServersHaveWhatItsScorersRead_isClean() {
    assertThat(validate(BASE_PLUGINS, BASE_REFS, false)).isEmpty();
    assertThat(validate(precise(16, "42"), PRECISE_REFS, true)).isEmpty();
  }

  @Test
  void validate_scorerReadingAMetricTheServerLacks_isOneViolationAtThePlugin() {
    // lora-affinity-scorer reads vllm:lora_requests_info, which vLLM exports only with LoRA on
    List<Violation> found =
        validate(
            BASE_PLUGINS.replace("- type: queue-scorer", "- type: lora-affinity-scorer"),
            BASE_REFS.replace("pluginRef: queue-scorer", "pluginRef: lora-affinity-scorer"),
            false);
    assertThat(found)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo(FILE + ".plugins[0].type");
              assertThat(v.message()).contains("vllm:lora_requests_info");
            });
  }

  @Test
  void validate_precisePrefixWithoutKvEvents_isOneViolationAtThePlugin() {
    List<Violation> found = validate(precise(16, "42"), PRECISE_REFS, false);
    assertThat(found)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo(FILE + ".plugins[0].type");
              assertThat(v.message()).contains("--kv-events-config");
            });
  }

  @Test
  void validate_blockSizeMismatch_isOneViolationAtTheParameter() {
    assertThat(validate(precise(64, "42"), PRECISE_REFS, true))
        .extracting(Violation::path)
        .containsExactly(FILE + ".plugins[0].parameters.tokenProcessorConfig.blockSize");
  }

  @Test
  void validate_hashSeedMismatch_isOneViolationAtTheParameter() {
    assertThat(validate(precise(16, "7"), PRECISE_REFS, true))
        .extracting(Violation::path)
        .containsExactly(FILE + ".plugins[0].parameters.tokenProcessorConfig.hashSeed");
  }
}
