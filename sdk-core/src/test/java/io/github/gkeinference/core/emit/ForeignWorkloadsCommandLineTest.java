package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Flags read through $(VAR) references, shell scripts and short options of foreign workloads. */
class ForeignWorkloadsCommandLineTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static RenderedSet set(String yaml) {
    RenderedSet.Builder b = RenderedSet.builder();
    for (JsonNode doc : YamlDocuments.read(yaml)) {
      b.add((HasMetadata) SERIALIZATION.unmarshal(doc.toString()));
    }
    return b.build();
  }

  private static WorkloadFacts facts(RenderedSet set) {
    return ForeignWorkloads.withFacts(set).workloads().get(0);
  }

  /** A vLLM Deployment in namespace {@code ml} with 2 GPUs and the given container lines. */
  private static String deployment(String containerLines) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: llm, namespace: ml}
        spec:
          selector: {matchLabels: {app: llm}}
          template:
            metadata: {labels: {app: llm, inference-server: vllm}}
            spec:
              containers:
              - name: server
                image: vllm/vllm-openai:v0.11.2
                resources: {limits: {nvidia.com/gpu: "2"}}
        """
        + containerLines.indent(8);
  }

  private static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: serving, namespace: ml}
      data: {TP: "4", LEN: "8192"}
      ---
      """;

  @Test
  void configMapKeyRef_resolvesTheReference() {
    RenderedSet set =
        set(
            CONFIG_MAP
                + deployment(
                    """
                    args: ["--tensor-parallel-size=$(TENSOR_PARALLEL_SIZE)"]
                    env:
                    - name: TENSOR_PARALLEL_SIZE
                      valueFrom: {configMapKeyRef: {name: serving, key: TP}}
                    """));

    assertThat(facts(set).tensorParallelism()).hasValue(4);
    assertThat(ForeignWorkloads.unresolvedVariables(set)).isEmpty();
  }

  @Test
  void envFromWithPrefix_andLiteralValueReferringToIt_resolve() {
    RenderedSet set =
        set(
            CONFIG_MAP
                + deployment(
                    """
                    args: ["--max-model-len", "$(LIMIT)", "--tensor-parallel-size", "$(S_TP)"]
                    envFrom: [{prefix: S_, configMapRef: {name: serving}}]
                    env: [{name: LIMIT, value: "$(S_LEN)"}]
                    """));

    assertThat(facts(set).tensorParallelism()).hasValue(4);
    assertThat(facts(set).maxModelLen()).hasValue(8192);
  }

  @Test
  void configMapOfAnotherNamespace_doesNotResolve_andIsReported() {
    RenderedSet set =
        set(
            CONFIG_MAP.replace("namespace: ml", "namespace: other")
                + deployment(
                    """
                    args: ["--tensor-parallel-size=$(TP)"]
                    env: [{name: TP, valueFrom: {configMapKeyRef: {name: serving, key: TP}}}]
                    """));

    assertThat(facts(set).tensorParallelism()).isEmpty();
    assertThat(ForeignWorkloads.unresolvedVariables(set))
        .containsExactly(
            new ForeignWorkloads.UnresolvedVariable(
                "Deployment",
                "ml",
                "llm",
                "spec.template.spec.containers[0].args[0]",
                "TP",
                "ConfigMap serving with key TP is not in the input"));
  }

  @Test
  void secretAndUndefinedReferences_areReportedWithTheirReason() {
    RenderedSet set =
        set(
            deployment(
                """
                args: ["--model=$(MODEL)", "--port=$(PORT)"]
                env: [{name: MODEL, valueFrom: {secretKeyRef: {name: s, key: k}}}]
                """));

    assertThat(ForeignWorkloads.unresolvedVariables(set))
        .extracting(ForeignWorkloads.UnresolvedVariable::variable, u -> u.reason())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "MODEL", "it comes from Secret s, which validate does not read"),
            org.assertj.core.groups.Tuple.tuple(
                "PORT", "it is not defined in the container's env or envFrom"));
  }

  @Test
  void variablesTheControllerInjects_areNotReported() {
    RenderedSet set =
        set(
            deployment(
                "args: [\"--address=$(LWS_LEADER_ADDRESS)\", \"--rank=$(JOB_COMPLETION_INDEX)\"]"));

    assertThat(ForeignWorkloads.unresolvedVariables(set)).isEmpty();
  }

  @Test
  void doubleDollar_isAnEscape_notAReference() {
    RenderedSet set = set(deployment("args: [\"--served-model-name=$$(NAME)\"]"));

    assertThat(ForeignWorkloads.unresolvedVariables(set)).isEmpty();
    assertThat(facts(set).flags()).containsEntry("--served-model-name", "$(NAME)");
  }

  @Test
  void shortTensorParallelOption_isRead() {
    RenderedSet set = set(deployment("args: [serve, m, -tp, \"4\"]"));

    assertThat(facts(set).tensorParallelism()).hasValue(4);
  }

  @Test
  void flagsInsideAShellScript_areRead_withShellVariablesFromTheEnvironment() {
    RenderedSet set =
        set(
            deployment(
                """
                command: [/bin/sh, -ec]
                args:
                - |
                  echo starting; exec vllm serve 'meta-llama/Llama-3.1-8B-Instruct' \\
                    --tensor-parallel-size "${TP}" --pipeline_parallel_size=1 && echo done
                env: [{name: TP, value: "4"}]
                """));

    WorkloadFacts f = facts(set);

    assertThat(f.tensorParallelism()).hasValue(4);
    assertThat(f.pipelineParallelism()).hasValue(1);
    assertThat(f.devices().orElseThrow().perPod()).isEqualTo(2);
  }

  @Test
  void split_keepsQuotedWordsWhole_andSeparatesOperators() {
    assertThat(ContainerCommandLine.split("a 'b c' \"d $X\" e;f|g", java.util.Map.of("X", "1")))
        .isEqualTo(List.of("a", "b c", "d 1", "e", ";", "f", "|", "g"));
  }
}
