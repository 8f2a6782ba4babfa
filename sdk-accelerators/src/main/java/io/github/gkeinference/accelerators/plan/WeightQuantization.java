package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.core.model.DataType;
import java.util.Optional;

/**
 * How vLLM serves weights in a dtype other than the checkpoint's: the {@code --quantization} method
 * a plan renders, or why it cannot be served from the checkpoint.
 *
 * <p>vLLM quantizes 16- and 32-bit float checkpoints to FP8 while loading them ({@code
 * --quantization=fp8}, dynamic per-tensor scales;
 * https://docs.vllm.ai/en/v0.11.2/features/quantization/fp8.html). A checkpoint that is already
 * quantized (FP8, MXFP4, AWQ/GPTQ int4) declares its method in {@code config.json}'s {@code
 * quantization_config}, which vLLM reads without the flag. Integer and FP4 weights need a
 * checkpoint quantized ahead of time (AWQ, GPTQ, compressed-tensors), that is a different model id,
 * and an already-quantized checkpoint cannot be served in a wider dtype.
 */
final class WeightQuantization {
  /** vLLM's online FP8 weight quantization method. */
  static final String FP8 = "fp8";

  private WeightQuantization() {}

  /**
   * Returns the {@code --quantization} method for serving a checkpoint stored in {@code checkpoint}
   * with weights in {@code weights}; empty when vLLM needs none.
   */
  static Optional<String> method(DataType checkpoint, DataType weights) {
    return weights == DataType.FP8_E4M3 && unquantized(checkpoint)
        ? Optional.of(FP8)
        : Optional.empty();
  }

  /**
   * Returns why vLLM cannot serve a {@code checkpoint} checkpoint with {@code weights} weights;
   * empty when it can.
   */
  static Optional<String> problem(DataType checkpoint, DataType weights) {
    if (weights == checkpoint
        || (unquantized(checkpoint) && unquantized(weights))
        || method(checkpoint, weights).isPresent()) {
      return Optional.empty();
    }
    if (unquantized(checkpoint)) {
      return Optional.of(
          weights.configName()
              + " weights need a checkpoint quantized ahead of time (AWQ, GPTQ or"
              + " compressed-tensors); vLLM quantizes a "
              + checkpoint.configName()
              + " checkpoint while loading only to fp8 (--quantization=fp8)");
    }
    return Optional.of(
        "the checkpoint is already quantized to "
            + checkpoint.configName()
            + "; vLLM serves it as stored, not as "
            + weights.configName());
  }

  private static boolean unquantized(DataType d) {
    return d == DataType.BF16 || d == DataType.FP16 || d == DataType.FP32;
  }
}
