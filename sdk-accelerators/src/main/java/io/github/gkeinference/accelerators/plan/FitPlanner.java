package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.validate.Violations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Plans a model on accelerators: for each candidate, the smallest valid tensor parallelism that
 * fits, the per-device memory split and the KV cache capacity, using vLLM's arithmetic
 * (vllm-project/vllm vllm/v1/core/kv_cache_utils.py and vllm/v1/kv_cache_interface.py).
 *
 * <pre>{@code
 * FitReport report = FitPlanner.plan(request);
 * FitPlan best = report.recommendation().orElseThrow();
 * best.tensorParallelism();   // 1; serving's VllmFlags.of(best) renders the flags
 * best.placement();     // nvidia-l4 x1 on g2-standard-4
 * }</pre>
 *
 * <h2>Method</h2>
 *
 * <ul>
 *   <li>Tensor parallelism is a power of two that divides the attention heads (and is a divisor or
 *       multiple of the KV heads, as vLLM requires), at most the devices of one machine; for GPUs a
 *       machine type with exactly that many GPUs must exist, for TPUs a single-host topology with
 *       that many chips. Pipeline parallelism is 1: one machine per replica.
 *   <li>Usable memory per device is {@code ceil(memory * gpuMemoryUtilization)}.
 *   <li>Weights per device: {@code ceil(architecture.weightBytes(weightDtype) / (tp * pp))}:
 *       embeddings and attention in the dtype the checkpoint keeps them (bf16 for gpt-oss), the
 *       rest in the weight dtype; quantization scales other than MXFP4's are not counted. Under
 *       expert parallelism ({@link #planExpertParallel}) the routed experts are split over the EP
 *       group instead and the rest over one rank's tensor parallelism ({@link
 *       MemorySplit#expertWeights()}).
 *   <li>A sequence needs the KV blocks vLLM budgets for it: full-attention layers its length,
 *       sliding-window layers {@code window - 1 + maxNumBatchedTokens} plus one block,
 *       chunked-local layers (Llama 4) its length ({@code LayerAttention.budgetTokens}).
 *   <li>Runtime reserve per device, an estimate of what vLLM's profile run measures besides the
 *       weights: {@value #FIXED_RUNTIME_RESERVE_TEXT} for the CUDA context, NCCL buffers and CUDA
 *       graphs, plus the activations of one batch {@code maxNumBatchedTokens * (hidden + 2 * mlp /
 *       tp) * 2 bytes}, plus the fp32 logits of {@code maxNumSeqs * vocab / tp * 4 bytes}.
 *   <li>LoRA adapter slots ({@link FitRequest#lora()}, {@link LoraSlots}) and the draft model's
 *       weights ({@link FitRequest#draft()}, {@link DraftModel}) per device, both estimates; the
 *       draft's layers add their KV bytes to every block.
 *   <li>KV cache per device: usable - weights - reserve - LoRA slots - draft weights; {@code
 *       kvBlocks = floor(kvCache / bytesPerBlock)}.
 * </ul>
 *
 * <p>Stateless and thread-safe. Infeasible plans carry their reasons; arithmetic never throws.
 */
public final class FitPlanner {
  /**
   * The fixed part of the runtime reserve: 1 GiB per device (an estimate, see the class comment).
   */
  public static final long FIXED_RUNTIME_RESERVE = 1L << 30;

  static final String FIXED_RUNTIME_RESERVE_TEXT = "1 GiB";

  private static final long ACTIVATION_BYTES = 2; // bf16/fp16 activations
  private static final long LOGIT_BYTES = 4; // fp32 logits

  private FitPlanner() {}

  /**
   * Plans the model on every candidate accelerator.
   *
   * @param request the request
   * @return one plan per candidate, ranked
   */
  public static FitReport plan(FitRequest request) {
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    List<AcceleratorType> types =
        request.candidates().isEmpty()
            ? catalog.all()
            : request.candidates().stream().distinct().map(catalog::require).toList();
    List<FitPlan> plans = new ArrayList<>();
    for (AcceleratorType type : types) {
      plans.add(best(request, type));
    }
    plans.sort(
        Comparator.comparing((FitPlan p) -> !p.feasible())
            .thenComparingInt(FitPlan::devices)
            .thenComparingDouble(p -> p.pricePerHour().orElse(Double.MAX_VALUE)));
    return new FitReport(plans);
  }

  /**
   * Plans the model on exactly {@code devices} devices of one accelerator.
   *
   * @param request the request
   * @param accelerator the accelerator label
   * @param devices GPUs of one machine type, or chips of one single-host TPU slice
   * @return the plan, feasible or not
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the label is unknown
   *     or no machine type has that many devices
   */
  public static FitPlan planOn(FitRequest request, String accelerator, int devices) {
    AcceleratorType type = AcceleratorCatalog.standard().require(accelerator);
    Optional<Option> option = options(type).stream().filter(o -> o.devices == devices).findFirst();
    if (option.isEmpty()) {
      Violations v = Violations.root();
      v.error(
          "devices",
          devices,
          "no machine type or single-host slice gives "
              + devices
              + " "
              + accelerator
              + " devices; valid: "
              + options(type).stream().map(o -> String.valueOf(o.devices)).distinct().toList());
      v.throwIfErrors();
    }
    return attempt(request, type, option.orElseThrow());
  }

  /**
   * Plans the layout of an earlier plan (accelerator, machine type, TPU topology, tensor and
   * pipeline parallelism) again for another request, for example another max model length.
   *
   * @param request the request
   * @param layout a plan whose layout to reuse, feasible or not
   * @return the plan, feasible or not
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the accelerator label
   *     is unknown
   */
  public static FitPlan planOn(FitRequest request, FitPlan layout) {
    AcceleratorType type = AcceleratorCatalog.standard().require(layout.accelerator());
    return attempt(
        request,
        type,
        new Option(
            layout.devices(),
            layout.machineType(),
            layout.tpuTopology().orElse(null),
            layout.pipelineParallelism(),
            layout.expertParallelism()));
  }

  /**
   * Plans one data-parallel rank of an expert-parallel deployment: {@code dataParallelism} ranks of
   * {@code tensorParallelism} GPUs each, whose MoE layers split the routed experts over all {@code
   * dataParallelism * tensorParallelism} devices (vLLM's {@code --enable-expert-parallel}, expert
   * parallel size = DP x TP; docs.vllm.ai/en/v0.12.0/serving/data_parallel_deployment/).
   *
   * <p>Each device holds the weights that are not routed experts (embeddings, attention, dense and
   * shared-expert MLPs, routers), replicated on every data-parallel rank and split by its tensor
   * parallelism, plus its own routed experts: {@code ceil(numExperts / EP)} of them, since vLLM
   * gives the first {@code numExperts % EP} ranks one expert more (vllm-project/vllm
   * vllm/model_executor/layers/fused_moe/layer.py, {@code determine_expert_map}). The KV cache and
   * runtime reserve are those of one rank. The split is an estimate, as for {@link #planOn}.
   *
   * @param request the request
   * @param accelerator a GPU accelerator label
   * @param tensorParallelism GPUs of one data-parallel rank; divides the GPUs of one machine
   * @param dataParallelism data-parallel ranks; at least 1
   * @return the plan of one rank, feasible or not (a dense model is infeasible)
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the label is unknown
   *     or names a TPU, or a rank does not fit one machine evenly
   */
  public static FitPlan planExpertParallel(
      FitRequest request, String accelerator, int tensorParallelism, int dataParallelism) {
    AcceleratorType type = AcceleratorCatalog.standard().require(accelerator);
    Violations v = Violations.root();
    v.require(
        !type.isTpu(),
        "accelerator",
        accelerator,
        "must be a GPU: vLLM's expert parallelism"
            + " with data-parallel ranks is planned for GPUs only");
    v.require(dataParallelism >= 1, "dataParallelism", dataParallelism, "must be at least 1");
    Optional<Option> machine =
        type.isTpu()
            ? Optional.empty()
            : options(type).stream().max(Comparator.comparingInt(Option::devices));
    int perMachine = machine.map(Option::devices).orElse(0);
    v.require(
        type.isTpu()
            || (tensorParallelism >= 1
                && tensorParallelism <= perMachine
                && perMachine % tensorParallelism == 0),
        "tensorParallelism",
        tensorParallelism,
        "must divide the " + perMachine + " GPUs of one " + accelerator + " machine");
    v.throwIfErrors();
    Option whole = machine.orElseThrow();
    return attempt(
        request,
        type,
        new Option(
            tensorParallelism,
            whole.machineType,
            null,
            1,
            Math.multiplyExact(tensorParallelism, dataParallelism)));
  }

  private static FitPlan best(FitRequest request, AcceleratorType type) {
    List<Option> options = options(type);
    @Nullable FitPlan last = null;
    for (Option o : options) {
      last = attempt(request, type, o);
      if (last.feasible()) {
        return last;
      }
    }
    if (last == null) {
      MachineShape any = type.machineShapes().get(0);
      return infeasible(
          request,
          type,
          new Option(1, any.machineType(), null),
          List.of("no machine type gives a power-of-two number of whole " + type.label()));
    }
    return last;
  }

  /**
   * One layout to try: devices per replica, machine type (one per host), TPU topology, pipeline
   * stages (hosts for multi-host GPUs; 1 otherwise).
   */
  record Option(int devices, String machineType, @Nullable String topology, int pp, int ep) {
    Option(int devices, String machineType, @Nullable String topology) {
      this(devices, machineType, topology, 1);
    }

    Option(int devices, String machineType, @Nullable String topology, int pp) {
      this(devices, machineType, topology, pp, 1);
    }

    int tp() {
      return devices / pp;
    }
  }

  private static List<Option> options(AcceleratorType type) {
    TreeMap<Integer, Option> byDevices = new TreeMap<>();
    if (type.isTpu()) {
      for (TpuTopology t : type.topologies()) {
        if (!t.multiHost() && Integer.bitCount(t.chips()) == 1) {
          byDevices.putIfAbsent(t.chips(), new Option(t.chips(), t.machineType(), t.topology()));
        }
      }
    } else {
      for (MachineShape s : type.machineShapes()) {
        if (!s.fractional() && Integer.bitCount(s.devices()) == 1) {
          List<MachineShape> smallest = type.shapesWith(s.devices());
          byDevices.putIfAbsent(
              s.devices(), new Option(s.devices(), smallest.get(0).machineType(), null));
        }
      }
    }
    return List.copyOf(byDevices.values());
  }

  static FitPlan attempt(FitRequest r, AcceleratorType type, Option o) {
    try {
      return compute(r, type, o);
    } catch (ArithmeticException e) {
      return infeasible(
          r, type, o, List.of("the model's sizes overflow 64-bit arithmetic: " + e.getMessage()));
    }
  }

  private static FitPlan compute(FitRequest r, AcceleratorType type, Option o) {
    ModelArchitecture a = r.architecture();
    int tp = o.tp();
    int pp = o.pp;
    List<String> reasons = new ArrayList<>();
    WeightQuantization.problem(a.nativeDtype(), r.weightDtype()).ifPresent(reasons::add);
    if (a.numAttentionHeads() % tp != 0) {
      reasons.add(
          "tensor parallelism "
              + tp
              + " does not divide the "
              + a.numAttentionHeads()
              + " attention heads");
    }
    boolean mla = a.mla().isPresent();
    int kvHeads = a.numKeyValueHeads();
    if (!mla && kvHeads % tp != 0 && tp % kvHeads != 0) {
      reasons.add(
          "tensor parallelism "
              + tp
              + " neither divides nor is a multiple of the "
              + kvHeads
              + " KV heads");
    }
    r.draft()
        .flatMap(d -> d.tensorParallelism().stream().boxed().findFirst())
        .filter(d -> d != 1 && d != tp)
        .ifPresent(
            d ->
                reasons.add(
                    "the draft model's tensor parallelism "
                        + d
                        + " must be 1 or the target's ("
                        + tp
                        + "), as vLLM requires"));
    long device = type.memoryBytes();
    long usable =
        new BigDecimal(device)
            .multiply(BigDecimal.valueOf(r.gpuMemoryUtilization()))
            .setScale(0, RoundingMode.CEILING)
            .longValueExact();
    long expertWeights = 0;
    long weights;
    if (o.ep > 1) {
      if (a.moe().isEmpty()) {
        reasons.add(
            "expert parallelism needs a mixture-of-experts model; "
                + a.modelType()
                + " has no routed experts");
      }
      expertWeights = expertWeightsPerDevice(a, r.weightDtype(), o.ep);
      long shared = a.weightBytes(r.weightDtype()) - routedExpertBytes(a, r.weightDtype());
      weights = Math.addExact(ceilDiv(shared, (long) tp * pp), expertWeights);
    } else {
      weights = ceilDiv(a.weightBytes(r.weightDtype()), (long) tp * pp);
    }
    long reserve = runtimeReserve(r, a, tp);
    long lora = r.lora().map(l -> l.bytesPerDevice(a, tp, pp)).orElse(0L);
    long draftWeights = r.draft().map(d -> d.weightBytesPerDevice(tp)).orElse(0L);
    long kv = usable - weights - reserve - lora - draftWeights;
    DataType kvDtype = r.kvCacheDtype().storage(a.nativeDtype());
    // The draft's layers share the target's blocks (see DraftModel).
    long draftPerBlock = r.draft().map(d -> d.bytesPerBlock(kvDtype, r.blockSize(), tp)).orElse(0L);
    long bytesPerBlock = Math.addExact(targetBytesPerBlock(r, tp, pp), draftPerBlock);
    long blocks = kv > 0 ? kv / bytesPerBlock : 0;
    long tokens = Math.multiplyExact(blocks, (long) r.blockSize());
    int maxModelLen =
        r.maxModelLen()
            .orElse(
                (int) Math.min(a.maxPositionEmbeddings(), tokens / r.blockSize() * r.blockSize()));
    if (weights > usable) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "the weights need %s per device at %s, more than the %s usable (%s x %.2f)",
              gb(weights),
              pp == 1 ? "tensor parallelism " + tp : "TP " + tp + " x PP " + pp,
              gb(usable),
              gb(device),
              r.gpuMemoryUtilization()));
    } else if (kv <= 0) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "the weights (%s per device)%s and the runtime reserve (%s) leave no room for the KV"
                  + " cache in the %s usable",
              gb(weights),
              (lora > 0 ? ", the LoRA slots (" + gb(lora) + ")" : "")
                  + (draftWeights > 0 ? ", the draft model (" + gb(draftWeights) + ")" : ""),
              gb(reserve),
              gb(usable)));
    }
    int concurrent = sequences(r, tp, pp, blocks, maxModelLen);
    if (reasons.isEmpty() && concurrent < r.minConcurrentSequences()) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "the KV cache holds %d tokens (%d blocks of %d): fewer than %d sequence(s) of max"
                  + " model len %d",
              tokens,
              blocks,
              r.blockSize(),
              r.minConcurrentSequences(),
              maxModelLen));
    }
    return base(r, type, o)
        .maxModelLen(Math.max(maxModelLen, 0))
        .memory(
            new MemorySplit(
                device,
                usable,
                weights,
                reserve,
                kv,
                lora,
                draftWeights,
                Math.multiplyExact(blocks, draftPerBlock),
                expertWeights))
        .bytesPerBlock(bytesPerBlock)
        .kvBlocks(blocks)
        .kvTokens(tokens)
        .maxConcurrentSequences(concurrent)
        .reasons(reasons)
        .build();
  }

  /**
   * Returns how many sequences of {@code tokens} tokens the KV cache of a plan holds at once
   * (sliding-window layers counted with their window), capped by {@code --max-num-seqs}.
   *
   * @param r the request the plan was made for
   * @param plan the plan
   * @param tokens the sequence length
   * @return the sequences; 0 when none fits
   */
  static int sequences(FitRequest r, FitPlan plan, int tokens) {
    return sequences(
        r, plan.tensorParallelism(), plan.pipelineParallelism(), plan.kvBlocks(), tokens);
  }

  private static int sequences(FitRequest r, int tp, int pp, long blocks, int tokens) {
    if (tokens < 1) {
      return 0;
    }
    ModelArchitecture a = r.architecture();
    DataType kvDtype = r.kvCacheDtype().storage(a.nativeDtype());
    boolean mla = a.mla().isPresent();
    int headsPerDevice = mla ? 1 : Math.max(1, a.numKeyValueHeads() / tp);
    int headsDivisor = mla ? 1 : a.numKeyValueHeads();
    // a sequence needs as many blocks as the target's layers need: the draft's share the blocks
    long bytesPerBlock = targetBytesPerBlock(r, tp, pp);
    long budget = a.kvCacheBudgetBytes(kvDtype, tokens, r.maxNumBatchedTokens(), r.blockSize());
    long seqBytes = ceilDiv(budget / headsDivisor * headsPerDevice, pp);
    long seqBlocks = Math.max(1, ceilDiv(seqBytes, bytesPerBlock));
    return (int) Math.min(r.maxNumSeqs(), blocks / seqBlocks);
  }

  /** Returns the target model's KV bytes of one block on one device (its pipeline stage). */
  private static long targetBytesPerBlock(FitRequest r, int tp, int pp) {
    ModelArchitecture a = r.architecture();
    DataType kvDtype = r.kvCacheDtype().storage(a.nativeDtype());
    boolean mla = a.mla().isPresent();
    int headsPerDevice = mla ? 1 : Math.max(1, a.numKeyValueHeads() / tp);
    int headsDivisor = mla ? 1 : a.numKeyValueHeads();
    // Pipeline stages split the layers: each device keeps its stage's share of every block.
    return Math.max(
        1, ceilDiv(a.kvCacheBytes(kvDtype, r.blockSize()) / headsDivisor * headsPerDevice, pp));
  }

  /** Returns the bytes of all routed experts in the weights' dtype. */
  private static long routedExpertBytes(ModelArchitecture a, DataType bulk) {
    return bulk.bytes(a.routedExpertParameters());
  }

  /**
   * Returns one device's routed-expert bytes when {@code ep} devices split the experts: the largest
   * rank's {@code ceil(numExperts / ep)} experts of every MoE layer.
   */
  static long expertWeightsPerDevice(ModelArchitecture a, DataType bulk, int ep) {
    if (a.moe().isEmpty()) {
      return 0;
    }
    int experts = a.moe().get().numExperts();
    long perDevice = ceilDiv(experts, ep);
    return ceilDiv(Math.multiplyExact(routedExpertBytes(a, bulk), perDevice), experts);
  }

  /**
   * Estimates the runtime reserve of one device: {@link #FIXED_RUNTIME_RESERVE} + activations of
   * one batch + fp32 logits of one decode step.
   */
  static long runtimeReserve(FitRequest r, ModelArchitecture a, int tp) {
    long mlp = a.intermediateSize();
    if (a.moe().isPresent()) {
      var m = a.moe().get();
      mlp =
          Math.max(
              mlp,
              (long) m.expertIntermediateSize() * m.expertsPerToken()
                  + (long) m.sharedExpertIntermediateSize() * m.numSharedExperts());
    }
    long activations =
        Math.multiplyExact(
            Math.multiplyExact((long) r.maxNumBatchedTokens(), a.hiddenSize() + 2 * mlp / tp),
            ACTIVATION_BYTES);
    long logits =
        Math.multiplyExact(
            Math.multiplyExact((long) r.maxNumSeqs(), ceilDiv(a.vocabSize(), tp)), LOGIT_BYTES);
    return Math.addExact(Math.addExact(FIXED_RUNTIME_RESERVE, activations), logits);
  }

  private static FitPlan infeasible(
      FitRequest r, AcceleratorType type, Option o, List<String> reasons) {
    long device = type.memoryBytes();
    return base(r, type, o)
        .maxModelLen(r.maxModelLen().orElse(0))
        .memory(new MemorySplit(device, device, 0, 0, 0))
        .bytesPerBlock(1)
        .kvBlocks(0)
        .kvTokens(0)
        .maxConcurrentSequences(0)
        .reasons(reasons)
        .build();
  }

  /** Returns a builder with the layout and the request's settings of a plan filled in. */
  private static FitPlan.Builder base(FitRequest r, AcceleratorType type, Option o) {
    FitPlan.Builder b =
        FitPlan.builder()
            .accelerator(type.label())
            .machineType(o.machineType)
            .tpuTopology(Optional.ofNullable(o.topology))
            .tensorParallelism(o.tp())
            .pipelineParallelism(o.pp)
            .expertParallelism(o.ep)
            .weightDtype(r.weightDtype())
            .quantization(
                WeightQuantization.method(r.architecture().nativeDtype(), r.weightDtype()))
            .kvCacheDtype(r.kvCacheDtype())
            .gpuMemoryUtilization(r.gpuMemoryUtilization())
            .blockSize(r.blockSize());
    Double price = r.pricesPerHour().get(o.machineType);
    if (price != null) {
      b.pricePerHour(price);
    }
    return b;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static String gb(long bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }
}
