package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.model.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The planner's answer for one accelerator: whether the model fits, on which machine and with which
 * parallelism, how each device's memory is split and how much KV cache that leaves.
 *
 * <h2>Using a plan for serving</h2>
 *
 * A serving spec takes its vLLM flags from {@link #vllmArgs()} ({@code --tensor-parallel-size},
 * {@code --pipeline-parallel-size}, {@code --max-model-len}, {@code --gpu-memory-utilization},
 * {@code --kv-cache-dtype}, {@code --block-size} and, for weights quantized while loading, {@code
 * --quantization}) and its scheduling from {@link #placement()}, which requests exactly {@link
 * #devices()} devices. A plan always has {@code devices == tensorParallelism * pipelineParallelism}
 * (checked on construction), so a server built from a plan can never request fewer devices than its
 * parallelism. Only feasible plans give flags and placements.
 *
 * <h2>The numbers</h2>
 *
 * Every device holds {@code weights / tensorParallelism} bytes of weights and the KV heads {@code
 * max(1, kvHeads / tp)} (MLA models keep the whole latent cache on every device, as vLLM does).
 * {@code kvBlocks = floor(memory.kvCache / bytesPerBlock)} (vLLM's {@code get_num_blocks}), {@code
 * kvTokens = kvBlocks * blockSize}, and {@code maxConcurrentSequences} is the number of {@code
 * maxModelLen}-token sequences those blocks hold (each layer with the tokens vLLM budgets for it),
 * capped by {@code --max-num-seqs}.
 *
 * @param accelerator the accelerator label
 * @param machineType the machine type of each host (one host per replica unless {@link #hosts()}
 *     says more: GPU pipeline stages or a multi-host TPU slice)
 * @param tpuTopology the TPU slice topology, or {@code null} for GPUs
 * @param devices the devices one replica uses: {@code tensorParallelism * pipelineParallelism}
 * @param tensorParallelism vLLM's {@code --tensor-parallel-size}
 * @param pipelineParallelism vLLM's {@code --pipeline-parallel-size}: 1, or the hosts of a
 *     multi-host GPU replica (one stage per host)
 * @param maxModelLen vLLM's {@code --max-model-len}
 * @param weightDtype the dtype the weights are served in
 * @param quantization vLLM's {@code --quantization} when the weights are quantized while loading
 *     ({@code fp8} for fp8 weights of a bf16 checkpoint), or {@code null} when vLLM serves the
 *     checkpoint as stored
 * @param kvCacheDtype vLLM's {@code --kv-cache-dtype}
 * @param gpuMemoryUtilization vLLM's {@code --gpu-memory-utilization}
 * @param blockSize vLLM's {@code --block-size}
 * @param memory the per-device memory split
 * @param bytesPerBlock the KV bytes of one block on one device, all layers
 * @param kvBlocks KV blocks per device (every device holds the same number)
 * @param kvTokens {@code kvBlocks * blockSize}
 * @param maxConcurrentSequences full-length sequences that fit at once, capped by max-num-seqs
 * @param pricePerHour the caller's price of the machine type, or {@code null} when none was given
 * @param reasons why the plan is infeasible, in words; empty when it is feasible
 */
public record FitPlan(
    String accelerator,
    String machineType,
    @Nullable String tpuTopology,
    int devices,
    int tensorParallelism,
    int pipelineParallelism,
    int maxModelLen,
    DataType weightDtype,
    @Nullable String quantization,
    KvCacheDtype kvCacheDtype,
    double gpuMemoryUtilization,
    int blockSize,
    MemorySplit memory,
    long bytesPerBlock,
    long kvBlocks,
    long kvTokens,
    int maxConcurrentSequences,
    @Nullable Double pricePerHour,
    List<String> reasons) {

  /** Validates the plan's invariants and copies the reasons. */
  public FitPlan {
    Objects.requireNonNull(accelerator, "accelerator");
    Objects.requireNonNull(machineType, "machineType");
    Objects.requireNonNull(weightDtype, "weightDtype");
    Objects.requireNonNull(kvCacheDtype, "kvCacheDtype");
    Objects.requireNonNull(memory, "memory");
    reasons = List.copyOf(reasons);
    if (tensorParallelism < 1 || pipelineParallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    if (devices != tensorParallelism * pipelineParallelism) {
      throw new IllegalArgumentException(
          "devices ("
              + devices
              + ") must equal tensorParallelism * pipelineParallelism ("
              + tensorParallelism * pipelineParallelism
              + ")");
    }
  }

  /** Returns whether the model fits. */
  public boolean feasible() {
    return reasons.isEmpty();
  }

  /** Returns vLLM's {@code --quantization} method, when the weights are quantized while loading. */
  public Optional<String> quantizationMethod() {
    return Optional.ofNullable(quantization);
  }

  /** Returns the TPU topology, if this is a TPU plan. */
  public Optional<String> topology() {
    return Optional.ofNullable(tpuTopology);
  }

  /**
   * Returns the devices on each host: the machine type's device count, or {@link #devices()} when
   * the machine type is not in the catalog.
   */
  public int devicesPerHost() {
    return AcceleratorCatalog.standard()
        .byMachineType(machineType)
        .map(MachineShape::devices)
        .filter(d -> d <= devices)
        .orElse(devices);
  }

  /** Returns the hosts (VMs) of one replica: {@code devices / devicesPerHost}. */
  public int hosts() {
    return devices / devicesPerHost();
  }

  /**
   * Returns the vLLM flags of this plan.
   *
   * @return the flags, in {@code --name=value} form
   * @throws IllegalStateException when the plan is infeasible
   */
  public List<String> vllmArgs() {
    requireFeasible();
    List<String> args = new ArrayList<>();
    args.add("--tensor-parallel-size=" + tensorParallelism);
    args.add("--pipeline-parallel-size=" + pipelineParallelism);
    args.add("--max-model-len=" + maxModelLen);
    args.add(
        "--gpu-memory-utilization=" + String.format(Locale.ROOT, "%.2f", gpuMemoryUtilization));
    args.add("--kv-cache-dtype=" + kvCacheDtype.flag());
    args.add("--block-size=" + blockSize);
    if (quantization != null) {
      args.add("--quantization=" + quantization);
    }
    return args;
  }

  /**
   * Returns the placement of one host of a replica: this accelerator, {@link #devicesPerHost()}
   * devices (all {@link #devices()} for a single-host replica), this machine type and topology.
   *
   * @return the placement; {@code schedule()} gives node selectors and resources
   * @throws IllegalStateException when the plan is infeasible
   */
  public AcceleratorPlacement placement() {
    requireFeasible();
    AcceleratorPlacement.Builder b =
        AcceleratorPlacement.builder()
            .accelerator(accelerator)
            .devices(devicesPerHost())
            .machineType(machineType);
    if (tpuTopology != null) {
      b.tpuTopology(tpuTopology);
    }
    return b.build();
  }

  private void requireFeasible() {
    if (!feasible()) {
      throw new IllegalStateException(
          "plan on " + accelerator + " is infeasible: " + String.join("; ", reasons));
    }
  }
}
