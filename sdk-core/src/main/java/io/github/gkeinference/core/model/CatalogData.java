package io.github.gkeinference.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalog's entries. Each value is copied from the {@code config.json} at the entry's source
 * URL; the test resources hold a copy of each file ({@code catalog/<owner>/<name>/config.json},
 * provenance in the README there). Published parameter counts come from the model cards.
 */
final class CatalogData {
  private CatalogData() {}

  static final List<CatalogEntry> ENTRIES =
      List.of(
          // Llama 3.1 model card: 8B, 70B, 405B parameters.
          entry("meta-llama/Llama-3.1-8B-Instruct", 8_030_000_000L)
              .architecture(
                  a ->
                      a.modelType("llama")
                          .numLayers(32)
                          .hiddenSize(4096)
                          .intermediateSize(14336)
                          .numAttentionHeads(32)
                          .numKeyValueHeads(8)
                          .headDim(128)
                          .vocabSize(128256)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(131072)
                          .nativeDtype(DataType.BF16))
              .build(),
          entry("meta-llama/Llama-3.3-70B-Instruct", 70_600_000_000L)
              .architecture(
                  a ->
                      a.modelType("llama")
                          .numLayers(80)
                          .hiddenSize(8192)
                          .intermediateSize(28672)
                          .numAttentionHeads(64)
                          .numKeyValueHeads(8)
                          .headDim(128)
                          .vocabSize(128256)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(131072)
                          .nativeDtype(DataType.BF16))
              .build(),
          entry("meta-llama/Llama-3.1-405B-Instruct", 405_000_000_000L)
              .architecture(
                  a ->
                      a.modelType("llama")
                          .numLayers(126)
                          .hiddenSize(16384)
                          .intermediateSize(53248)
                          .numAttentionHeads(128)
                          .numKeyValueHeads(8)
                          .headDim(128)
                          .vocabSize(128256)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(131072)
                          .nativeDtype(DataType.BF16))
              .build(),
          // text_config; 109B total parameters including the vision encoder, 17B active.
          entry("meta-llama/Llama-4-Scout-17B-16E-Instruct", 109_000_000_000L)
              .architecture(
                  a ->
                      a.modelType("llama4")
                          .numLayers(48)
                          .hiddenSize(5120)
                          .intermediateSize(16384) // intermediate_size_mlp (dense layers; none)
                          .numAttentionHeads(40)
                          .numKeyValueHeads(8)
                          .headDim(128)
                          .vocabSize(202048)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(10485760)
                          .nativeDtype(DataType.BF16)
                          // attention_chunk_size 8192 on RoPE layers; every 4th layer is NoPE
                          // and global (no_rope_layers empty -> interval 4).
                          .attentionLayers(every(48, 4, LayerAttention.chunkedLocal(8192)))
                          .moe(
                              m ->
                                  m.numExperts(16)
                                      .expertsPerToken(1)
                                      .expertIntermediateSize(8192)
                                      .numSharedExperts(1)
                                      .sharedExpertIntermediateSize(8192)))
              .build(),
          // gemma3_text; 1B parameters (model card). sliding_window 512, pattern 6.
          entry("google/gemma-3-1b-it", 1_000_000_000L)
              .architecture(
                  a ->
                      a.modelType("gemma3_text")
                          .numLayers(26)
                          .hiddenSize(1152)
                          .intermediateSize(6912)
                          .numAttentionHeads(4)
                          .numKeyValueHeads(1)
                          .headDim(256)
                          .vocabSize(262144)
                          .tiedEmbeddings(true)
                          .maxPositionEmbeddings(32768)
                          .nativeDtype(DataType.BF16)
                          .attentionLayers(every(26, 6, LayerAttention.slidingWindow(512))))
              .build(),
          // text_config lists only hidden_size, intermediate_size, num_hidden_layers and
          // sliding_window; heads (8), KV heads (4), head_dim (256), vocab (262208), max positions
          // (131072) and tied embeddings are Gemma3TextConfig defaults. 4B with the vision tower.
          entry("google/gemma-3-4b-it", 4_300_000_000L)
              .architecture(
                  a ->
                      a.modelType("gemma3")
                          .numLayers(34)
                          .hiddenSize(2560)
                          .intermediateSize(10240)
                          .numAttentionHeads(8)
                          .numKeyValueHeads(4)
                          .headDim(256)
                          .vocabSize(262208)
                          .tiedEmbeddings(true)
                          .maxPositionEmbeddings(131072)
                          .nativeDtype(DataType.BF16)
                          .attentionLayers(every(34, 6, LayerAttention.slidingWindow(1024))))
              .build(),
          entry("google/gemma-3-27b-it", 27_400_000_000L)
              .architecture(
                  a ->
                      a.modelType("gemma3")
                          .numLayers(62)
                          .hiddenSize(5376)
                          .intermediateSize(21504)
                          .numAttentionHeads(32)
                          .numKeyValueHeads(16)
                          .headDim(128)
                          .vocabSize(262208)
                          .tiedEmbeddings(true)
                          .maxPositionEmbeddings(131072)
                          .nativeDtype(DataType.BF16)
                          .attentionLayers(every(62, 6, LayerAttention.slidingWindow(1024))))
              .build(),
          // Qwen3 model cards: 8.2B and 32.8B parameters.
          entry("Qwen/Qwen3-8B", 8_200_000_000L)
              .architecture(a -> qwen3(a, 36, 4096, 12288, 32).nativeDtype(DataType.BF16))
              .build(),
          entry("Qwen/Qwen3-32B", 32_800_000_000L)
              .architecture(a -> qwen3(a, 64, 5120, 25600, 64).nativeDtype(DataType.BF16))
              .build(),
          // quantization_config: quant_method fp8, fmt e4m3, 128x128 blocks, which covers the
          // decoder's linear layers; embed_tokens and lm_head stay bf16 (1.56 B parameters).
          entry("Qwen/Qwen3-32B-FP8", 32_800_000_000L)
              .architecture(
                  a ->
                      qwen3(a, 64, 5120, 25600, 64)
                          .nativeDtype(DataType.FP8_E4M3)
                          .embeddingDtype(DataType.BF16))
              .build(),
          // gpt-oss model card: 21B (3.6B active) and 117B (5.1B active); MXFP4 experts.
          entry("openai/gpt-oss-20b", 21_000_000_000L).architecture(a -> gptOss(a, 24, 32)).build(),
          entry("openai/gpt-oss-120b", 117_000_000_000L)
              .architecture(a -> gptOss(a, 36, 128))
              .build(),
          // Mixtral model card: 46.7B total, 12.9B active.
          entry("mistralai/Mixtral-8x7B-Instruct-v0.1", 46_700_000_000L)
              .architecture(
                  a ->
                      a.modelType("mixtral")
                          .numLayers(32)
                          .hiddenSize(4096)
                          .intermediateSize(14336)
                          .numAttentionHeads(32)
                          .numKeyValueHeads(8)
                          .headDim(128)
                          .vocabSize(32000)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(32768)
                          .nativeDtype(DataType.BF16)
                          .moe(
                              m ->
                                  m.numExperts(8).expertsPerToken(2).expertIntermediateSize(14336)))
              .build(),
          // DeepSeek-V3/R1: 671B total, 37B active (the 14B multi-token-prediction layer aside).
          entry("deepseek-ai/DeepSeek-R1", 671_000_000_000L)
              .architecture(
                  a ->
                      a.modelType("deepseek_v3")
                          .numLayers(61)
                          .hiddenSize(7168)
                          .intermediateSize(18432)
                          .numAttentionHeads(128)
                          .numKeyValueHeads(128)
                          .headDim(128 + 64)
                          .valueHeadDim(128)
                          .vocabSize(129280)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(163840)
                          .nativeDtype(DataType.FP8_E4M3)
                          .embeddingDtype(DataType.BF16) // fp8 covers linear layers only
                          .mla(
                              m ->
                                  m.kvLoraRank(512)
                                      .qLoraRank(1536)
                                      .qkRopeHeadDim(64)
                                      .qkNopeHeadDim(128))
                          .moe(
                              m ->
                                  m.numExperts(256)
                                      .expertsPerToken(8)
                                      .expertIntermediateSize(2048)
                                      .numSharedExperts(1)
                                      .sharedExpertIntermediateSize(2048)
                                      .firstDenseLayers(3)))
              .build());

