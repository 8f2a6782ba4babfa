package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.container.v1.NodeTaint;
import io.github.gkeinference.accelerators.nodepool.AcceleratorNodePool;
import io.github.gkeinference.accelerators.nodepool.NodeTaintSpec;
import io.github.gkeinference.autoscaling.ScalingBehavior;
import io.github.gkeinference.autoscaling.ScalingPolicy;
import io.github.gkeinference.autoscaling.ScalingRules;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.spec.SpecBinder;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.VllmTpuServer;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.Speculative;
import io.github.gkeinference.serving.vllm.XlaCache;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Fields whose Java type is a record (no builder), which the reflection binder could not bind, are
 * written in spec files as the record's components; and every mistake of a document is reported.
 */
class SpecFileRecordsTest {
  private static final SpecFiles FILES = SpecFiles.standard();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static <T> T bind(String yaml, Class<T> type) {
    Violations v = Violations.root();
    return SpecBinder.bind(YAML.readTree(yaml), type, v)
        .orElseThrow(() -> new AssertionError(v.all().toString()));
  }

  private static VllmServer.Builder server() {
    return VllmServer.builder()
        .name("vllm")
        .namespace("inference")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .maxModelLen(8192)
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"));
  }

  private static final String SERVER =
      """
      kind: VllmServer
      spec:
        name: vllm
        namespace: inference
        modelId: meta-llama/Llama-3.1-8B-Instruct
        maxModelLen: 8192
        placement: {accelerator: nvidia-l4, devices: 1, machineType: g2-standard-16}
      """;

  @Test
  void render_loraAdaptersAndSpeculativeDecoding_renderWhatTheJavaBuilderRenders() {
    String file =
        SERVER
            + """
              maxLoraRank: 16
              loraAdapters:
                - {name: sql, source: {type: huggingFace, modelId: org/sql-lora}}
                - name: chat
                  source: {type: gcsFuse, location: {bucket: my-adapters, path: chat}}
              speculative:
                method: ngram
                numSpeculativeTokens: 4
                promptLookupMax: 3
            """;
    VllmServer expected =
        server()
            .maxLoraRank(16)
            .loraAdapters(
                List.of(
                    LoraAdapter.of(
                        "sql", HuggingFaceSource.builder().modelId("org/sql-lora").build()),
                    LoraAdapter.of(
                        "chat",
                        GcsFuseSource.builder()
                            .location(GcsLocation.of("my-adapters", "chat"))
                            .build())))
            .speculative(Speculative.ngram(4, 3))
            .build();

    String rendered = ManifestYaml.toYaml(FILES.render(file));

    assertThat(rendered).isEqualTo(ManifestYaml.toYaml(expected.render()));
    // the two lists of flags are the adapters' and the speculation's, not empty defaults
    assertThat(rendered).contains("sql=org/sql-lora", "chat=/adapters/chat", "ngram");
  }

  @Test
  void bind_nodePoolTaints_areRecordsWithAProtobufEnum() {
    AcceleratorNodePool pool =
        bind(
            """
            name: l4-x2
            accelerator: nvidia-l4
            devices: 2
            taints:
              - {key: team, value: ml, effect: no-execute}
              - {key: dedicated, value: inference, effect: NO_SCHEDULE}
            """,
            AcceleratorNodePool.class);

    assertThat(pool.taints())
        .containsExactly(
            new NodeTaintSpec("team", "ml", NodeTaint.Effect.NO_EXECUTE),
            NodeTaintSpec.noSchedule("dedicated", "inference"));
  }

  @Test
  void bind_gatewayObjectivesAndScorers_areRecords() {
    InferenceGateway gateway =
        bind(
            """
            name: llama
            namespace: inference
            proxyOnlySubnet: 10.129.0.0/23
            pools:
              - name: llama-v1
                matchLabels: {app.kubernetes.io/instance: llama-v1}
                scorers: {prefixCache: 5, queue: 1, kvCacheUtilization: 0}
            objectives:
              - {name: premium, pool: llama-v1, priority: 10}
            """,
            InferenceGateway.class);

    assertThat(gateway.pools().get(0).scorers()).isEqualTo(new InferenceGateway.Scorers(5, 1, 0));
    assertThat(gateway.objectives())
        .containsExactly(InferenceGateway.Objective.of("premium", "llama-v1", 10));
  }

  @Test
  void bind_hpaScalingPoliciesAndTpuXlaCache_areRecords() {
    ScalingBehavior behavior =
        bind(
            """
            scaleUp:
              stabilizationWindowSeconds: 0
              selectPolicy: max
              policies:
                - {type: pods, value: 4, periodSeconds: 15}
                - {type: PERCENT, value: 100, periodSeconds: 15}
            """,
            ScalingBehavior.class);
    VllmTpuServer tpu =
        bind(
            """
            name: qwen3-32b
            modelId: Qwen/Qwen3-32B
            placement: {accelerator: tpu-v6e-slice, devices: 4, tpuTopology: 2x2}
            maxModelLen: 32768
            xlaCache: {bucket: my-cache, path: xla/qwen3-32b}
            """,
            VllmTpuServer.class);

    assertThat(behavior.scaleUp())
        .isEqualTo(
            ScalingRules.of(
                0,
                ScalingRules.SelectPolicy.MAX,
                ScalingPolicy.pods(4, 15),
                ScalingPolicy.percent(100, 15)));
    assertThat(tpu.xlaCache()).isEqualTo(XlaCache.gcs("my-cache", "xla/qwen3-32b"));
    assertThat(tpu.xlaCache().sizeLimit()).isEqualTo(Optional.empty());
  }

  @Test
  void read_everyUnknownFieldAndWrongTypeOfADocument_isReportedWithItsPath() {
    String file =
        """
        kind: VllmServer
        spec:
          name: vllm
          namespace: inference
          modelId: meta-llama/Llama-3.1-8B-Instruct
          maxModelLen: eight
          replicaz: 2
          placement: {accelerator: nvidia-l4, devices: 1, acceleratr: nvidia-l4}
          loraAdapters:
            - {name: sql, modelBucketPath: adapters/sql}
            - {name: chat, pth: org/chat-lora}
          speculative: {method: ngram, numSpeculativeTokens: 4, promptLookupMx: 3}
          source: {type: gcsFuse, location: {bucket: my-models, path: llama}, prefetsh: true}
        ---
        kind: AcceleratorNodePool
        spec:
          name: l4
          accelerator: nvidia-l4
          devices: 1
          taints: [{key: a, value: b, effect: sometimes}]
          sport: true
        """;

    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> FILES.read(file));

    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "[0].spec.maxModelLen",
            "[0].spec.replicaz",
            "[0].spec.placement.acceleratr",
            "[0].spec.loraAdapters[1].pth",
            "[0].spec.speculative.promptLookupMx",
            "[0].spec.source.prefetsh",
            "[1].spec.taints[0].effect",
            "[1].spec.sport");
    assertThat(e.violations())
        .filteredOn(v -> v.path().endsWith("pth"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.message())
                    .contains("unknown field", "LoraAdapter", "modelBucketPath"));
    assertThat(e.violations())
        .filteredOn(v -> v.path().endsWith("effect"))
        .singleElement()
        .satisfies(
            v -> assertThat(v.message()).contains("NO_EXECUTE").doesNotContain("UNRECOGNIZED"));
    assertThat(e.violations())
        .filteredOn(v -> v.path().endsWith("maxModelLen"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("an integer"));
  }
}
