package io.github.gkeinference.kvcache.internal;

import io.github.gkeinference.kvcache.KvDtype;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Conversions between {@code float} and the stored KV element types; for this module's packages
 * only.
 */
public final class KvCodec {

  private static final float[] E4M3 = new float[256];
  private static final float[] E5M2 = new float[256];

  static {
    for (int c = 0; c < 256; c++) {
      int e = (c >>> 3) & 0xF;
      int m = c & 7;
      float mag;
      if (e == 15 && m == 7) {
        mag = Float.NaN;
      } else if (e == 0) {
        mag = m * 0x1p-9f;
      } else {
        mag = (1f + m / 8f) * Math.scalb(1f, e - 7);
      }
      E4M3[c] = (c & 0x80) != 0 ? -mag : mag;
      E5M2[c] = Float.float16ToFloat((short) (c << 8));
    }
  }

  private KvCodec() {}

  /**
   * Decodes an FP8 E4M3 byte (OCP, bias 7, no infinities, 0x7F/0xFF are NaN).
   *
   * @param b stored byte
   * @return value
   */
  public static float e4m3ToFloat(byte b) {
    return E4M3[b & 0xFF];
  }

  /**
   * Decodes an FP8 E5M2 byte (the upper byte of an IEEE binary16).
   *
   * @param b stored byte
   * @return value
   */
  public static float e5m2ToFloat(byte b) {
    return E5M2[b & 0xFF];
  }

  /**
   * Encodes to FP8 E4M3, rounding to nearest even and saturating at +-448.
   *
   * @param x value
   * @return stored byte
   */
  public static byte floatToE4m3(float x) {
    if (Float.isNaN(x)) {
      return 0x7F;
    }
    int sign = x < 0 || (x == 0 && 1 / x < 0) ? 0x80 : 0;
    float a = Math.abs(x);
    int code;
    if (a >= 448f) {
      code = 0x7E;
    } else if (a < 0x1p-6f) {
      code = (int) Math.rint(a * 0x1p9f); // subnormal steps of 2^-9; 8 rounds up to the min normal
    } else {
      int bits = Float.floatToRawIntBits(a);
      int exp = ((bits >>> 23) & 0xFF) - 127;
      int mant = bits & 0x7FFFFF;
      int m3 = mant >>> 20;
      int rem = mant & 0xFFFFF;
      if (rem > 0x80000 || (rem == 0x80000 && (m3 & 1) == 1)) {
        m3++;
        if (m3 == 8) {
          m3 = 0;
          exp++;
        }
      }
      code = Math.min(((exp + 7) << 3) | m3, 0x7E);
    }
    return (byte) (sign | code);
  }

  /**
   * Encodes to FP8 E5M2, rounding to nearest even and saturating finite values at +-57344.
   *
   * @param x value
   * @return stored byte
   */
  public static byte floatToE5m2(float x) {
    if (Float.isNaN(x)) {
      return 0x7F;
    }
    int h = Float.floatToFloat16(x) & 0xFFFF;
    int sign = h & 0x8000;
    int mag = h & 0x7FFF;
    if (mag >= 0x7C00) {
      return (byte) ((sign >>> 8) | (Float.isInfinite(x) ? 0x7C : 0x7B));
    }
    int hi = mag >>> 8;
    int lo = mag & 0xFF;
    if (lo > 0x80 || (lo == 0x80 && (hi & 1) == 1)) {
      hi++;
    }
    if (hi >= 0x7C) {
      hi = 0x7B;
    }
    return (byte) ((sign >>> 8) | hi);
  }

  /**
   * Encodes to bfloat16, rounding to nearest even.
   *
   * @param x value
   * @return stored bits
   */
  public static short floatToBf16(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (Float.isNaN(x)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /**
   * Decodes bfloat16.
   *
   * @param s stored bits
   * @return value
   */
  public static float bf16ToFloat(short s) {
    return Float.intBitsToFloat(s << 16);
  }

  /**
   * Writes {@code x} in the given element type.
   *
   * @param seg segment
   * @param offset byte offset, aligned to the element size
   * @param dtype element type
   * @param x value (already divided by the scale)
   */
  public static void store(MemorySegment seg, long offset, KvDtype dtype, float x) {
    switch (dtype) {
      case F32 -> seg.set(ValueLayout.JAVA_FLOAT, offset, x);
      case F16 -> seg.set(ValueLayout.JAVA_SHORT, offset, Float.floatToFloat16(x));
      case BF16 -> seg.set(ValueLayout.JAVA_SHORT, offset, floatToBf16(x));
      case FP8_E4M3 -> seg.set(ValueLayout.JAVA_BYTE, offset, floatToE4m3(x));
      case FP8_E5M2 -> seg.set(ValueLayout.JAVA_BYTE, offset, floatToE5m2(x));
    }
  }

  /**
   * Reads one element as float (before scaling).
   *
   * @param seg segment
   * @param offset byte offset
   * @param dtype element type
   * @return value
   */
  public static float load(MemorySegment seg, long offset, KvDtype dtype) {
    return switch (dtype) {
      case F32 -> seg.get(ValueLayout.JAVA_FLOAT, offset);
      case F16 -> Float.float16ToFloat(seg.get(ValueLayout.JAVA_SHORT, offset));
      case BF16 -> bf16ToFloat(seg.get(ValueLayout.JAVA_SHORT, offset));
      case FP8_E4M3 -> e4m3ToFloat(seg.get(ValueLayout.JAVA_BYTE, offset));
      case FP8_E5M2 -> e5m2ToFloat(seg.get(ValueLayout.JAVA_BYTE, offset));
    };
  }
}