  private static ModelArchitecture.Builder qwen3(
      ModelArchitecture.Builder a, int layers, int hidden, int intermediate, int heads) {
    return a.modelType("qwen3")
        .numLayers(layers)
        .hiddenSize(hidden)
        .intermediateSize(intermediate)
        .numAttentionHeads(heads)
        .numKeyValueHeads(8)
        .headDim(128)
        .vocabSize(151936)
        .tiedEmbeddings(false)
        .maxPositionEmbeddings(40960);
  }

  /**
   * gpt-oss: layer_types alternate sliding_attention (window 128) and full_attention; only the MoE
   * experts are MXFP4 (quantization_config modules_to_not_convert: self_attn, router, embed_tokens,
   * lm_head), so embeddings and attention are bf16.
   */
  private static ModelArchitecture.Builder gptOss(
      ModelArchitecture.Builder a, int layers, int experts) {
    List<LayerAttention> attention = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      attention.add(i % 2 == 0 ? LayerAttention.slidingWindow(128) : LayerAttention.full());
    }
    return a.modelType("gpt_oss")
        .numLayers(layers)
        .hiddenSize(2880)
        .intermediateSize(2880)
        .numAttentionHeads(64)
        .numKeyValueHeads(8)
        .headDim(64)
        .vocabSize(201088)
        .tiedEmbeddings(false)
        .maxPositionEmbeddings(131072)
        .nativeDtype(DataType.MXFP4)
        .embeddingDtype(DataType.BF16)
        .attentionDtype(DataType.BF16)
        .attentionLayers(attention)
        .moe(m -> m.numExperts(experts).expertsPerToken(4).expertIntermediateSize(2880));
  }

  /** Every {@code period}-th layer (1-based) is full, the others use {@code windowed}. */
  private static List<LayerAttention> every(int layers, int period, LayerAttention windowed) {
    List<LayerAttention> attention = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      attention.add((i + 1) % period == 0 ? LayerAttention.full() : windowed);
    }
    return attention;
  }

  private static CatalogEntry.Builder entry(String id, long publishedParameters) {
    return CatalogEntry.builder()
        .huggingFaceId(id)
        .source(ModelCatalog.configUrl(id))
        .publishedParameters(publishedParameters);
  }
}
