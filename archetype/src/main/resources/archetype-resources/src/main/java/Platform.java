package ${package};

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.emit.ManifestDirectory;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseOptions;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.serving.VllmServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The platform's inference services: one written in Java ({@code chat()}) and the ones written as
 * spec files under {@code specs/} ({@code specFiles(Path)}).
 */
public final class Platform {
  /** The namespace the services run in. */
  public static final String NAMESPACE = "inference";

  private Platform() {}

  /**
   * The chat service: vLLM serving Llama-3.1-8B-Instruct on NVIDIA L4, sized by the SDK's fit
   * planner, weights read from Cloud Storage through GCS FUSE.
   *
   * @return the ServiceAccount, Deployment, Service and PodDisruptionBudget
   */
  public static RenderedSet chat() {
    String model = "meta-llama/Llama-3.1-8B-Instruct";
    FitPlan plan =
        Accelerators.plan(
                FitRequest.builder()
                    .architecture(ModelCatalog.require(model).architecture())
                    .maxModelLen(8192)
                    .addCandidates("nvidia-l4")
                    .build())
            .recommendation() // how many GPUs, which tensor parallelism, how much KV cache
            .orElseThrow();
    return VllmServer.builder()
        .name("chat")
        .namespace(NAMESPACE)
        .modelId(model)
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("my-project-models", "meta-llama/llama-3.1-8b-instruct"))
                .options(GcsFuseOptions.lowMemoryNode())
                .build())
        .plan(plan)
        .build() // every bad field is listed in one SdkValidationException
        .render();
  }

  /**
   * Reads, validates and renders every spec file ({@code *.yaml}) in a folder, in name order.
   *
   * @param folder the folder, for example {@code specs}
   * @return what the files render
   */
  public static RenderedSet specFiles(Path folder) {
    SpecFiles files = SpecFiles.standard();
    RenderedSet all = RenderedSet.empty();
    try (Stream<Path> list = Files.list(folder)) {
      List<Path> yaml =
          list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
      for (Path file : yaml) {
        all = all.plus(files.render(Files.readString(file, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spec files in " + folder, e);
    }
    return all;
  }

  /**
   * Writes every service's manifests (YAML files and a kustomization.yaml) into a folder.
   *
   * @param args the output folder; default {@code manifests}
   */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "manifests");
    List<Path> written = ManifestDirectory.write(chat().plus(specFiles(Path.of("specs"))), out);
    System.out.println("Wrote " + written.size() + " files to " + out);
  }
}
