package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorShape;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.perf.Parallelism;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * The planner's answer for one accelerator: whether the model fits, on which machine and with which
 * parallelism, how each device's memory is split and how much KV cache that leaves. Built by name
 * ({@link #builder()}); the planner ({@link FitPlanner}) makes them.
 *
 * <h2>Using a plan for serving</h2>
 *
 * A plan keeps typed serving settings: {@link #tensorParallelism()}, {@link
 * #pipelineParallelism()}, {@link #maxModelLen()}, {@link #gpuMemoryUtilization()}, {@link
 * #kvCacheDtype()}, {@link #blockSize()} and, for weights quantized while loading, {@link
 * #quantization()}. The serving module turns them into vLLM's flags ({@code
 * VllmServer.Builder.plan} and {@code VllmFlags.of(plan)}); this module renders no flags. Its
 * scheduling comes from {@link #placement()}, which requests exactly {@link #devicesPerHost()}
 * devices on each host. A plan's {@link #devices()} is {@code tensorParallelism *
 * pipelineParallelism} by construction, so a server built from a plan can never request fewer
 * devices than its parallelism. Only feasible plans give placements.
 *
 * <h2>The numbers</h2>
 *
 * Every device holds {@code weights / tensorParallelism} bytes of weights and the KV heads {@code
 * max(1, kvHeads / tp)} (MLA models keep the whole latent cache on every device, as vLLM does).
 * {@code kvBlocks = floor(memory.kvCache / bytesPerBlock)} (vLLM's {@code get_num_blocks}), {@code
 * kvTokens = kvBlocks * blockSize}, and {@code maxConcurrentSequences} is the number of {@code
 * maxModelLen}-token sequences those blocks hold (each layer with the tokens vLLM budgets for it),
 * capped by the scheduler's max-num-seqs.
 */
@Value.Immutable
@SdkStyle
public interface FitPlan extends Parallelism {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The accelerator label. */
  String accelerator();

  /**
   * The machine type of each host (one host per replica unless {@link #hosts()} says more: GPU
   * pipeline stages or a multi-host TPU slice).
   */
  String machineType();

  /** The TPU slice topology; empty for GPUs. */
  Optional<String> tpuTopology();

  /** vLLM's tensor parallel size. */
  int tensorParallelism();

  /**
   * vLLM's pipeline parallel size: 1, or the hosts of a multi-host GPU replica (one stage per
   * host).
   */
  @Value.Default
  default int pipelineParallelism() {
    return 1;
  }

  /**
   * Devices the routed experts are split over (vLLM's expert parallel size, data parallelism x
   * tensor parallelism) in a plan made by {@link FitPlanner#planExpertParallel}; 1 otherwise. Such
   * a plan describes one data-parallel rank: {@link #devices()} are that rank's tensor-parallel
   * devices, and {@link #memory()} one device's split with its experts in {@link
   * MemorySplit#expertWeights()}.
   */
  @Value.Default
  default int expertParallelism() {
    return 1;
  }

  /** The longest sequence served (vLLM's max model len). */
  int maxModelLen();

  /** The dtype the weights are served in. */
  DataType weightDtype();

  /**
   * vLLM's quantization method when the weights are quantized while loading ({@code fp8} for fp8
   * weights of a bf16 checkpoint); empty when vLLM serves the checkpoint as stored.
   */
  Optional<String> quantization();

  /** The KV-cache dtype. */
  KvCacheDtype kvCacheDtype();

  /** The share of device memory vLLM may use. */
  double gpuMemoryUtilization();

  /** The KV block size in tokens. */
  int blockSize();

  /** The per-device memory split. */
  MemorySplit memory();

  /** The KV bytes of one block on one device, all layers. */
  long bytesPerBlock();

  /** KV blocks per device (every device holds the same number). */
  long kvBlocks();

  /** {@code kvBlocks * blockSize}. */
  long kvTokens();

  /** Full-length sequences that fit at once, capped by max-num-seqs. */
  int maxConcurrentSequences();

  /** The caller's price of the machine type per hour; empty when none was given. */
  OptionalDouble pricePerHour();

  /** Why the plan is infeasible, in words; empty when it is feasible. */
  List<String> reasons();

  /**
   * Checks the parallelism.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    Parallelism.check(this, v);
    v.require(
        expertParallelism() == 1 || expertParallelism() % tensorParallelism() == 0,
        "expertParallelism",
        expertParallelism(),
        "must be 1 or a multiple of tensorParallelism (" + tensorParallelism() + ")");
    v.throwIfErrors();
  }

  /** Returns whether the model fits. */
  default boolean feasible() {
    return reasons().isEmpty();
  }

  /**
   * Returns the devices on each host: the machine type's device count, or {@link #devices()} when
   * the machine type is not in the catalog.
   */
  default int devicesPerHost() {
    return AcceleratorCatalog.standard()
        .byMachineType(machineType())
        .map(MachineShape::devices)
        .filter(d -> d <= devices())
        .orElse(devices());
  }

  /** Returns the hosts (VMs) of one replica: {@code devices / devicesPerHost}. */
  default int hosts() {
    return devices() / devicesPerHost();
  }

  /**
   * Returns the accelerator shape of one host of a replica: this accelerator, {@link
   * #devicesPerHost()} devices (all {@link #devices()} for a single-host replica), this machine
   * type and topology. A ComputeClass or node pool for the plan starts from it ({@code
   * AcceleratorComputeClass.builder().from(plan.shape())}).
   *
   * @return the shape
   * @throws IllegalStateException when the plan is infeasible
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the plan's layout is
   *     not in the catalog (a plan built by hand)
   */
  default AcceleratorShape shape() {
    if (!feasible()) {
      throw new IllegalStateException(
          "plan on " + accelerator() + " is infeasible: " + String.join("; ", reasons()));
    }
    return AcceleratorShape.of(
        accelerator(), devicesPerHost(), Optional.of(machineType()), tpuTopology());
  }

  /**
   * Returns the placement of one host of a replica: the plan's {@link #shape()}.
   *
   * @return the placement; {@code schedule()} gives node selectors and resources
   * @throws IllegalStateException when the plan is infeasible
   */
  default AcceleratorPlacement placement() {
    return AcceleratorPlacement.builder().from(shape()).build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableFitPlan.Builder {}
}
