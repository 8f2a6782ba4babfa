package io.github.gkeinference.kvcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KvCodecTest {

  @Test
  void e4m3_knownValues() {
    assertThat(KvCodec.floatToE4m3(1.0f))
        .isEqualTo((byte) 0x38); // exponent 0 + bias 7 = 7 -> 7 << 3
    assertThat(KvCodec.floatToE4m3(1.125f)).isEqualTo((byte) 0x39); // mantissa 1/8
    assertThat(KvCodec.floatToE4m3(0.5f)).isEqualTo((byte) 0x30);
    assertThat(KvCodec.floatToE4m3(-2f)).isEqualTo((byte) 0xC0); // sign | (8 << 3)
    assertThat(KvCodec.floatToE4m3(448f)).isEqualTo((byte) 0x7E); // 1.75 * 2^8, the maximum
    assertThat(KvCodec.floatToE4m3(1000f)).isEqualTo((byte) 0x7E); // saturates
    assertThat(KvCodec.floatToE4m3(0x1p-9f)).isEqualTo((byte) 0x01); // smallest subnormal
    assertThat(KvCodec.floatToE4m3(0x1p-10f)).isEqualTo((byte) 0x00); // tie rounds to even 0
    assertThat(KvCodec.floatToE4m3(3 * 0x1p-10f)).isEqualTo((byte) 0x02); // 1.5 steps -> 2
    assertThat(KvCodec.e4m3ToFloat((byte) 0x7E)).isEqualTo(448f);
    assertThat(KvCodec.e4m3ToFloat((byte) 0x7F)).isNaN();
  }

  @Test
  void e4m3_everyFiniteCode_roundTrips() {
    for (int c = 0; c < 256; c++) {
      if ((c & 0x7F) == 0x7F) {
        continue;
      }
      float x = KvCodec.e4m3ToFloat((byte) c);
      assertThat(KvCodec.floatToE4m3(x) & 0xFF).as("code %02x", c).isEqualTo(c);
    }
  }

  @Test
  void e5m2_knownValuesAndRoundTrip() {
    assertThat(KvCodec.floatToE5m2(1.0f)).isEqualTo((byte) 0x3C); // fp16 0x3C00
    assertThat(KvCodec.floatToE5m2(1.25f)).isEqualTo((byte) 0x3D); // fp16 0x3D00
    assertThat(KvCodec.floatToE5m2(1.125f)).isEqualTo((byte) 0x3C); // fp16 0x3C80: tie to even
    assertThat(KvCodec.floatToE5m2(57344f)).isEqualTo((byte) 0x7B); // 1.75 * 2^15, the maximum
    assertThat(KvCodec.floatToE5m2(1e6f)).isEqualTo((byte) 0x7B); // saturates
    for (int c = 0; c < 256; c++) {
      if ((c & 0x7C) == 0x7C) {
        continue; // inf / NaN
      }
      float x = KvCodec.e5m2ToFloat((byte) c);
      assertThat(KvCodec.floatToE5m2(x) & 0xFF).as("code %02x", c).isEqualTo(c);
    }
  }

  @Test
  void bf16_roundsToNearestEven() {
    assertThat(KvCodec.floatToBf16(1.0f)).isEqualTo((short) 0x3F80);
    assertThat(KvCodec.floatToBf16(1 + 0x1p-8f)).isEqualTo((short) 0x3F80); // tie, keep even
    assertThat(KvCodec.floatToBf16(1 + 0x1p-7f + 0x1p-8f))
        .isEqualTo((short) 0x3F82); // tie, up to even
    assertThat(KvCodec.bf16ToFloat((short) 0x3F82)).isEqualTo(1 + 0x1p-6f);
    assertThat(KvCodec.bf16ToFloat(KvCodec.floatToBf16(Float.NaN))).isNaN();
  }
}
