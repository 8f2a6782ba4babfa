package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.serving.internal.ServerArgs;
import java.util.List;
import java.util.Set;

/**
 * The vLLM server flags the SDK renders, named once: the renderers write them, and the rendered
 * set's {@code WorkloadFacts} record their values, so nothing parses them back. {@link
 * #of(FitPlan)} renders a fit plan's typed settings as the flags a server built from the plan gets.
 *
 * <p>Which release accepts which flag is data: the release table ({@code core.server.VllmReleases},
 * {@code vllm-releases.yaml}) lists each flag with its source, and {@code VllmServer} rejects a
 * rendered or extra flag its image's release lacks.
 *
 * <p>Source: vLLM v0.11.2 {@code vllm/engine/arg_utils.py} (engine arguments, with the short forms
 * {@code -tp}, {@code -pp}, {@code -q}) and {@code vllm/entrypoints/openai/cli_args.py} (server
 * arguments: {@code --host}, {@code --port}, {@code --lora-modules}).
 */
public final class VllmFlags {
  /** The model path or id. */
  public static final String MODEL = "--model";

  /** The name clients send as {@code model}. */
  public static final String SERVED_MODEL_NAME = "--served-model-name";

  /** The HTTP port of the API and {@code /metrics}. */
  public static final String PORT = "--port";

  /** The address the server listens on. */
  public static final String HOST = "--host";

  /** The tensor parallel size. */
  public static final String TENSOR_PARALLEL_SIZE = "--tensor-parallel-size";

  /** The pipeline parallel size. */
  public static final String PIPELINE_PARALLEL_SIZE = "--pipeline-parallel-size";

  /** The longest sequence the server accepts. */
  public static final String MAX_MODEL_LEN = "--max-model-len";

  /** The fraction of GPU memory vLLM may use. */
  public static final String GPU_MEMORY_UTILIZATION = "--gpu-memory-utilization";

  /** The most sequences in one batch. */
  public static final String MAX_NUM_SEQS = "--max-num-seqs";

  /** The most tokens in one batch. */
  public static final String MAX_NUM_BATCHED_TOKENS = "--max-num-batched-tokens";

  /** The KV cache's data type. */
  public static final String KV_CACHE_DTYPE = "--kv-cache-dtype";

  /** Turns automatic prefix caching on. */
  public static final String ENABLE_PREFIX_CACHING = "--enable-prefix-caching";

  /** Turns automatic prefix caching off. */
  public static final String NO_ENABLE_PREFIX_CACHING = "--no-enable-prefix-caching";

  /** The KV cache block size in tokens. */
  public static final String BLOCK_SIZE = "--block-size";

  /** The weight quantization method. */
  public static final String QUANTIZATION = "--quantization";

  /** The speculative decoding configuration, as JSON. */
  public static final String SPECULATIVE_CONFIG = "--speculative-config";

  /** The host memory for offloaded KV cache, in GiB. */
  public static final String KV_OFFLOADING_SIZE = "--kv-offloading-size";

  /** The KV offloading backend. */
  public static final String KV_OFFLOADING_BACKEND = "--kv-offloading-backend";

  /** Turns LoRA adapters on. */
  public static final String ENABLE_LORA = "--enable-lora";

  /** The largest LoRA rank. */
  public static final String MAX_LORA_RANK = "--max-lora-rank";

  /** The LoRA adapters, {@code name=path} each. */
  public static final String LORA_MODULES = "--lora-modules";

  /** The most LoRA adapters in one batch (vllm/config/lora.py {@code max_loras}). */
  public static final String MAX_LORAS = "--max-loras";

  /** The most LoRA adapters cached in CPU memory (vllm/config/lora.py {@code max_cpu_loras}). */
  public static final String MAX_CPU_LORAS = "--max-cpu-loras";

  /**
   * KV-cache event publishing, as JSON (vllm-project/vllm v0.11.2 vllm/config/kv_events.py, {@code
   * KVEventsConfig}).
   */
  public static final String KV_EVENTS_CONFIG = "--kv-events-config";

  /**
   * The KV connector that moves KV cache between servers, as JSON (vllm-project/vllm v0.11.2
   * vllm/config/kv_transfer.py, {@code KVTransferConfig}; prefill/decode disaggregation). Not
   * modelled by {@code VllmServer}: {@code serving.disagg.DisaggregatedServing} renders it.
   */
  public static final String KV_TRANSFER_CONFIG = "--kv-transfer-config";

  /** The weight loading format. */
  public static final String LOAD_FORMAT = "--load-format";

  /** The executor that spreads a model over hosts ({@code ray} for multi-host). */
  public static final String DISTRIBUTED_EXECUTOR_BACKEND = "--distributed-executor-backend";

  /** Where traces are exported over OTLP. */
  public static final String OTLP_TRACES_ENDPOINT = "--otlp-traces-endpoint";

