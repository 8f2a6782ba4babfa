package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.emit.ManifestDirectory;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseOptions;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example, compiled and run by a consumer of the published artifacts. The lines
 * between the README markers are the README's (the samples module's ReadmeExampleTest checks).
 */
class ReadmeExampleTest {
  @Test
  void readmeExample_rendersAndWritesManifests(@TempDir Path out) throws Exception {
    // README:start
    FitPlan plan =
        Accelerators.plan(
                FitRequest.builder()
                    .architecture(
                        ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture())
                    .maxModelLen(8192)
                    .addCandidates("nvidia-l4")
                    .build())
            .recommendation() // does it fit? how many GPUs, which TP, how much KV cache
            .orElseThrow();
    RenderedSet bundle =
        VllmServer.builder()
            .name("llama")
            .namespace("inference")
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .source(
                GcsFuseSource.builder() // read-only GCS FUSE mount, no RAM file cache
                    .location(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
                    .options(GcsFuseOptions.lowMemoryNode()) // the plan picks a small machine
                    .build())
            .plan(plan) // placement, tensor parallelism and memory flags from the plan
            .build() // validates: every bad field is listed in one SdkValidationException
            .render(); // fabric8 objects: ServiceAccount, Deployment, Service, PDB
    ManifestDirectory.write(bundle, out); // YAML files in apply order + kustomization.yaml
    // README:end

    String kustomization = Files.readString(out.resolve("kustomization.yaml"));
    assertTrue(kustomization.contains("deployment"), kustomization);
    boolean deployment = false;
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        deployment |= Files.readString(f).contains("kind: Deployment");
      }
    }
    assertTrue(deployment, "a Deployment was written");
  }

  @Test
  void runsOnTheJavaItWasGiven() throws Exception {
    String expected = System.getProperty("expected.java.home", "");
    System.out.println("consumer tests run on Java " + Runtime.version() + " at "
        + System.getProperty("java.home"));
    if (!expected.isEmpty()) {
      assertEquals(
          Path.of(expected).toRealPath().toString(),
          Path.of(System.getProperty("java.home")).toRealPath().toString());
      assertEquals(17, Runtime.version().feature());
    }
  }
}
