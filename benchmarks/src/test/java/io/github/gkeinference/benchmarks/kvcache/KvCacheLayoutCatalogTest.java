package io.github.gkeinference.benchmarks.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The native cache's {@link KvCacheLayout} and the planner's {@link ModelArchitecture#kvCacheBytes}
 * must size a model's KV cache the same way, for every catalog model and every KV dtype.
 *
 * <p>Not comparable, and skipped: models with multi-head latent attention (their cache holds one
 * latent per token, not separate K and V, which {@link KvCacheLayout} does not model). Models with
 * sliding-window layers are compared at one token (where every layer keeps it); the layout gives
 * every layer full-length blocks, so at longer contexts it is an upper bound for them.
 */
class KvCacheLayoutCatalogTest {

  private static DataType toModelDtype(KvDtype dt) {
    return switch (dt) {
      case F32 -> DataType.FP32;
      case F16 -> DataType.FP16;
      case BF16 -> DataType.BF16;
      case FP8_E4M3 -> DataType.FP8_E4M3;
      case FP8_E5M2 -> DataType.FP8_E5M2;
    };
  }

  private static KvCacheLayout layoutOf(ModelArchitecture a, KvDtype dt) {
    return KvCacheLayout.builder()
        .numLayers(a.numLayers())
        .numKvHeads(a.numKeyValueHeads())
        .headDim(a.headDim())
        .vHeadDim(a.valueHeadDim())
        .dtype(dt)
        .build();
  }

  @Test
  void bytesPerToken_agreesWithModelArchitecture_forEveryCatalogModel() {
    List<String> compared = new ArrayList<>();
    for (CatalogEntry e : ModelCatalog.all()) {
      ModelArchitecture a = e.architecture();
      if (a.mla().isPresent()) {
        continue;
      }
      boolean allFull = a.attentionLayers().isEmpty();
      for (KvDtype dt : KvDtype.values()) {
        KvCacheLayout layout = layoutOf(a, dt);
        assertThat(layout.bytesPerToken())
            .as("%s %s per token", e.huggingFaceId(), dt)
            .isEqualTo(a.kvCacheBytes(toModelDtype(dt), 1));
        if (allFull) {
          assertThat(layout.bytesPerToken() * 4096)
              .as("%s %s at 4096 tokens", e.huggingFaceId(), dt)
              .isEqualTo(a.kvCacheBytes(toModelDtype(dt), 4096));
        }
      }
      compared.add(e.huggingFaceId());
    }
    assertThat(compared).as("models compared").hasSizeGreaterThan(ModelCatalog.all().size() / 2);
  }

  @Test
  void llama31_8b_bf16_is128KiBPerToken() {
    ModelArchitecture a = ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture();
    // 2 (K and V) * 32 layers * 8 KV heads * 128 dims * 2 bytes
    assertThat(layoutOf(a, KvDtype.BF16).bytesPerToken()).isEqualTo(2L * 32 * 8 * 128 * 2);
    assertThat(a.kvCacheBytes(DataType.BF16, 1)).isEqualTo(2L * 32 * 8 * 128 * 2);
  }
}
