package io.github.gkeinference.accelerators.plan;

/**
 * How one device's memory is used by a plan, in bytes.
 *
 * <p>{@code usable = ceil(device * gpuMemoryUtilization)} (vLLM's {@code requested_memory}); the KV
 * cache gets what is left of it after the weights and the runtime reserve, and may be negative in
 * an infeasible plan (the weights do not fit).
 *
 * @param device the device's memory as the catalog states it
 * @param usable the share vLLM may use
 * @param weights this device's share of the weights (weights / tensor parallelism)
 * @param runtimeReserve the estimated activation peak, CUDA graphs, NCCL buffers and context
 * @param kvCache the memory left for the KV cache: {@code usable - weights - runtimeReserve}
 */
public record MemorySplit(
    long device, long usable, long weights, long runtimeReserve, long kvCache) {
  /** Returns whether weights, reserve and KV cache stay within the usable memory. */
  public boolean withinUsable() {
    return kvCache >= 0 && weights + runtimeReserve + kvCache <= usable && usable <= device;
  }
}
