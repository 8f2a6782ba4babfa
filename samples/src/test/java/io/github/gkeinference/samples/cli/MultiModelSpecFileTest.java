package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.samples.MultiModelSample;
import io.github.gkeinference.samples.SampleOptions;
import io.github.gkeinference.serving.gateway.MultiModelGateway;
import io.github.gkeinference.testing.GoldenFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multi-model spec file ({@code specs/multi-model.yaml}, issue 18 acceptance 4) renders through
 * the CLI byte for byte as the {@code multi-model} sample and its golden file, passes the published
 * schema, and its gateway's routes check clean against its own servers.
 */
class MultiModelSpecFileTest {
  private static final Path SPEC = Path.of("specs/multi-model.yaml");

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void renderFile_multiModelSpec_equalsTheSampleAndItsGoldenFile() {
    String fromFile = cli("render", "-f", SPEC.toString());
    String fromSample = cli("render", MultiModelSample.NAME);

    assertThat(fromFile).isEqualTo(fromSample);
    GoldenFiles.assertMatches("multi-model/kubernetes.yaml", fromFile);
  }

  @Test
  void schema_acceptsTheMultiModelSpecFile() throws IOException {
    var schema = SpecFileGoldenTest.schema();
    for (var doc : YamlDocuments.read(Files.readString(SPEC))) {
      assertThat(schema.validate(doc)).isEmpty();
    }
  }

  @Test
  void gatewayOfTheFile_findsNothingAgainstTheFilesServers() throws IOException {
    List<RenderableSpec> specs = SpecFiles.standard().read(Files.readString(SPEC));
    RenderedSet servers = specs.get(0).render().plus(specs.get(1).render());
    MultiModelGateway gateway = (MultiModelGateway) specs.get(4);

    assertThat(gateway.validate(servers)).isEmpty();
    // the sample's own servers and gateway are the file's
    assertThat(MultiModelSample.render(SampleOptions.defaults()).workloads())
        .isEqualTo(servers.workloads());
  }
}
