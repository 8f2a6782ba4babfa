package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.LayerAttention;
import io.github.gkeinference.core.model.ModelArchitecture;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class FitPlannerProperties {

  @Provide
  Arbitrary<ModelArchitecture> architectures() {
    Arbitrary<Integer> kvHeads = Arbitraries.of(1, 2, 4, 8, 16, 32, 64, 128);
    Arbitrary<Integer> groups = Arbitraries.of(1, 2, 3, 4, 5, 8);
    Arbitrary<Integer> headDim = Arbitraries.of(64, 80, 96, 128, 256);
    Arbitrary<Integer> layers = Arbitraries.integers().between(1, 160);
    Arbitrary<Integer> intermediate = Arbitraries.integers().between(1, 65_536);
    Arbitrary<Integer> vocab = Arbitraries.integers().between(1, 300_000);
    Arbitrary<Integer> maxPos = Arbitraries.integers().between(16, 1_048_576);
    Arbitrary<DataType> dtype = Arbitraries.of(DataType.class);
    Arbitrary<Integer> window = Arbitraries.of(0, 0, 512, 4096);
    Arbitrary<Boolean> mla = Arbitraries.of(false, false, false, true);
    return Combinators.combine(
            List.of(kvHeads, groups, headDim, layers, intermediate, vocab, maxPos, window))
        .as(
            values -> {
              int kv = values.get(0);
              int heads = kv * values.get(1);
              int dim = values.get(2);
              int numLayers = values.get(3);
              List<LayerAttention> attention = new ArrayList<>();
              if (values.get(7) > 0) {
                for (int i = 0; i < numLayers; i++) {
                  attention.add(
                      i % 2 == 0
                          ? LayerAttention.slidingWindow(values.get(7))
                          : LayerAttention.full());
                }
              }
              return ModelArchitecture.builder()
                  .modelType("random")
                  .numLayers(numLayers)
                  .hiddenSize(heads * dim)
                  .intermediateSize(values.get(4))
                  .numAttentionHeads(heads)
                  .numKeyValueHeads(kv)
                  .headDim(dim)
                  .vocabSize(values.get(5))
                  .tiedEmbeddings(false)
                  .maxPositionEmbeddings(values.get(6))
                  .nativeDtype(DataType.BF16)
                  .attentionLayers(attention);
            })
        .flatMap(
            b ->
                Combinators.combine(dtype, mla)
                    .as(
                        (d, withMla) -> {
                          b.nativeDtype(d);
                          ModelArchitecture plain = b.build();
                          if (withMla && plain.headDim() >= 96) {
                            // DeepSeek-style latent attention: one 512 + 64 latent per token
                            b.mla(
                                m ->
                                    m.kvLoraRank(512)
                                        .qkRopeHeadDim(64)
                                        .qkNopeHeadDim(plain.headDim() - 64));
                          }
                          return b.build();
                        }));
  }

  @Provide
  Arbitrary<FitRequest> requests() {
    return Combinators.combine(
            architectures(),
            Arbitraries.doubles().between(0.05, 1.0),
            Arbitraries.of(KvCacheDtype.class),
            Arbitraries.of(1, 8, 16, 32, 128),
            Arbitraries.integers().between(1, 1024),
            Arbitraries.integers().between(1, 65_536),
            Arbitraries.integers().between(0, 1_048_576))
        .as(
            (a, util, kv, block, seqs, batched, len) -> {
              FitRequest.Builder b =
                  FitRequest.builder()
                      .architecture(a)
                      .gpuMemoryUtilization(util)
                      .kvCacheDtype(kv)
                      .blockSize(block)
                      .maxNumSeqs(seqs)
                      .maxNumBatchedTokens(batched);
              if (len > 0) {
                b.maxModelLen(Math.min(len, a.maxPositionEmbeddings()));
              }
              return b.build();
            });
  }

  @Property(tries = 300)
  void randomPlans_neverThrow_andFeasiblePlansStayWithinDeviceMemory(
      @ForAll("requests") FitRequest request) {
    FitReport report = FitPlanner.plan(request);

    assertThat(report.plans()).isNotEmpty();
    for (FitPlan plan : report.plans()) {
      assertThat(plan.devices()).isEqualTo(plan.tensorParallelism() * plan.pipelineParallelism());
      Statistics.label("feasible").collect(plan.feasible());
      if (plan.feasible()) {
        MemorySplit m = plan.memory();
        long kvUsed = Math.multiplyExact(plan.kvBlocks(), plan.bytesPerBlock());
        assertThat(m.withinUsable()).isTrue();
        assertThat(m.weights() + m.runtimeReserve() + kvUsed).isLessThanOrEqualTo(m.usable());
        assertThat(m.usable()).isLessThanOrEqualTo(m.device());
        assertThat(plan.maxConcurrentSequences()).isBetween(1, request.maxNumSeqs());
        assertThat(plan.maxModelLen()).isBetween(1, request.architecture().maxPositionEmbeddings());
        assertThat(request.architecture().numAttentionHeads() % plan.tensorParallelism()).isZero();
      } else {
        assertThat(plan.reasons()).allSatisfy(r -> assertThat(r).isNotBlank());
      }
    }
  }
}
