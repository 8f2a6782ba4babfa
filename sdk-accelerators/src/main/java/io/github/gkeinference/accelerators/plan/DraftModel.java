package io.github.gkeinference.accelerators.plan;

import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.OptionalInt;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The draft model (or EAGLE head) of speculative decoding, for the planner to take its weights and
 * KV cache out of the KV cache budget. N-gram speculation has no draft model and needs no memory.
 *
 * <p>vLLM loads the draft beside the target and binds its attention layers to the same KV cache
 * blocks as the target's (vllm-project/vllm pull 24322, "K/V cache binding (interleaving
 * target/draft layers)"; EAGLE heads likewise): every block holds the draft's K and V of its tokens
 * too, so the draft's layers add to the bytes per block and the blocks that fit shrink. The planner
 * counts the draft's weights divided by its tensor parallelism on every device (a draft at tensor
 * parallelism 1 sits whole on one device, and the device with the least room decides the KV cache).
 * An <b>estimate</b>, like the rest of the memory split.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableDraftModel.class)
public interface DraftModel {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a draft of this architecture in its native dtype, sharded like the target.
   *
   * @param architecture the draft's architecture
   * @return the draft
   */
  static DraftModel of(ModelArchitecture architecture) {
    return builder().architecture(architecture).build();
  }

  /** The draft model's or EAGLE head's architecture. */
  ModelArchitecture architecture();

  /** The dtype of the draft's weights; default its native dtype. */
  @Value.Default
  default DataType weightDtype() {
    return architecture().nativeDtype();
  }

  /** The draft's tensor parallelism ({@code draft_tensor_parallel_size}); default the target's. */
  OptionalInt tensorParallelism();

  /**
   * Returns the draft's weight bytes on one device.
   *
   * @param targetTp the target's tensor parallelism, the default of the draft's
   * @return the bytes
   */
  default long weightBytesPerDevice(int targetTp) {
    long tp = tensorParallelism().orElse(targetTp);
    return -Math.floorDiv(-architecture().weightBytes(weightDtype()), tp);
  }

  /**
   * Returns the KV bytes the draft adds to one block on one device.
   *
   * @param kvDtype the KV cache's storage dtype
   * @param blockSize tokens per block
   * @param targetTp the target's tensor parallelism, the default of the draft's
   * @return the bytes
   */
  default long bytesPerBlock(DataType kvDtype, int blockSize, int targetTp) {
    ModelArchitecture a = architecture();
    int tp = tensorParallelism().orElse(targetTp);
    boolean mla = a.mla().isPresent();
    int heads = mla ? 1 : a.numKeyValueHeads();
    int perDevice = mla ? 1 : Math.max(1, heads / tp);
    return a.kvCacheBytes(kvDtype, blockSize) / heads * perDevice;
  }

  /**
   * Checks every field.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    tensorParallelism()
        .ifPresent(t -> v.require(t >= 1, "tensorParallelism", t, "must be at least 1"));
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableDraftModel.Builder {}
}
