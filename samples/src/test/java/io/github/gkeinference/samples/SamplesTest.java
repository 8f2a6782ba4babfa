package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.scrape.PodMonitoring;
import io.github.gkeinference.observability.scrape.ScrapeConfigs;
import io.github.gkeinference.serving.validate.BundleValidator;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  /**
   * The batch sample's GCS FUSE volume (the model) is readable by its pods: {@code validate} finds
   * a rendered grant for the batch service account on the model's bucket. (The comfyui and
   * inference-gateway samples render no identity yet, so they still draw that warning.)
   */
  @Test
  void batchInference_grantsItsMountedBucket() {
    RenderedSet set = BatchInferenceSample.render(SampleOptions.defaults());
    assertThat(BundleValidator.validate(set))
        .noneMatch(v -> v.message().contains("has no read grant on this bucket"));
  }

  /**
   * Every model server a sample deploys is scraped by Managed Prometheus: a PodMonitoring named
   * after its workload, in its namespace; batch-inference's too, whose vLLM sidecar the worker
   * reaches on localhost and whose NetworkPolicy admits only the collector, on the metrics port.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sample_scrapesEveryModelServerItServes(Sample sample) {
    RenderedSet set = sample.renderer().render(SampleOptions.defaults());
    for (WorkloadFacts w : set.workloads()) {
      boolean server =
          w.server().flatMap(ModelServer::fromLabel).filter(ScrapeConfigs::hasPreset).isPresent();
      if (!server) {
        continue;
      }
      assertThat(set.kubernetesObjects())
          .as(sample.name() + ": " + w.name())
          .anySatisfy(
              o -> {
                assertThat(o).isInstanceOf(PodMonitoring.class);
                assertThat(o.getMetadata().getName()).isEqualTo(w.name() + "-metrics");
                assertThat(o.getMetadata().getNamespace()).isEqualTo(w.namespace());
              });
    }
  }
}
