package io.github.gkeinference.serving.vllm;

import java.util.Set;

/**
 * The {@code --quantization} methods vLLM accepts, so that a typo such as {@code int3} is refused
 * when the spec is built instead of when the server starts.
 *
 * <p>Source: vllm-project/vllm {@code vllm/model_executor/layers/quantization/__init__.py}, the
 * {@code QuantizationMethods} literal. The list changes between releases (methods are added,
 * deprecated and removed); this set is the union of the lists of the releases around the pinned
 * v0.11.2, so it accepts a method any of them knows. The version table ({@code VllmVersion}) does
 * not record methods per release yet; when it does, this check should use the chosen image's.
 */
public final class QuantizationMethods {
  /** The accepted methods. */
  public static final Set<String> ALL =
      Set.of(
          "awq",
          "awq_marlin",
          "auto-round",
          "bitblas",
          "bitsandbytes",
          "compressed-tensors",
          "cpu_awq",
          "deepspeedfp",
          "experts_int8",
          "fbgemm_fp8",
          "fp8",
          "fp_quant",
          "gguf",
          "gptq",
          "gptq_bitblas",
          "gptq_marlin",
          "gptq_marlin_24",
          "hqq",
          "inc",
          "ipex",
          "modelopt",
          "modelopt_fp4",
          "modelopt_mixed",
          "moe_wna16",
          "mxfp4",
          "neuron_quant",
          "petit_nvfp4",
          "ptpc_fp8",
          "quark",
          "rtn",
          "torchao",
          "tpu_int8");

  private QuantizationMethods() {}
}
