package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.container.v1.NodePool;
import com.google.container.v1.ReleaseChannel;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.spec.SpecBinder;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class SpecBinderTest {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static <T> Optional<T> bind(String yaml, Class<T> type, Violations v) {
    JsonNode node = YAML.readTree(yaml);
    return SpecBinder.bind(node, type, v);
  }

  private static List<String> paths(Violations v) {
    return v.all().stream().map(Violation::path).toList();
  }

  @Test
  void bind_clusterSpec_setsStringsBooleansEnumsListsMapsLongsAndProtobufMessages() {
    Violations v = Violations.root();

    ClusterSpec spec =
        bind(
                """
                project: my-project
                name: inference
                location: us-east4
                zonal: false
                releaseChannel: regular
                hpaProfile: performance
                nodeLocations: [us-east4-a, us-east4-c]
                network: default
                napCpuLimit: 512
                acceleratorLimits:
                  nvidia-l4: 64
                  nvidia-h100-80gb: 9223372036854775806
                resourceLabels: {team: ml}
                nodePools:
                  - name: l4
                    initialNodeCount: 1
                    config: {machineType: g2-standard-8}
                """,
                ClusterSpec.class,
                v)
            .orElseThrow(() -> new AssertionError(v.all().toString()));

    assertThat(v.all()).isEmpty();
    assertThat(spec.project()).isEqualTo("my-project");
    assertThat(spec.releaseChannel()).isEqualTo(ReleaseChannel.Channel.REGULAR);
    assertThat(spec.nodeLocations()).containsExactly("us-east4-a", "us-east4-c");
    assertThat(spec.network()).contains("default");
    assertThat(spec.napCpuLimit()).hasValue(512);
    assertThat(spec.acceleratorLimits())
        .isEqualTo(Map.of("nvidia-l4", 64L, "nvidia-h100-80gb", ClusterSpec.UNLIMITED));
    assertThat(spec.resourceLabels()).containsEntry("team", "ml");
    assertThat(spec.nodePools())
        .containsExactly(
            NodePool.newBuilder()
                .setName("l4")
                .setInitialNodeCount(1)
                .setConfig(
                    com.google.container.v1.NodeConfig.newBuilder().setMachineType("g2-standard-8"))
                .build());
    // fields the file leaves out keep the spec's defaults
    assertThat(spec.privateNodes())
        .isEqualTo(
            ClusterSpec.builder()
                .project("my-project")
                .name("n")
                .location("us-east4")
                .build()
                .privateNodes());
  }

  @Test
  void bind_unknownFields_areRejectedWithTheirPath_alsoInNestedSpecsAndMessages() {
    Violations v = Violations.root();

    Optional<FitRequest> request =
        bind(
            """
            architecture:
              modelType: llama
              numLayers: 32
              numLayerz: 32
            canidates: [nvidia-l4]
            """,
            FitRequest.class,
            v);

    assertThat(request).isEmpty();
    assertThat(paths(v)).containsExactlyInAnyOrder("architecture.numLayerz", "canidates");
    assertThat(v.all().get(0).message()).contains("unknown field").contains("numLayers");

    Violations pools = Violations.root();
    bind(
        "{project: p, name: n, location: us-east4, nodePools: [{name: a}, {nmae: b}]}",
        ClusterSpec.class,
        pools);
    assertThat(paths(pools)).containsExactly("nodePools[1]");
    assertThat(pools.all().get(0).message()).contains("nmae");
  }

  @Test
  void bind_wrongTypes_reportEveryFieldWithWhatWouldBeValid() {
    Violations v = Violations.root();

    Optional<ClusterSpec> spec =
        bind(
            """
            project: p
            name: n
            location: us-east4
            zonal: "yes"
            nodeLocations: [us-east4-a, 7]
            acceleratorLimits: {nvidia-l4: many}
            releaseChannel: sometimes
            napCpuLimit: 1.5
            """,
            ClusterSpec.class,
            v);

    assertThat(spec).isEmpty();
    assertThat(paths(v))
        .containsExactlyInAnyOrder(
            "zonal",
            "nodeLocations[1]",
            "acceleratorLimits.nvidia-l4",
            "releaseChannel",
            "napCpuLimit");
    Violation channel =
        v.all().stream().filter(x -> x.path().equals("releaseChannel")).findFirst().orElseThrow();
    assertThat(channel.message())
        .contains("RAPID")
        .contains("REGULAR")
        .doesNotContain("UNRECOGNIZED");
    Violation zonal =
        v.all().stream().filter(x -> x.path().equals("zonal")).findFirst().orElseThrow();
    assertThat(zonal.message()).contains("true or false");
  }

  @Test
  void bind_protobufUnrecognizedConstant_isNotAValue() {
    Violations v = Violations.root();
    bind("{project: p, name: n, location: l, releaseChannel: UNRECOGNIZED}", ClusterSpec.class, v);
    assertThat(paths(v)).containsExactly("releaseChannel");
  }

  @Test
  void bind_missingRequiredFields_areEachAViolation() {
    Violations v = Violations.root();

    assertThat(bind("name: inference", ClusterSpec.class, v)).isEmpty();

    assertThat(v.all())
        .extracting(Violation::path, Violation::message)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("project", "is required"),
            org.assertj.core.groups.Tuple.tuple("location", "is required"));
  }

  @Test
  void bind_theSpecsOwnValidation_runsAtBuild_underTheSpecsPath() {
    Violations v = Violations.root("file");

    assertThat(bind("{project: p, name: Bad_Name, location: us-east4}", ClusterSpec.class, v))
        .isEmpty();

    assertThat(paths(v)).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("file."));
    assertThat(paths(v)).anySatisfy(p -> assertThat(p).endsWith("name"));
  }

  @Test
  void bind_nestedSpec_isBuiltThroughItsBuilder() {
    Violations v = Violations.root();

    FitRequest request =
        bind(
                """
                architecture:
                  modelType: llama
                  numLayers: 32
                  hiddenSize: 4096
                  intermediateSize: 14336
                  numAttentionHeads: 32
                  numKeyValueHeads: 8
                  vocabSize: 128256
                  tiedEmbeddings: false
                  maxPositionEmbeddings: 131072
                  nativeDtype: bf16
                maxModelLen: 8192
                candidates: [nvidia-l4]
                """,
                FitRequest.class,
                v)
            .orElseThrow(() -> new AssertionError(v.all().toString()));

    assertThat(request.architecture().numLayers()).isEqualTo(32);
    assertThat(request.architecture().nativeDtype()).isEqualTo(DataType.BF16);
    assertThat(request.maxModelLen()).hasValue(8192);
    assertThat(request.candidates()).containsExactly("nvidia-l4");
  }
}
