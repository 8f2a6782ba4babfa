package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What to plan: a model, how it is served, and on which accelerators.
 *
 * <pre>{@code
 * FitRequest request = FitRequest.builder()
 *     .architecture(ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture())
 *     .maxModelLen(8192)
 *     .addCandidate("nvidia-l4")
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableFitRequest.class)
public interface FitRequest {
  /**
   * vLLM's default KV block size in tokens ({@code DEFAULT_BLOCK_SIZE = 16}, vllm-project/vllm
   * vllm/v1/core/kv_cache_utils.py and vllm/v1/kv_cache_interface.py).
   */
  int DEFAULT_BLOCK_SIZE = 16;

  /**
   * The tokens vLLM's profile run pushes through the model at once ({@code
   * --max-num-batched-tokens}); 8192 is the planner's assumption for online serving with chunked
   * prefill, used only to estimate the activation peak.
   */
  int DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;

  /**
   * vLLM's classic default {@code --max-num-seqs} (256): the scheduler's cap on running sequences.
   */
  int DEFAULT_MAX_NUM_SEQS = 256;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this request. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The model's architecture (from {@code io.github.gkeinference.core.model.ModelCatalog}). */
  ModelArchitecture architecture();

  /** The weight dtype or quantization (bf16, fp8, int8, int4 for AWQ/GPTQ); default the model's. */
  @Value.Default
  default DataType weightDtype() {
    return architecture().nativeDtype();
  }

  /**
   * The longest sequence to serve (vLLM's max model len). Empty: the longest the KV cache and the
   * model allow, a whole number of blocks.
   */
  OptionalInt maxModelLen();

  /** The scheduler's cap on concurrent sequences ({@code --max-num-seqs}); default 256. */
  @Value.Default
  default int maxNumSeqs() {
    return DEFAULT_MAX_NUM_SEQS;
  }

  /**
   * Full-length sequences the KV cache must hold at once for a plan to be feasible; default 1 (vLLM
   * refuses to start when one sequence of the max model len does not fit).
   */
  @Value.Default
  default int minConcurrentSequences() {
    return 1;
  }

  /**
   * The vLLM release that will serve the plan, for its defaults; default {@link
   * VllmVersion#PINNED}, the release of the SDK's default GPU image.
   */
  @Value.Default
  default VllmVersion vllmVersion() {
    return VllmVersion.PINNED;
  }

  /**
   * The share of device memory vLLM may use; default the {@link #vllmVersion()}'s own default (0.90
   * for the pinned v0.11 release, 0.92 from v0.21.0 on). {@code toBuilder()} copies the resolved
   * share: set it again when changing the version of a copy.
   */
  @Value.Default
  default double gpuMemoryUtilization() {
    return vllmVersion().defaultGpuMemoryUtilization();
  }

  /** The KV-cache dtype; default AUTO. */
  @Value.Default
  default KvCacheDtype kvCacheDtype() {
    return KvCacheDtype.AUTO;
  }

  /** The KV block size in tokens; default 16. */
  @Value.Default
  default int blockSize() {
    return DEFAULT_BLOCK_SIZE;
  }

  /** Tokens per forward pass, for the activation estimate; default 8192. */
  @Value.Default
  default int maxNumBatchedTokens() {
    return DEFAULT_MAX_NUM_BATCHED_TOKENS;
  }

  /**
   * The LoRA adapter slots the server keeps ({@code --max-loras} x {@code --max-lora-rank}); their
   * memory comes out of the KV cache ({@link MemorySplit#loraAdapters()}). Empty: no LoRA.
   */
  Optional<LoraSlots> lora();

  /**
   * The draft model of speculative decoding; its weights and its layers' KV cache come out of the
   * KV cache ({@link MemorySplit#draftWeights()}, {@link MemorySplit#draftKvCache()}). Empty: no
   * draft model (none, or n-gram speculation).
   */
  Optional<DraftModel> draft();

  /** Accelerator labels to consider; empty means every accelerator of the catalog. */
  List<String> candidates();

  /**
   * Hourly prices by machine type, supplied by the caller (the SDK ships none); used to rank plans
   * with the same device count.
   */
  Map<String, Double> pricesPerHour();

  /**
   * Checks every field.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    maxModelLen()
        .ifPresent(
            n ->
                v.require(
                    n >= 1 && n <= architecture().maxPositionEmbeddings(),
                    "maxModelLen",
                    n,
                    "must be 1 to the model's max_position_embeddings ("
                        + architecture().maxPositionEmbeddings()
                        + ")"));
    v.require(maxNumSeqs() >= 1, "maxNumSeqs", maxNumSeqs(), "must be at least 1");
    v.require(
        minConcurrentSequences() >= 1 && minConcurrentSequences() <= maxNumSeqs(),
        "minConcurrentSequences",
        minConcurrentSequences(),
        "must be 1 to maxNumSeqs");
    v.require(
        gpuMemoryUtilization() > 0 && gpuMemoryUtilization() <= 1,
        "gpuMemoryUtilization",
        gpuMemoryUtilization(),
        "must be above 0 and at most 1");
    v.require(
        blockSize() >= 1 && blockSize() <= 1024 && Integer.bitCount(blockSize()) == 1,
        "blockSize",
        blockSize(),
        "must be a power of two up to 1024 (vLLM uses 16)");
    v.require(
        maxNumBatchedTokens() >= 1, "maxNumBatchedTokens", maxNumBatchedTokens(), "must be >= 1");
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    for (int i = 0; i < candidates().size(); i++) {
      catalog.checkLabel(v.at("candidates", i), "", candidates().get(i));
    }
    pricesPerHour()
        .forEach(
            (machine, price) ->
                v.require(
                    price >= 0 && !price.isNaN(),
                    "pricesPerHour." + machine,
                    price,
                    "must be >= 0"));
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableFitRequest.Builder {
    /**
     * Sets LoRA slots of the given count and rank.
     *
     * @param maxLoras {@code --max-loras}
     * @param maxLoraRank {@code --max-lora-rank}
     * @return this builder
     */
    public Builder lora(int maxLoras, int maxLoraRank) {
      return lora(LoraSlots.of(maxLoras, maxLoraRank));
    }
  }
}
