package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.source.GcsFuseOptions;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.validate.BundleValidator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class VllmServerProperties {
  /** A spec drawn from valid and invalid values of the fields most likely to go wrong. */
  record Draw(
      String name,
      String accelerator,
      int devices,
      int tensorParallelism,
      int replicas,
      int maxModelLen,
      double utilization,
      Optional<String> kvCacheDtype,
      int source) {}

  @Provide
  Arbitrary<Draw> draws() {
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            Tuple.of(
                8, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20)),
            Tuple.of(2, Arbitraries.of("Bad_Name", "-x", "a".repeat(60), "9lives")));
    // L4 comes in 1, 2, 4 and 8 per machine; H100 80GB in 1, 2, 4 and 8 (accelerator catalog)
    Arbitrary<String> accelerators = Arbitraries.of("nvidia-l4", "nvidia-h100-80gb");
    Arbitrary<Integer> devices = Arbitraries.of(1, 2, 4, 8);
    // 0 stands for "the same as devices", drawn most often so that valid specs are common
    Arbitrary<Integer> tp = Arbitraries.of(0, 0, 0, 0, 1, 2, 3, 4, 8);
    Arbitrary<Integer> replicas = Arbitraries.of(-1, 0, 1, 1, 2, 3);
    Arbitrary<Integer> len = Arbitraries.of(0, 2048, 4096, 8192, 32768, 131072, 131073, 1_000_000);
    Arbitrary<Double> util = Arbitraries.of(0.0, 0.5, 0.8, 0.9, 0.92, 0.95, 1.0, 1.2);
    Arbitrary<Optional<String>> dtypes =
        Arbitraries.of(
            Optional.empty(), Optional.of("fp8"), Optional.of("auto"), Optional.of("int3"));
    Arbitrary<Integer> sources = Arbitraries.integers().between(0, 2);
    return Combinators.combine(names, accelerators, devices, tp, replicas, len, util, dtypes)
        .as((n, a, d, t, r, l, u, k) -> new Draw(n, a, d, t == 0 ? d : t, r, l, u, k, 0))
        .flatMap(
            draw ->
                sources.map(
                    s ->
                        new Draw(
                            draw.name(),
                            draw.accelerator(),
                            draw.devices(),
                            draw.tensorParallelism(),
                            draw.replicas(),
                            draw.maxModelLen(),
                            draw.utilization(),
                            draw.kvCacheDtype(),
                            s)));
  }

  private static VllmServer.Builder builder(Draw d) {
    ModelSource source =
        switch (d.source()) {
          case 0 -> HuggingFaceSource.builder().modelId("meta-llama/Llama-3.1-8B-Instruct").build();
          case 1 ->
              GcsFuseSource.builder()
                  .location(GcsLocation.of("models", "meta-llama/llama-3.1-8b-instruct"))
                  .options(GcsFuseOptions.lowMemoryNode())
                  .build();
          default ->
              GcsStreamingSource.builder()
                  .location(GcsLocation.of("models", "meta-llama/llama-3.1-8b-instruct"))
                  .build();
        };
    VllmServer.Builder b =
        VllmServer.builder()
            .name(d.name())
            .namespace("inference")
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .source(source)
            .placement(p -> p.accelerator(d.accelerator()).devices(d.devices()))
            .tensorParallelism(d.tensorParallelism())
            .replicas(d.replicas())
            .maxModelLen(d.maxModelLen())
            .gpuMemoryUtilization(d.utilization())
            // the server's KSA may read its bucket: a valid bundle draws no missing-grant warning
            .workloadIdentity(WorkloadIdentityPool.of("my-project", 123456789012L));
    d.kvCacheDtype().ifPresent(b::kvCacheDtype);
    return b;
  }

  /** The rules written out independently of the spec's check, for the expected paths. */
  private static List<String> expectedPaths(Draw d) {
    List<String> paths = new java.util.ArrayList<>();
    if (!d.name().matches("[a-z]([-a-z0-9]*[a-z0-9])?") || d.name().length() > 55) {
      paths.add("name");
    }
    if (d.replicas() < 0) {
      paths.add("replicas");
    }
    if (d.tensorParallelism() != d.devices()) {
      paths.add("tensorParallelism");
    }
    // Llama-3.1-8B-Instruct: max_position_embeddings 131072
    if (d.maxModelLen() < 1 || d.maxModelLen() > 131072) {
      paths.add("maxModelLen");
    }
    if (!(d.utilization() > 0 && d.utilization() <= 1)) {
      paths.add("gpuMemoryUtilization");
    }
    if (d.kvCacheDtype().filter(k -> k.equals("int3")).isPresent()) {
      paths.add("kvCacheDtype");
    }
    return paths;
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(onFailureOnly = true)
  void validSpecs_renderSchemaValidConsistentBundles_invalidSpecs_reportExactlyTheirViolations(
      @ForAll("draws") Draw d) {
    List<String> expected = expectedPaths(d);
    Statistics.label("outcome").collect(expected.isEmpty() ? "valid" : "invalid");
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("valid").percentage(p -> p > 3);
              c.check("invalid").percentage(p -> p > 5);
            });
    if (expected.isEmpty()) {
      VllmServer server = builder(d).build();
      var set = server.render();
      BundleAssertions.assertSchemaValid(set);
      assertThat(BundleValidator.validate(set)).isEmpty();
    } else {
      try {
        builder(d).build();
        throw new AssertionError("expected violations at " + expected);
      } catch (SdkValidationException e) {
        assertThat(e.violations())
            .extracting(Violation::path)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }
}
