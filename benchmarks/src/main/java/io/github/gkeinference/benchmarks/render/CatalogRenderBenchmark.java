package io.github.gkeinference.benchmarks.render;

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.serving.VllmServer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Renders the full catalog in one process: every catalog model on every GPU type it fits (plan,
 * build and validate the vLLM spec, render the bundle, write it as YAML; a spec the SDK rejects is
 * skipped after its validation). Compare with {@code kubectl kustomize} of one equivalent overlay
 * (about 0.12 s on this machine, issue 8).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class CatalogRenderBenchmark {
  private final List<CatalogEntry> models = ModelCatalog.all();
  private final List<AcceleratorType> gpus =
      Accelerators.catalog().all().stream().filter(AcceleratorType::isGpu).toList();

  /**
   * Plans and renders every model on every GPU; infeasible pairs are planned but not rendered.
   *
   * @return the total YAML length, so that nothing is optimised away
   */
  @Benchmark
  public long renderEveryModelOnEveryGpu() {
    long bytes = 0;
    for (CatalogEntry model : models) {
      for (AcceleratorType gpu : gpus) {
        FitPlan plan =
            Accelerators.plan(
                    FitRequest.builder()
                        .architecture(model.architecture())
                        .maxModelLen(8192)
                        .addCandidates(gpu.label())
                        .build())
                .plans()
                .get(0);
        if (!plan.feasible()) {
          continue;
        }
        VllmServer server;
        try {
          server =
              VllmServer.builder()
                  .name("vllm")
                  .namespace("inference")
                  .modelId(model.huggingFaceId())
                  .source(
                      GcsFuseSource.builder()
                          .location(
                              GcsLocation.of(
                                  "models", model.huggingFaceId().toLowerCase(Locale.ROOT)))
                          .build())
                  .plan(plan)
                  .build();
        } catch (SdkValidationException e) {
          continue; // e.g. the planner's smallest machine has no RAM left for the GCS FUSE cache
        }
        bytes += ManifestYaml.toYaml(server.render()).length();
      }
    }
    return bytes;
  }
}
