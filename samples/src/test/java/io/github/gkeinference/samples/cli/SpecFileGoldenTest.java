package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.testing.TestSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The main sample written as one spec file renders the sample's bundle byte for byte through the
 * CLI, and the generated JSON Schema accepts that file and rejects an unknown field.
 */
class SpecFileGoldenTest {
  private static final Path SPEC = Path.of("specs/online-inference-gpu.yaml");
  private static final Path GOLDEN =
      Path.of("src/test/resources/golden/online-inference-gpu/kubernetes.yaml");

  private static final Path PUBLISHED =
      Path.of("src/main/resources/io/github/gkeinference/samples/spec.schema.json");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private String render(String... args) {
    out.getBuffer().setLength(0);
    int code = GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void renderFile_onlineInferenceGpuSpec_equalsTheSampleAndItsGoldenFile() throws IOException {
    String fromFile = render("render", "-f", SPEC.toString());
    String fromSample = render("render", "online-inference-gpu");

    assertThat(fromFile).isEqualTo(fromSample);
    assertThat(fromFile).isEqualTo(Files.readString(GOLDEN));
  }

  @Test
  void schema_acceptsTheSampleSpecFile() throws IOException {
    Schema schema = schema();

    List<String> errors = new ArrayList<>();
    for (JsonNode doc : YamlDocuments.read(Files.readString(SPEC))) {
      schema.validate(doc).stream().map(Error::toString).forEach(errors::add);
    }

    assertThat(errors).isEmpty();
  }

  @Test
  void schema_rejectsAnUnknownFieldInANestedSpec_andTheReaderNamesItsPath() throws IOException {
    List<JsonNode> docs = YamlDocuments.read(Files.readString(SPEC));
    ObjectNode server = (ObjectNode) docs.get(0).deepCopy();
    ((ObjectNode) server.path("spec").path("placement")).put("acceleratorr", "nvidia-l4");

    List<Error> errors = schema().validate(server);

    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("acceleratorr");
    var e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.github.gkeinference.core.validate.SdkValidationException.class,
            () -> SpecFiles.standard().read(server.toString()));
    assertThat(e.violations())
        .extracting(v -> v.path())
        .containsExactly("[0].spec.placement.acceleratorr");
  }

  @Test
  void schemaCommand_printsTheSchemaOfEveryRegisteredKind() {
    JsonNode printed = JsonMapper.builder().build().readTree(render("schema"));

    assertThat(printed.path("$schema").asString()).contains("2020-12");
    List<String> kinds = new ArrayList<>();
    printed.path("properties").path("kind").path("enum").forEach(k -> kinds.add(k.asString()));
    assertThat(kinds)
        .contains(
            "VllmServer",
            "AcceleratorComputeClass",
            "AcceleratorNodePool",
            "ClusterSpec",
            "InferenceAutoscaler",
            "ModelServerMonitoring",
            "Manifest");
  }

  @Test
  void publishedSchema_isTheGeneratedOne() throws IOException {
    String generated = SpecFiles.standard().schema() + "\n";
    if (TestSettings.updateGoldenFiles()) {
      Files.writeString(PUBLISHED, generated);
    }

    assertThat(Files.readString(PUBLISHED))
        .as("%s is stale; run with -Dgolden.update=true and review the diff", PUBLISHED)
        .isEqualTo(generated);
    try (var in = GkeInferenceCli.class.getResourceAsStream(SchemaCommand.RESOURCE)) {
      assertThat(in).as("the jar's copy").isNotNull();
    }
  }

  @Test
  void standard_registersEveryRenderableSpecOfTheSdk_underItsSimpleName() {
    var kinds = SpecFiles.standard().kinds();

    // the 17 RenderableSpec types of sdk-core, -accelerators, -serving, -autoscaling,
    // -observability
    assertThat(kinds.keySet())
        .containsExactlyInAnyOrder(
            "ClusterSpec",
            "ModelDownloadJob",
            "AcceleratorComputeClass",
            "AcceleratorNodePool",
            "VllmServer",
            "VllmTpuServer",
            "JetStreamServer",
            "MultiHostServer",
            "MultiHostTpuServer",
            "InferenceGateway",
            "MultiClusterInferenceGateway",
            "MultiModelGateway",
            "BatchInference",
            "AsyncInference",
            "ComfyUi",
            "DisaggregatedServing",
            "InferenceAutoscaler",
            "CustomMetricsAdapter",
            "ModelServerMonitoring");
    kinds.forEach((name, kind) -> assertThat(kind.type().getSimpleName()).isEqualTo(name));
  }

  static Schema schema() {
    JsonNode node = JsonMapper.builder().build().readTree(SpecFiles.standard().schema());
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
  }
}
