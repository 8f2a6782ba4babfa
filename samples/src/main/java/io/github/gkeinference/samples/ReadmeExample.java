package io.github.gkeinference.samples;

import io.github.gkeinference.core.emit.ManifestDirectory;
import io.github.gkeinference.core.render.RenderedSet;
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
    RenderedSet bundle =
        VllmServer.builder()
            .name("llama")
            .namespace("inference")
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .acceleratorLabel("nvidia-l4")
            .build() // validates: every bad field is listed in one SdkValidationException
            .render(); // fabric8 objects: a Deployment and a Service
    ManifestDirectory.write(bundle, out); // YAML files in apply order + kustomization.yaml
    // README:end
  }
}
