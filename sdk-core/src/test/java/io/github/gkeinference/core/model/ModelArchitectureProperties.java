package io.github.gkeinference.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ModelArchitectureProperties {

  @Property
  void kvCacheBytes_isPositiveAndNonDecreasingInContext(
      @ForAll("valid") ModelArchitecture model,
      @ForAll("kvTypes") DataType kvDtype,
      @ForAll @IntRange(min = 1, max = 1 << 20) int context,
      @ForAll @IntRange(min = 0, max = 1 << 20) int more) {
    long shorter = model.kvCacheBytes(kvDtype, context);
    long longer = model.kvCacheBytes(kvDtype, (long) context + more);
    assertThat(shorter).isPositive();
    assertThat(longer).isGreaterThanOrEqualTo(shorter);
  }

  @Property
  void parameters_arePositive_andActiveNeverExceedsTotal(@ForAll("valid") ModelArchitecture model) {
    assertThat(model.activeParameters()).isPositive().isLessThanOrEqualTo(model.totalParameters());
  }

  @Property
  void build_withArbitraryNumbers_givesAModelOrViolationsOnly(
      @ForAll @IntRange(min = -4, max = 200) int layers,
      @ForAll @IntRange(min = -4, max = 8192) int hidden,
      @ForAll @IntRange(min = -4, max = 128) int heads,
      @ForAll @IntRange(min = -4, max = 128) int kvHeads,
      @ForAll @IntRange(min = -4, max = 512) int headDim,
      @ForAll @IntRange(min = -4, max = 200_000) int vocab,
      @ForAll @IntRange(min = -4, max = 40_000) int intermediate,
      @ForAll @IntRange(min = -4, max = 200) int attentionEntries) {
    List<LayerAttention> attention = new ArrayList<>();
    for (int i = 0; i < attentionEntries; i++) {
      attention.add(i % 2 == 0 ? LayerAttention.slidingWindow(64) : LayerAttention.full());
    }
    ModelArchitecture model;
    try {
      model =
          ModelArchitecture.builder()
              .modelType("prop")
              .numLayers(layers)
              .hiddenSize(hidden)
              .intermediateSize(intermediate)
              .numAttentionHeads(heads)
              .numKeyValueHeads(kvHeads)
              .headDim(headDim)
              .vocabSize(vocab)
              .tiedEmbeddings(false)
              .maxPositionEmbeddings(4096)
              .nativeDtype(DataType.BF16)
              .attentionLayers(attention)
              .build();
    } catch (SdkValidationException e) {
      assertThat(e.violations()).isNotEmpty().allMatch(Violation::isError);
      assertThat(e.violations()).extracting(Violation::path).allMatch(p -> !p.isBlank());
      return;
    }
    // Whatever was accepted is usable.
    assertThat(model.kvCacheBytes(DataType.BF16, 1)).isPositive();
  }

  @Provide
  Arbitrary<DataType> kvTypes() {
    return Arbitraries.of(
        DataType.FP32,
        DataType.BF16,
        DataType.FP16,
        DataType.FP8_E4M3,
        DataType.FP8_E5M2,
        DataType.INT8);
  }

  @Provide
  Arbitrary<ModelArchitecture> valid() {
    Arbitrary<Integer> layers = Arbitraries.integers().between(1, 128);
    Arbitrary<Integer> kvHeads = Arbitraries.integers().between(1, 64);
    Arbitrary<Integer> group = Arbitraries.integers().between(1, 8);
    Arbitrary<Integer> headDim = Arbitraries.of(64, 80, 96, 128, 192, 256);
    Arbitrary<Integer> window = Arbitraries.integers().between(1, 8192);
    Arbitrary<Integer> pattern = Arbitraries.integers().between(0, 6); // 0: all full
    Arbitrary<Optional<LatentAttention>> mla =
        Arbitraries.integers()
            .between(1, 1024)
            .map(
                rank ->
                    LatentAttention.builder()
                        .kvLoraRank(rank)
                        .qkRopeHeadDim(64)
                        .qkNopeHeadDim(128)
                        .build())
            .optional(0.2);
    Arbitrary<Optional<MixtureOfExperts>> moe =
        Arbitraries.integers()
            .between(2, 256)
            .flatMap(
                experts ->
                    Arbitraries.integers()
                        .between(1, experts)
                        .map(
                            k ->
                                MixtureOfExperts.builder()
                                    .numExperts(experts)
                                    .expertsPerToken(k)
                                    .expertIntermediateSize(512)
                                    .build()))
            .optional(0.3);
    return Combinators.combine(layers, kvHeads, group, headDim, window, pattern, mla, moe)
        .as(
            (n, kv, g, dim, w, p, latent, experts) -> {
              List<LayerAttention> attention = new ArrayList<>();
              if (p > 0) {
                for (int i = 0; i < n; i++) {
                  attention.add(
                      (i + 1) % p == 0 ? LayerAttention.full() : LayerAttention.slidingWindow(w));
                }
              }
              ModelArchitecture.Builder b =
                  ModelArchitecture.builder()
                      .modelType("prop")
                      .numLayers(n)
                      .hiddenSize(kv * g * 64)
                      .intermediateSize(1024)
                      .numAttentionHeads(kv * g)
                      .numKeyValueHeads(kv)
                      .headDim(latent.isPresent() ? 192 : dim)
                      .vocabSize(32000)
                      .tiedEmbeddings(false)
                      .maxPositionEmbeddings(1 << 20)
                      .nativeDtype(DataType.BF16)
                      .attentionLayers(attention);
              latent.ifPresent(b::mla);
              experts.ifPresent(b::moe);
              return b.build();
            });
  }
}
