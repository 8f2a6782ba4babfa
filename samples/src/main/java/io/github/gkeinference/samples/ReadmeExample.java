package io.github.gkeinference.samples;

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
import java.nio.file.Path;

/**
 * The Java example shown at the top of the repository's README; a test keeps the two identical, so
 * the README always shows code that compiles and runs.
 */
public final class ReadmeExample {
  private ReadmeExample() {}

  /**
   * Renders Llama-3.1-8B-Instruct on one L4 and writes the manifests.
   *
   * @param args the output directory (default {@code manifests})
   */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "manifests");
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
  }
}