  /** The modules with detailed trace spans. */
  public static final String COLLECT_DETAILED_TRACES = "--collect-detailed-traces";

  /** vLLM's logging configuration ({@code --logging-config.formatter} and the like). */
  public static final String LOGGING_CONFIG = "--logging-config";

  /** Data-parallel ranks of the whole deployment (expert parallelism, {@code ExpertParallel}). */
  public static final String DATA_PARALLEL_SIZE = "--data-parallel-size";

  /** Data-parallel ranks one pod runs. */
  public static final String DATA_PARALLEL_SIZE_LOCAL = "--data-parallel-size-local";

  /** The address of the pod that runs rank 0 (the LeaderWorkerSet's leader). */
  public static final String DATA_PARALLEL_ADDRESS = "--data-parallel-address";

  /** The port the data-parallel ranks coordinate on. */
  public static final String DATA_PARALLEL_RPC_PORT = "--data-parallel-rpc-port";

  /** The first data-parallel rank a pod runs. */
  public static final String DATA_PARALLEL_START_RANK = "--data-parallel-start-rank";

  /** Each pod balances its own ranks; an outer balancer spreads requests over the pods. */
  public static final String DATA_PARALLEL_HYBRID_LB = "--data-parallel-hybrid-lb";

  /** Expert parallelism in the MoE layers (data parallelism x tensor parallelism devices). */
  public static final String ENABLE_EXPERT_PARALLEL = "--enable-expert-parallel";

  /** The MoE all-to-all backend; before vLLM 0.12 the {@code VLLM_ALL2ALL_BACKEND} variable. */
  public static final String ALL2ALL_BACKEND = "--all2all-backend";

  /** Expert-parallel load balancing (redundant experts). */
  public static final String ENABLE_EPLB = "--enable-eplb";

  /** The expert-parallel load balancer's settings, as JSON. */
  public static final String EPLB_CONFIG = "--eplb-config";

  /** Every flag the specs model, with vLLM's short forms; extra arguments may not repeat them. */
  public static final Set<String> MODELLED =
      Set.of(
          MODEL,
          SERVED_MODEL_NAME,
          PORT,
          HOST,
          TENSOR_PARALLEL_SIZE,
          "-tp",
          PIPELINE_PARALLEL_SIZE,
          "-pp",
          MAX_MODEL_LEN,
          GPU_MEMORY_UTILIZATION,
          MAX_NUM_SEQS,
          MAX_NUM_BATCHED_TOKENS,
          KV_CACHE_DTYPE,
          ENABLE_PREFIX_CACHING,
          NO_ENABLE_PREFIX_CACHING,
          BLOCK_SIZE,
          QUANTIZATION,
          "-q",
          SPECULATIVE_CONFIG,
          KV_OFFLOADING_SIZE,
          KV_OFFLOADING_BACKEND,
          ENABLE_LORA,
          MAX_LORA_RANK,
          LORA_MODULES,
          MAX_LORAS,
          MAX_CPU_LORAS,
          KV_EVENTS_CONFIG,
          LOAD_FORMAT,
          OTLP_TRACES_ENDPOINT,
          COLLECT_DETAILED_TRACES,
          LOGGING_CONFIG);

  private VllmFlags() {}

  /**
   * Returns the vLLM flags of a fit plan, in {@code --name=value} form and in the order a server
   * renders them: tensor parallelism, pipeline parallelism (when above 1), max model len, GPU
   * memory utilization, KV-cache dtype, block size and, for weights quantized while loading, the
   * quantization method. They equal the flags {@code VllmServer.builder().plan(plan)} renders for
   * these settings.
   *
   * <pre>{@code
   * FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);
   * VllmFlags.of(plan);  // [--tensor-parallel-size=1, --max-model-len=8192, ...]
   * }</pre>
   *
   * @param plan a feasible plan
   * @return a new list of the flags
   * @throws IllegalStateException when the plan is infeasible
   */
  public static List<String> of(FitPlan plan) {
    if (!plan.feasible()) {
      throw new IllegalStateException(
          "plan on " + plan.accelerator() + " is infeasible: " + String.join("; ", plan.reasons()));
    }
    ServerArgs args = new ServerArgs();
    args.flag(TENSOR_PARALLEL_SIZE, plan.tensorParallelism());
    if (plan.pipelineParallelism() > 1) {
      args.flag(PIPELINE_PARALLEL_SIZE, plan.pipelineParallelism());
    }
    args.flag(MAX_MODEL_LEN, plan.maxModelLen());
    args.flag(GPU_MEMORY_UTILIZATION, plan.gpuMemoryUtilization());
    args.flag(KV_CACHE_DTYPE, plan.kvCacheDtype().flag());
    args.flag(BLOCK_SIZE, plan.blockSize());
    plan.quantization().ifPresent(q -> args.flag(QUANTIZATION, q));
    return args.args();
  }
}
