package io.github.gkeinference.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * A numeric format of weights or KV-cache entries, with its storage size.
 *
 * <p>Sizes are exact: {@link #bytes(long)} rounds the total up to whole bytes once, so packed 4-bit
 * formats are counted correctly. {@link #MXFP4} carries one 8-bit shared scale per block of 32
 * values (OCP Microscaling Formats spec v1.0), that is 4.25 bits per value.
 */
public enum DataType {
  /** IEEE 754 single precision, 4 bytes. */
  FP32("float32", 32 * 32),
  /** bfloat16, 2 bytes; the native dtype of most current checkpoints. */
  BF16("bfloat16", 16 * 32),
  /** IEEE 754 half precision, 2 bytes. */
  FP16("float16", 16 * 32),
  /** 8-bit float with 4 exponent and 3 mantissa bits; vLLM's {@code fp8} / {@code fp8_e4m3}. */
  FP8_E4M3("fp8_e4m3", 8 * 32),
  /** 8-bit float with 5 exponent and 2 mantissa bits; vLLM's {@code fp8_e5m2}. */
  FP8_E5M2("fp8_e5m2", 8 * 32),
  /** 8-bit integer. */
  INT8("int8", 8 * 32),
  /** 4-bit integer, two values per byte (scales not counted). */
  INT4("int4", 4 * 32),
  /** OCP MX FP4 (E2M1) with one E8M0 scale per 32 values: 4.25 bits per value (gpt-oss experts). */
  MXFP4("mxfp4", 4 * 32 + 8),
  /**
   * NVIDIA NVFP4: FP4 (E2M1) with one FP8 (E4M3) scale per 16 values, 4.5 bits per value (the one
   * FP32 scale per tensor is not counted); the format of ModelOpt's {@code -NVFP4} checkpoints.
   * Source: NVIDIA Technical Blog, "Introducing NVFP4 for Efficient and Accurate Low-Precision
   * Inference"
   * (https://developer.nvidia.com/blog/introducing-nvfp4-for-efficient-and-accurate-low-precision-inference/).
   * Not read from configuration names ({@link #fromName}).
   */
  NVFP4("nvfp4", 4 * 32 + 2 * 8);

  private final String configName;
  private final int bitsPer32;

  DataType(String configName, int bitsPer32) {
    this.configName = configName;
    this.bitsPer32 = bitsPer32;
  }

  /** Returns the lower-case name used in configuration, for example {@code bfloat16}. */
  public String configName() {
    return configName;
  }

  /** Returns the storage size of one value in bits (4.25 for {@link #MXFP4}). */
  public double bitsPerElement() {
    return bitsPer32 / 32.0;
  }

  /** Returns the storage size of one value in bytes (0.5 for {@link #INT4}). */
  public double bytesPerElement() {
    return bitsPer32 / 256.0;
  }

  /**
   * Returns the bytes that {@code count} values take, rounded up to a whole byte.
   *
   * @param count the number of values; zero or more
   * @return the size in bytes
   * @throws IllegalArgumentException when {@code count} is negative
   */
  public long bytes(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be zero or more, was " + count);
    }
    // count * bitsPer32 / 256, rounded up; count stays far below 2^54 for any real model.
    return Math.floorDiv(Math.multiplyExact(count, (long) bitsPer32) + 255, 256);
  }

  /**
   * Reads a dtype name as written in {@code config.json} ({@code torch_dtype}, {@code dtype}) or in
   * vLLM flags: {@code float32}, {@code bfloat16}, {@code float16}, {@code fp8}, {@code fp8_e4m3},
   * {@code fp8_e5m2}, {@code int8}, {@code int4}, {@code mxfp4}, with or without a {@code torch.}
   * prefix, case-insensitive; also {@code float}, {@code half}, {@code bf16}, {@code fp16}, {@code
   * fp32}.
   *
   * @param name the name
   * @return the data type, or empty when the name is not known
   */
  public static Optional<DataType> fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith("torch.")) {
      n = n.substring("torch.".length());
    }
    switch (n) {
      case "float32":
      case "float":
      case "fp32":
        return Optional.of(FP32);
      case "bfloat16":
      case "bf16":
        return Optional.of(BF16);
      case "float16":
      case "half":
      case "fp16":
        return Optional.of(FP16);
      case "fp8":
      case "fp8_e4m3":
      case "float8_e4m3fn":
      case "e4m3":
        return Optional.of(FP8_E4M3);
      case "fp8_e5m2":
      case "float8_e5m2":
      case "e5m2":
        return Optional.of(FP8_E5M2);
      case "int8":
        return Optional.of(INT8);
      case "int4":
        return Optional.of(INT4);
      case "mxfp4":
        return Optional.of(MXFP4);
      default:
        return Optional.empty();
    }
  }
}
