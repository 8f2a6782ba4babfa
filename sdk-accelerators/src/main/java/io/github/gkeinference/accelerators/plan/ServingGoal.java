package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.perf.Efficiency;
import io.github.gkeinference.accelerators.price.PriceSource;
import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * What a deployment must achieve: a model, a workload (prompt and output lengths), an optional
 * target rate, a latency SLO, and how capacity is paid for. {@link ServingPlanner} ranks the ways
 * to serve it by cost.
 *
 * <pre>{@code
 * ServingGoal goal = ServingGoal.builder()
 *     .architecture(ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
 *     .targetQps(20)
 *     .ttftMillis(500)
 *     .ntpotMillis(50)
 *     .addCandidate("nvidia-h100-80gb")
 *     .build();
 * }</pre>
 *
 * <h2>The default workload: interactive chat</h2>
 *
 * Without other settings a goal describes an interactive chat service: prompts of {@value
 * #CHAT_INPUT_TOKENS} tokens (a system prompt and a few turns of history) and answers of {@value
 * #CHAT_OUTPUT_TOKENS} tokens, served with a context of up to {@value #CHAT_MAX_MODEL_LEN} tokens,
 * a first token within {@value #CHAT_TTFT_MILLIS} ms and a normalized time per output token of at
 * most {@value #CHAT_NTPOT_MILLIS} ms (10 tokens/s, faster than people read), on-demand in
 * us-central1. Without a target rate each option is sized as one replica and ranked by cost per
 * million output tokens at the most load that meets the SLO.
 */
@Value.Immutable
@SdkStyle
public interface ServingGoal {
  /** Prompt tokens of the default chat workload. */
  int CHAT_INPUT_TOKENS = 1024;

  /** Output tokens of the default chat workload. */
  int CHAT_OUTPUT_TOKENS = 256;

  /** The default max model len (longest served sequence) of a chat deployment. */
  int CHAT_MAX_MODEL_LEN = 8192;

  /** The default TTFT target, milliseconds. */
  double CHAT_TTFT_MILLIS = 2000;

  /** The default NTPOT target, milliseconds. */
  double CHAT_NTPOT_MILLIS = 100;

  /** The default region. */
  String DEFAULT_REGION = "us-central1";

  /**
   * GKE Inference Quickstart's default ratio of output to input token cost ({@code
   * gkerecommender.v1.Cost.output_input_cost_ratio}, 4.0).
   */
  double DEFAULT_OUTPUT_INPUT_COST_RATIO = 4.0;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The model. */
  ModelArchitecture architecture();

  /**
   * The model's Hugging Face id ({@code meta-llama/Llama-3.1-8B-Instruct}), used to match measured
   * GKE Inference Quickstart profiles to the goal ({@link ServingPlanner#plan(ServingGoal,
   * io.github.gkeinference.accelerators.price.PriceSource, java.util.Collection)}); when empty,
   * every profile passed to the planner is taken to be of this model.
   */
  Optional<String> model();

  /** The weight dtype; default the model's native dtype. */
  @Value.Default
  default DataType weightDtype() {
    return architecture().nativeDtype();
  }

  /** The KV-cache dtype; default {@link KvCacheDtype#AUTO}. */
  @Value.Default
  default KvCacheDtype kvCacheDtype() {
    return KvCacheDtype.AUTO;
  }

  /** Prompt tokens per request; default {@value #CHAT_INPUT_TOKENS}. */
  @Value.Default
  default int inputTokens() {
    return CHAT_INPUT_TOKENS;
  }

  /** Output tokens per request; default {@value #CHAT_OUTPUT_TOKENS}. */
  @Value.Default
  default int outputTokens() {
    return CHAT_OUTPUT_TOKENS;
  }

  /**
   * The served context (vLLM's max model len); default {@value #CHAT_MAX_MODEL_LEN} or the model's
   * limit when shorter, and at least one request of the workload.
   */
  @Value.Default
  default int maxModelLen() {
    return Math.min(
        architecture().maxPositionEmbeddings(),
        Math.max(CHAT_MAX_MODEL_LEN, inputTokens() + outputTokens()));
  }

  /** Requests per second the deployment must serve; empty: size one replica. */
  OptionalDouble targetQps();

  /** The TTFT target, milliseconds; default {@value #CHAT_TTFT_MILLIS}. */
  @Value.Default
  default double ttftMillis() {
    return CHAT_TTFT_MILLIS;
  }

  /** The NTPOT target, milliseconds; default {@value #CHAT_NTPOT_MILLIS}. */
  @Value.Default
  default double ntpotMillis() {
    return CHAT_NTPOT_MILLIS;
  }

  /**
   * The pricing model, as {@link PricingModel#id()} ({@code on-demand}, {@code spot}, {@code
   * 1-year-cud}, {@code 3-years-cud}); default on-demand.
   */
  @Value.Default
  default String pricing() {
    return PricingModel.ON_DEMAND.id();
  }

  /** The region prices are read for; default {@value #DEFAULT_REGION}. */
  @Value.Default
  default String region() {
    return DEFAULT_REGION;
  }

  /** The output/input token cost ratio of the $/1M tokens figure; default 4. */
  @Value.Default
  default double outputInputCostRatio() {
    return DEFAULT_OUTPUT_INPUT_COST_RATIO;
  }

  /** The vLLM release that will serve the plan; default {@link VllmVersion#PINNED}. */
  @Value.Default
  default VllmVersion vllmVersion() {
    return VllmVersion.PINNED;
  }

  /**
   * The share of device memory vLLM may use; default the {@link #vllmVersion()}'s default. {@code
   * toBuilder()} copies the resolved share: set it again when changing the version of a copy.
   */
  @Value.Default
  default double gpuMemoryUtilization() {
    return vllmVersion().defaultGpuMemoryUtilization();
  }

  /** The scheduler's cap on running sequences; default 256. */
  @Value.Default
  default int maxNumSeqs() {
    return FitRequest.DEFAULT_MAX_NUM_SEQS;
  }

  /** Accelerator labels to consider; empty means every accelerator of the catalog. */
  List<String> candidates();

  /**
   * The LoRA adapter slots the server keeps ({@code --max-loras} x {@code --max-lora-rank}); their
   * memory comes out of the KV cache ({@link MemorySplit#loraAdapters()}, an estimate). Empty: no
   * LoRA.
   */
  Optional<LoraSlots> lora();

  /**
   * The draft model of speculative decoding; its weights and its layers' KV cache come out of the
   * KV cache ({@link MemorySplit#draftWeights()}, {@link MemorySplit#draftKvCache()}, estimates).
   * Empty: no draft model.
   */
  Optional<DraftModel> draft();

  /** The performance model's assumptions; default {@link Efficiency#defaults()}. */
  @Value.Default
  default Efficiency efficiency() {
    return Efficiency.defaults();
  }

  /**
   * Returns the memory request this goal implies: its model, dtypes, max model len, memory share
   * and max-num-seqs, every accelerator of the catalog or the candidates.
   */
  default FitRequest fitRequest() {
    return FitRequest.builder()
        .architecture(architecture())
        .weightDtype(weightDtype())
        .kvCacheDtype(kvCacheDtype())
        .vllmVersion(vllmVersion())
        .maxModelLen(maxModelLen())
        .gpuMemoryUtilization(gpuMemoryUtilization())
        .maxNumSeqs(maxNumSeqs())
        .candidates(candidates())
        .lora(lora())
        .draft(draft())
        .build();
  }

  /** Returns the typed pricing model, when {@link #pricing()} names one. */
  default Optional<PricingModel> pricingModel() {
    return PricingModel.fromId(pricing());
  }

  /**
   * Adds every problem of this goal to {@code v}: non-positive lengths, targets and rates, an
   * unknown pricing model, a region {@code prices} has no prices for, unknown candidates.
   *
   * @param v the collector, positioned at this goal
   * @param prices the price source the plan will use
   */
  default void validate(Violations v, PriceSource prices) {
    v.require(inputTokens() >= 1, "inputTokens", inputTokens(), "must be at least 1");
    v.require(outputTokens() >= 1, "outputTokens", outputTokens(), "must be at least 1");
    v.require(
        maxModelLen() >= inputTokens() + outputTokens()
            && maxModelLen() <= architecture().maxPositionEmbeddings(),
        "maxModelLen",
        maxModelLen(),
        "must hold one request (inputTokens + outputTokens = "
            + (inputTokens() + outputTokens())
            + ") and be at most the model's max_position_embeddings ("
            + architecture().maxPositionEmbeddings()
            + ")");
    targetQps()
        .ifPresent(
            q -> v.require(q > 0 && !Double.isInfinite(q), "targetQps", q, "must be above 0"));
    v.require(ttftMillis() > 0, "ttftMillis", ttftMillis(), "must be above 0");
    v.require(ntpotMillis() > 0, "ntpotMillis", ntpotMillis(), "must be above 0");
    v.require(
        pricingModel().isPresent(), "pricing", pricing(), "must be one of " + PricingModel.ids());
    v.require(
        prices.regions().contains(region()),
        "region",
        region(),
        "has no prices; known regions: " + String.join(", ", prices.regions()));
    v.require(
        outputInputCostRatio() > 0,
        "outputInputCostRatio",
        outputInputCostRatio(),
        "must be above 0");
    v.require(
        gpuMemoryUtilization() > 0 && gpuMemoryUtilization() <= 1,
        "gpuMemoryUtilization",
        gpuMemoryUtilization(),
        "must be above 0 and at most 1");
    v.require(maxNumSeqs() >= 1, "maxNumSeqs", maxNumSeqs(), "must be at least 1");
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    for (int i = 0; i < candidates().size(); i++) {
      catalog.checkLabel(v.at("candidates", i), "", candidates().get(i));
    }
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableServingGoal.Builder {}
}
