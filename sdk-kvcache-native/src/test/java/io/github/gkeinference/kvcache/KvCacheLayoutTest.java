package io.github.gkeinference.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KvCacheLayoutTest {

  private static KvCacheLayout llama31_8b(KvDtype dtype) {
    return KvCacheLayout.builder().numLayers(32).numKvHeads(8).headDim(128).dtype(dtype).build();
  }

  @Test
  void sizes_llama31_8bBf16_matchVllmPageFormula() {
    KvCacheLayout l = llama31_8b(KvDtype.BF16);
    // page = 2 (K and V) * 16 tokens * 8 heads * 128 dim * 2 bytes
    assertThat(l.pageBytes()).isEqualTo(2L * 16 * 8 * 128 * 2).isEqualTo(64 * 1024);
    // block over all layers = 32 * 64 KiB = 2 MiB
    assertThat(l.bytesPerBlock()).isEqualTo(32L * 64 * 1024).isEqualTo(2 * 1024 * 1024);
    // per token = 2 * 32 * 8 * 128 * 2 = 128 KiB
    assertThat(l.bytesPerToken()).isEqualTo(2L * 32 * 8 * 128 * 2).isEqualTo(128 * 1024);
  }

  @Test
  void sizes_fp8_halveBf16() {
    assertThat(llama31_8b(KvDtype.FP8_E4M3).bytesPerToken()).isEqualTo(64 * 1024);
    assertThat(llama31_8b(KvDtype.FP8_E5M2).bytesPerBlock()).isEqualTo(1024 * 1024);
    assertThat(llama31_8b(KvDtype.F32).pageBytes()).isEqualTo(2L * 16 * 8 * 128 * 4);
  }

  @Test
  void numBlocksFor_floorsBudgetByBlockBytes() {
    KvCacheLayout l = llama31_8b(KvDtype.BF16);
    long budget = 10L * 2 * 1024 * 1024 + 2 * 1024 * 1024 - 1; // just under 11 blocks
    assertThat(l.numBlocksFor(budget)).isEqualTo(10);
    assertThat(l.numBlocksFor(-5)).isZero();
  }

  /** Two layers, 4 KV heads, K 192 wide and V 128, blocks of 8, F16. */
  private static KvCacheLayout kAndVOfDifferentWidth() {
    return KvCacheLayout.builder()
        .numLayers(2)
        .numKvHeads(4)
        .headDim(192)
        .vHeadDim(128)
        .blockSize(8)
        .dtype(KvDtype.F16)
        .build();
  }

  @Test
  void vHeadDim_differentFromK_countsBothInPage() {
    KvCacheLayout l = kAndVOfDifferentWidth();
    assertThat(l.pageBytes()).isEqualTo(8L * 4 * (192 + 128) * 2);
    assertThat(l.bytesPerToken()).isEqualTo(2L * 4 * (192 + 128) * 2);
    // V of token 0 starts after all K of the block
    assertThat(l.vOffset(0, 0, 0)).isEqualTo(8L * 4 * 192 * 2);
    assertThat(l.kOffset(1, 0, 0, 0)).isEqualTo(l.pageBytes());
  }

  @Test
  void offsets_storeKTransposedPerHeadAndVPerHead() {
    KvCacheLayout l = kAndVOfDifferentWidth();
    long page = 8L * 4 * (192 + 128) * 2;
    // K [head][dim][token]: the next token of the same dimension is the next element
    assertThat(l.kOffset(0, 0, 0, 1)).isEqualTo(2);
    // the next dimension starts after blockSize tokens
    assertThat(l.kOffset(0, 0, 1, 0)).isEqualTo(8L * 2);
    // the next head starts after headDim * blockSize elements
    assertThat(l.kOffset(0, 1, 0, 0)).isEqualTo(192L * 8 * 2);
    assertThat(l.kOffset(1, 3, 191, 7)).isEqualTo(page + ((3L * 192 + 191) * 8 + 7) * 2);
    // V [head][token][dim] after all K of the layer
    long vStart = 8L * 4 * 192 * 2;
    assertThat(l.vOffset(0, 0, 1)).isEqualTo(vStart + 128L * 2);
    assertThat(l.vOffset(0, 1, 0)).isEqualTo(vStart + 8L * 128 * 2);
    assertThat(l.vOffset(1, 3, 7)).isEqualTo(page + vStart + (3L * 8 + 7) * 128 * 2);
    // the last V element of the last head and token ends the page
    assertThat(l.vOffset(1, 3, 7) + 128L * 2).isEqualTo(2 * page);
  }

  @Test
  void build_withSeveralBadFields_namesEveryOne() {
    assertThatThrownBy(
            () ->
                KvCacheLayout.builder()
                    .numLayers(2)
                    .numKvHeads(0)
                    .headDim(-1)
                    .blockSize(0)
                    .kScales(1f)
                    .vScales(1f, 0f)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numKvHeads")
        .hasMessageContaining("headDim")
        .hasMessageContaining("blockSize")
        .hasMessageContaining("kScales")
        .hasMessageContaining("vScales[1]");
  }

  @Test
  void scales_defaultToOne() {
    KvCacheLayout l = llama31_8b(KvDtype.FP8_E4M3);
    assertThat(l.kScale(31)).isEqualTo(1f);
    assertThat(l.vScale(0)).isEqualTo(1f);
  }
}
