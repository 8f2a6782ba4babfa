package io.github.gkeinference.kvcache;

/**
 * Element type of the K and V values stored in the cache.
 *
 * <p>The names follow vLLM's {@code --kv-cache-dtype} values ({@code float16}, {@code bfloat16},
 * {@code fp8_e4m3}, {@code fp8_e5m2}; source: {@code vllm/config/cache.py}, {@code CacheDType}).
 * Values are stored as {@code x / scale} and read back as {@code stored * scale}, with the layer's
 * K or V scale from {@link KvCacheLayout}.
 */
public enum KvDtype {
  /** IEEE 754 binary32, 4 bytes. */
  F32(4),
  /** IEEE 754 binary16, 2 bytes. */
  F16(2),
  /** bfloat16 (the upper half of a binary32), 2 bytes, rounded to nearest even. */
  BF16(2),
  /** OCP FP8 E4M3 (bias 7, max 448, no infinities), 1 byte, saturating. */
  FP8_E4M3(1),
  /** OCP FP8 E5M2 (bias 15, max 57344), 1 byte, saturating for finite inputs. */
  FP8_E5M2(1);

  private final int bytes;

  KvDtype(int bytes) {
    this.bytes = bytes;
  }

  /**
   * Size of one element in bytes.
   *
   * @return 4, 2 or 1
   */
  public int bytes() {
    return bytes;
  }
}
