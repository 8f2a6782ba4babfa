package io.github.gkeinference.accelerators.plan;

/**
 * How one device's memory is used by a plan, in bytes.
 *
 * <p>{@code usable = ceil(device * gpuMemoryUtilization)} (vLLM's {@code requested_memory}); the KV
 * cache gets what is left of it after the weights, the runtime reserve, the LoRA adapter slots and
 * the draft model's weights, and may be negative in an infeasible plan (the weights do not fit).
 * The draft model's KV cache is a part of the KV cache: vLLM keeps the draft's layers in the same
 * blocks as the target's. The split is an estimate (see {@link FitPlanner}).
 *
 * @param device the device's memory as the catalog states it
 * @param usable the share vLLM may use
 * @param weights this device's share of the weights (weights / tensor parallelism)
 * @param runtimeReserve the estimated activation peak, CUDA graphs, NCCL buffers and context
 * @param kvCache the memory left for the KV cache: {@code usable - weights - runtimeReserve -
 *     loraAdapters - draftWeights}
 * @param loraAdapters the LoRA adapter slots ({@link LoraSlots#bytesPerDevice}); 0 without LoRA
 * @param draftWeights this device's share of the draft model's weights ({@link DraftModel}); 0
 *     without a draft model (n-gram speculation has none)
 * @param draftKvCache the part of {@code kvCache} the draft model's layers hold in the KV blocks; 0
 *     without a draft model
 * @param expertWeights the part of {@code weights} that is routed experts under expert parallelism
 *     ({@link FitPlanner#planExpertParallel}): this device's experts, the rest of the weights being
 *     replicated on every data-parallel rank and split by tensor parallelism; 0 without expert
 *     parallelism
 */
public record MemorySplit(
    long device,
    long usable,
    long weights,
    long runtimeReserve,
    long kvCache,
    long loraAdapters,
    long draftWeights,
    long draftKvCache,
    long expertWeights) {

  /**
   * Returns a split without LoRA adapters or a draft model.
   *
   * @param device the device's memory
   * @param usable the share vLLM may use
   * @param weights this device's share of the weights
   * @param runtimeReserve the estimated runtime reserve
   * @param kvCache the memory left for the KV cache
   */
  public MemorySplit(long device, long usable, long weights, long runtimeReserve, long kvCache) {
    this(device, usable, weights, runtimeReserve, kvCache, 0, 0, 0, 0);
  }

  /**
   * Returns a split without expert parallelism.
   *
   * @param device the device's memory
   * @param usable the share vLLM may use
   * @param weights this device's share of the weights
   * @param runtimeReserve the estimated runtime reserve
   * @param kvCache the memory left for the KV cache
   * @param loraAdapters the LoRA adapter slots
   * @param draftWeights this device's share of the draft model's weights
   * @param draftKvCache the draft model's part of the KV cache
   */
  public MemorySplit(
      long device,
      long usable,
      long weights,
      long runtimeReserve,
      long kvCache,
      long loraAdapters,
      long draftWeights,
      long draftKvCache) {
    this(
        device,
        usable,
        weights,
        runtimeReserve,
        kvCache,
        loraAdapters,
        draftWeights,
        draftKvCache,
        0);
  }

  /**
   * Returns whether weights, reserve, adapters, draft and KV cache stay within the usable memory.
   */
  public boolean withinUsable() {
    return kvCache >= 0
        && draftKvCache <= kvCache
        && expertWeights <= weights
        && weights + runtimeReserve + loraAdapters + draftWeights + kvCache <= usable
        && usable <= device;
  }
}
