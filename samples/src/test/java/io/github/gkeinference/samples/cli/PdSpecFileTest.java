package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.samples.PdDisaggregation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The P/D spec-file example ({@code specs/pd-disaggregation.yaml}, issue 18 acceptance 4) renders
 * through the CLI exactly what the sample's Java spec renders (the sample adds only its
 * PodMonitorings, checked by its golden file), and passes the published schema.
 */
class PdSpecFileTest {
  private static final Path SPEC = Path.of("specs/pd-disaggregation.yaml");

  private static String render() {
    CliRun cli = new CliRun();
    assertThat(cli.run("render", "-f", SPEC.toString())).as(cli.err()).isZero();
    return cli.out();
  }

  @Test
  void render_pdSpecFile_equalsTheSamplesSpec() {
    String yaml = render();

    assertThat(yaml).isEqualTo(ManifestYaml.toYaml(PdDisaggregation.spec().render()));
    assertThat(yaml)
        .contains(
            "--kv-transfer-config={\\\"kv_connector\\\":\\\"NixlConnector\\\"",
            "name: routing-sidecar",
            "- type: disagg-profile-handler");
  }

  @Test
  void schema_acceptsThePdSpecFile() throws IOException {
    var schema = SpecFileGoldenTest.schema();
    for (var doc : YamlDocuments.read(Files.readString(SPEC))) {
      assertThat(schema.validate(doc)).isEmpty();
    }
  }
}
