package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.spec.SpecKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tool that embeds the SDK loads a spec from its own YAML through the library and renders. */
class SpecFilesEmbeddingTest {
  private static final String SERVER =
      """
      kind: VllmServer
      spec:
        name: chat
        namespace: inference
        modelId: meta-llama/Llama-3.1-8B-Instruct
        maxModelLen: 4096
        placement: {accelerator: nvidia-l4, devices: 1, machineType: g2-standard-8}
      """;

  @Test
  void read_vllmServer_givesTheSameSpecAsTheBuilderAndRendersIt() {
    List<RenderableSpec> specs = SpecFiles.standard().read(SERVER);

    VllmServer expected =
        VllmServer.builder()
            .name("chat")
            .namespace("inference")
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .maxModelLen(4096)
            .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-8"))
            .build();
    assertThat(specs).containsExactly(expected);
    assertThat(specs.get(0).kind()).isEqualTo("VllmServer");
    RenderedSet set = specs.get(0).render();
    assertThat(set.find(Deployment.class, "chat")).isPresent();
    assertThat(ManifestYaml.toYaml(set)).isEqualTo(ManifestYaml.toYaml(expected.render()));
  }

  @Test
  void of_registryTheToolBuilds_readsItsKind() {
    SpecFiles files = SpecFiles.of(List.of(SpecKind.of("VllmServer", VllmServer.class)));

    assertThat(files.render(SERVER).find(Deployment.class, "chat")).isPresent();
  }
}
