package io.github.gkeinference.core.model;

import java.util.List;

/**
 * The catalog's entries. Each value is copied from the {@code config.json} at the entry's source
 * URL; the test resources hold a copy of each file ({@code catalog/<owner>/<name>/config.json}).
 */
final class CatalogData {
  private CatalogData() {}

  static final List<CatalogEntry> ENTRIES =
      List.of(
          // hidden_size 4096, intermediate_size 14336, 32 layers, 32 heads, 8 KV heads,
          // vocab 128256, max_position_embeddings 131072, untied, bfloat16.
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
          entry("Qwen/Qwen3-32B", 32_800_000_000L)
              .architecture(
                  a ->
                      a.modelType("qwen3")
                          .numLayers(64)
                          .hiddenSize(5120)
                          .intermediateSize(25600)
                          .numAttentionHeads(64)
                          .numKeyValueHeads(8)
                          .headDim(128)
                          .vocabSize(151936)
                          .tiedEmbeddings(false)
                          .maxPositionEmbeddings(40960)
                          .nativeDtype(DataType.BF16))
              .build());

  private static CatalogEntry.Builder entry(String id, long publishedParameters) {
    return CatalogEntry.builder()
        .huggingFaceId(id)
        .source(ModelCatalog.configUrl(id))
        .publishedParameters(publishedParameters);
  }
}
