package io.github.gkeinference.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataTypeTest {
  @Test
  void nvfp4_countsOneFp8ScalePerSixteenValues() {
    // 16 values: 16 x 4 bits = 8 bytes of E2M1 codes plus one E4M3 block scale.
    assertThat(DataType.NVFP4.bytes(16)).isEqualTo(9);
    assertThat(DataType.NVFP4.bitsPerElement()).isEqualTo(4.5);
    // 70 B parameters: 39.375 GB, against 35 GB for bare 4-bit codes.
    assertThat(DataType.NVFP4.bytes(70_000_000_000L)).isEqualTo(39_375_000_000L);
  }

  @Test
  void mxfp4_countsOneE8m0ScalePerThirtyTwoValues() {
    // 32 values: 16 bytes of E2M1 codes plus one E8M0 block scale.
    assertThat(DataType.MXFP4.bytes(32)).isEqualTo(17);
  }

  @Test
  void fromName_doesNotReadNvfp4() {
    // NVFP4 checkpoints are not named by a dtype in config.json or a vLLM flag the SDK reads.
    assertThat(DataType.fromName("nvfp4")).isEmpty();
    assertThat(DataType.fromName("mxfp4")).contains(DataType.MXFP4);
  }
}
