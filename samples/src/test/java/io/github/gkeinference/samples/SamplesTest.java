package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample renders schema-valid output equal to its reviewed golden file. */
class SamplesTest {

  static Stream<Sample> samples() {
    return Sample.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sample_rendersSchemaValidOutput_equalToItsGoldenFile(Sample sample) {
    RenderedSet set = sample.renderer().render(SampleOptions.defaults());

    assertThat(set.isEmpty()).isFalse();
    SchemaValidator schemas = SchemaValidator.forTests();
    set.kubernetesObjects().forEach(schemas::assertValid); // every kind, RBAC included
    GoldenFiles.assertMatches(sample.name() + "/kubernetes.yaml", ManifestYaml.toYaml(set));
    if (!set.cloudResources().isEmpty()) {
      GoldenFiles.assertMatches(
          sample.name() + "/cloud.json",
          set.cloudResources().stream().map(ManifestYaml::toJson).collect(Collectors.joining()));
    }
  }
}
