package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.core.model.DataType;

/**
 * The KV-cache dtype, as vLLM's {@code --kv-cache-dtype} (vllm-project/vllm vllm/config/cache.py
 * (CacheDType)).
 */
public enum KvCacheDtype {
  /** The model's activation dtype (bf16, or fp16 for fp16 checkpoints); vLLM's default. */
  AUTO("auto"),
  /** 8-bit float E4M3 ({@code fp8} is an alias); halves the KV cache. */
  FP8_E4M3("fp8_e4m3"),
  /** 8-bit float E5M2, used without checkpoint scales. */
  FP8_E5M2("fp8_e5m2");

  private final String flag;

  KvCacheDtype(String flag) {
    this.flag = flag;
  }

  /** Returns the value of vLLM's {@code --kv-cache-dtype} flag. */
  public String flag() {
    return flag;
  }

  /**
   * Returns the storage dtype of the cache for a model whose checkpoint dtype is {@code native}.
   *
   * @param nativeDtype the checkpoint's dtype
   * @return the cache dtype
   */
  public DataType storage(DataType nativeDtype) {
    return switch (this) {
      case AUTO -> nativeDtype == DataType.FP16 ? DataType.FP16 : DataType.BF16;
      case FP8_E4M3 -> DataType.FP8_E4M3;
      case FP8_E5M2 -> DataType.FP8_E5M2;
    };
  }
}
