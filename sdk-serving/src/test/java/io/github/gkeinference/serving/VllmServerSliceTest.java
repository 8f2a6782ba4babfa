package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import org.junit.jupiter.api.Test;

class VllmServerSliceTest {

  private static VllmServer llama8bOnL4() {
    return VllmServer.builder()
        .name("llama-3-1-8b")
        .namespace("inference")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .acceleratorLabel("nvidia-l4")
        .build();
  }

  @Test
  void render_llama8bOnL4_isSchemaValid_andMatchesGolden() {
    RenderedSet bundle = llama8bOnL4().render();

    SchemaValidator schemas = SchemaValidator.forTests();
    bundle.kubernetesObjects().forEach(schemas::assertValid);
    GoldenFiles.assertMatches("vllm-slice/llama-3-1-8b-l4.yaml", ManifestYaml.toYaml(bundle));
  }

  @Test
  void render_requestsAsManyGpusAsTensorParallelism() {
    Deployment d =
        llama8bOnL4().toBuilder()
            .gpuCount(4)
            .build()
            .render()
            .kubernetesObjects(Deployment.class)
            .get(0);
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(container.getArgs()).contains("--tensor-parallel-size=4");
    assertThat(container.getResources().getLimits().get(VllmServer.GPU_RESOURCE).getAmount())
        .isEqualTo("4");
  }

  @Test
  void build_withNegativeReplicasAndEmptyModel_reportsBothPathsInOneException() {
    assertThatThrownBy(() -> VllmServer.builder().name("vllm").modelId("").replicas(-1).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("modelId", "replicas"));
  }
}
