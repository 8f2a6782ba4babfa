package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The LoRA adapter slots vLLM keeps on every device ({@code --max-loras} x {@code
 * --max-lora-rank}), for the planner to take out of the KV cache budget.
 *
 * <p>vLLM allocates the slots when it loads the model, before it measures the memory left for the
 * KV cache: every LoRA-wrapped linear layer holds {@code max_loras} stacked A ({@code rank x
 * input}) and B ({@code output x rank}) matrices per packed slice, in the LoRA dtype
 * (vllm-project/vllm v0.11.2 {@code vllm/lora/layers/base_linear.py} {@code create_lora_weights},
 * {@code vllm/lora/layers/column_parallel_linear.py}, {@code row_parallel_linear.py}). Column
 * parallel layers keep A whole and shard B over tensor parallelism; row parallel layers shard A and
 * keep B whole. {@link #bytesPerDevice} derives from those shapes, per decoder layer:
 *
 * <pre>
 * qkv_proj     A 3 x r x hidden               B r x (q_heads + 2 x kv_heads_per_device) x head_dim / tp
 * o_proj       A r x q_heads x head_dim / tp  B hidden x r
 * gate_up_proj A 2 x r x hidden               B 2 x r x intermediate / tp
 * down_proj    A r x intermediate / tp        B hidden x r
 * </pre>
 *
 * <p>times {@code max_loras}, the layers of one pipeline stage and the dtype's bytes. It is an
 * <b>estimate</b>: the embedding and LM head LoRA tensors, MoE experts' and MLA projections'
 * adapters and LoRA biases are not counted.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableLoraSlots.class)
public interface LoraSlots {
  /**
   * The ranks vLLM v0.11 accepts for {@code --max-lora-rank} ({@code LoRAConfig.__post_init__},
   * {@code possible_max_ranks}; https://docs.vllm.ai/en/v0.11.0/api/vllm/config/lora.html).
   */
  Set<Integer> RANKS = Set.of(8, 16, 32, 64, 128, 256, 320, 512);

  /** vLLM's default {@code --max-loras} (1; {@code LoRAConfig.max_loras}). */
  int DEFAULT_MAX_LORAS = 1;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns slots of the given count and rank, in the model's dtype.
   *
   * @param maxLoras {@code --max-loras}
   * @param maxLoraRank {@code --max-lora-rank}
   * @return the slots
   */
  static LoraSlots of(int maxLoras, int maxLoraRank) {
    return builder().maxLoras(maxLoras).maxLoraRank(maxLoraRank).build();
  }

  /** {@code --max-loras}: adapters in one batch, each with its own slot on every device. */
  @Value.Default
  default int maxLoras() {
    return DEFAULT_MAX_LORAS;
  }

  /** {@code --max-lora-rank}, one of {@link #RANKS}. */
  int maxLoraRank();

  /**
   * The adapters' dtype ({@code --lora-dtype}); default the model's activation dtype, as vLLM's
   * {@code auto} (bf16 for checkpoints stored in 8 or 4 bits).
   */
  Optional<DataType> dtype();

  /**
   * Returns the dtype of the slots for a model: {@link #dtype()}, else the model's native dtype
   * when it is a 16- or 32-bit float, else bf16.
   *
   * @param model the model
   * @return the dtype
   */
  default DataType resolvedDtype(ModelArchitecture model) {
    return dtype()
        .orElseGet(
            () ->
                switch (model.nativeDtype()) {
                  case FP32, FP16, BF16 -> model.nativeDtype();
                  default -> DataType.BF16;
                });
  }

  /**
   * Returns the bytes the slots take on one device (an estimate; see the class comment).
   *
   * @param model the served model
   * @param tp tensor parallelism
   * @param pp pipeline parallelism (each stage holds its share of the layers)
   * @return the bytes
   * @throws ArithmeticException when the sizes overflow
   */
  default long bytesPerDevice(ModelArchitecture model, int tp, int pp) {
    long r = maxLoraRank();
    long h = model.hiddenSize();
    long headDim = model.headDim();
    long perLayer = 0;
    if (model.mla().isEmpty()) {
      long q = model.numAttentionHeads() * headDim / tp;
      long kv = Math.max(1, model.numKeyValueHeads() / tp) * headDim;
      perLayer += 3 * r * h + r * (q + 2 * kv); // qkv_proj
      perLayer += r * q + h * r; // o_proj
    }
    if (model.moe().isEmpty()) {
      long inter = model.intermediateSize() / tp;
      perLayer += 2 * r * h + 2 * r * inter; // gate_up_proj
      perLayer += r * inter + h * r; // down_proj
    }
    long layers = -Math.floorDiv(-model.numLayers(), pp);
    long values = Math.multiplyExact(Math.multiplyExact(perLayer, layers), (long) maxLoras());
    return resolvedDtype(model).bytes(values);
  }

  /**
   * Checks every field.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  /**
   * Adds the fields' violations.
   *
   * @param v the collector, positioned at these slots
   */
  default void validate(Violations v) {
    v.require(maxLoras() >= 1, "maxLoras", maxLoras(), "must be at least 1");
    v.require(
        RANKS.contains(maxLoraRank()),
        "maxLoraRank",
        maxLoraRank(),
        "must be 8, 16, 32, 64, 128, 256, 320 or 512 (vLLM's accepted ranks)");
    dtype()
        .ifPresent(
            d ->
                v.require(
                    d == DataType.BF16 || d == DataType.FP16,
                    "dtype",
                    d,
                    "must be BF16 or FP16 (vLLM's --lora-dtype)"));
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableLoraSlots.Builder {}
}
