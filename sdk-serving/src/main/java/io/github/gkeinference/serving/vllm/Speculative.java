package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Speculative decoding, rendered as vLLM's {@code --speculative-config} JSON (as in
 * GoogleCloudPlatform/accelerated-platforms@9320f3b2 {@code
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm-spec-decoding}:
 * {@code method}, {@code model}, {@code num_speculative_tokens}, {@code prompt_lookup_max}, {@code
 * draft_tensor_parallel_size}).
 *
 * <p>The draft model or EAGLE head comes from one of: {@link #source()} (a {@link GcsFuseSource}
 * mounted read-only with its own {@code only-dir} at {@value #MOUNT_PATH} unless the source sets
 * its mount path, or a {@link HuggingFaceSource} vLLM downloads, a token only by Secret reference),
 * {@link #modelBucketPath()} (a folder of the model's own bucket, mounted the same way with the
 * model's mount options), or {@link #model()} (a path the container already has, or a Hub id). The
 * reference architecture mounts the whole bucket instead to reach its draft; the SDK keeps {@code
 * only-dir} on every mount.
 *
 * <pre>{@code
 * Speculative eagle = Speculative.builder()
 *     .method("eagle3")
 *     .modelBucketPath("yuhuili/eagle3-llama3.3-instruct-70b")
 *     .numSpeculativeTokens(3)
 *     .draftTensorParallelism(1)
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableSpeculative.class)
public interface Speculative {
  /** Where a bucket draft is mounted unless its source sets a mount path. */
  String MOUNT_PATH = "/draft";

  /** The methods the SDK renders. */
  Set<String> METHODS = Set.of("ngram", "draft_model", "eagle", "eagle3");

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns n-gram (prompt lookup) speculation.
   *
   * @param numSpeculativeTokens tokens proposed per step
   * @param promptLookupMax the longest n-gram matched
   * @return the settings
   */
  static Speculative ngram(int numSpeculativeTokens, int promptLookupMax) {
    return builder()
        .method("ngram")
        .numSpeculativeTokens(numSpeculativeTokens)
        .promptLookupMax(promptLookupMax)
        .build();
  }

  /**
   * Returns EAGLE-3 speculation with a draft head at a path or Hub id.
   *
   * @param model the EAGLE-3 head's path or id
   * @param numSpeculativeTokens tokens proposed per step
   * @return the settings
   */
  static Speculative eagle3(String model, int numSpeculativeTokens) {
    return builder()
        .method("eagle3")
        .model(model)
        .numSpeculativeTokens(numSpeculativeTokens)
        .draftTensorParallelism(1)
        .build();
  }

  /**
   * Returns EAGLE-3 speculation with a draft head from a source.
   *
   * @param source the EAGLE-3 head's source
   * @param numSpeculativeTokens tokens proposed per step
   * @return the settings
   */
  static Speculative eagle3(ModelSource source, int numSpeculativeTokens) {
    return builder()
        .method("eagle3")
        .source(source)
        .numSpeculativeTokens(numSpeculativeTokens)
        .draftTensorParallelism(1)
        .build();
  }

  /**
   * Returns speculation with a smaller draft model at a path or Hub id.
   *
   * @param model the draft model's path or id
   * @param numSpeculativeTokens tokens proposed per step
   * @return the settings
   */
  static Speculative draftModel(String model, int numSpeculativeTokens) {
    return builder()
        .method("draft_model")
        .model(model)
        .numSpeculativeTokens(numSpeculativeTokens)
        .build();
  }

  /**
   * Returns speculation with a smaller draft model from a source.
   *
   * @param source the draft model's source
   * @param numSpeculativeTokens tokens proposed per step
   * @return the settings
   */
  static Speculative draftModel(ModelSource source, int numSpeculativeTokens) {
    return builder()
        .method("draft_model")
        .source(source)
        .numSpeculativeTokens(numSpeculativeTokens)
        .build();
  }

  /** {@code ngram}, {@code draft_model}, {@code eagle} or {@code eagle3}. */
  String method();

  /** The draft's path in the container or Hub id, as given; instead of a source. */
  Optional<String> model();

  /** Where the draft comes from: a {@link GcsFuseSource} or {@link HuggingFaceSource}. */
  Optional<ModelSource> source();

  /** A folder of the model's bucket that holds the draft; instead of a source. */
  Optional<String> modelBucketPath();

  /**
   * The draft's Hugging Face id, to find it in the SDK's model catalog (for the planner's memory
   * and the tokenizer check); default the {@link HuggingFaceSource}'s id or the Hub id in {@link
   * #model()}.
   */
  Optional<String> modelId();

  /** Tokens proposed per step, 1 to 32. */
  int numSpeculativeTokens();

  /** N-gram only: the longest n-gram matched in the prompt. */
  OptionalInt promptLookupMax();

  /** The draft model's tensor parallelism, if set. */
  OptionalInt draftTensorParallelism();

  /** Returns the draft's Hugging Face id when it is known: {@link #modelId()} or the source's. */
  default Optional<String> resolvedModelId() {
    if (modelId().isPresent()) {
      return modelId();
    }
    if (source().isPresent() && source().get() instanceof HuggingFaceSource hf) {
      return Optional.of(hf.modelId());
    }
    return model().filter(m -> HuggingFaceSource.MODEL_ID.matcher(m).matches());
  }

  /**
   * Adds this setting's own violations (the server checks the model's bucket and the draft's
   * tokenizer).
   *
   * @param v the collector, positioned at the field
   */
  default void validate(Violations v) {
    boolean ngram = method().equals("ngram");
    v.require(
        METHODS.contains(method()),
        "method",
        method(),
        "must be ngram, draft_model, eagle or eagle3");
    v.require(
        numSpeculativeTokens() >= 1 && numSpeculativeTokens() <= 32,
        "numSpeculativeTokens",
        numSpeculativeTokens(),
        "must be between 1 and 32");
    int given =
        (model().isPresent() ? 1 : 0)
            + (source().isPresent() ? 1 : 0)
            + (modelBucketPath().isPresent() ? 1 : 0);
    if (ngram) {
      v.require(given == 0, "model", model().orElse(null), "must be empty for ngram speculation");
    } else {
      v.require(
          given == 1,
          "model",
          model().orElse(null),
          "set exactly one of model, source and modelBucketPath for " + method() + " speculation");
    }
    v.require(
        !ngram || promptLookupMax().isPresent(),
        "promptLookupMax",
        null,
        "is required for ngram speculation");
    promptLookupMax().ifPresent(m -> v.require(m >= 1, "promptLookupMax", m, "must be at least 1"));
    draftTensorParallelism()
        .ifPresent(t -> v.require(t >= 1, "draftTensorParallelism", t, "must be at least 1"));
    model()
        .ifPresent(
            m ->
                v.require(
                    !m.isBlank() && !m.contains("\"") && !m.contains("\\"),
                    "model",
                    m,
                    "must be a path or Hub id without quotes or backslashes"));
    source().ifPresent(s -> AdapterSources.check(v, "source", s));
    modelBucketPath().ifPresent(p -> AdapterSources.checkBucketPath(v, "modelBucketPath", p));
    modelId()
        .ifPresent(
            id ->
                v.require(
                    HuggingFaceSource.MODEL_ID.matcher(id).matches(),
                    "modelId",
                    id,
                    "must be a Hugging Face repository id: owner/name"));
  }

  /**
   * Returns the JSON of {@code --speculative-config} with {@link #model()}, keys in fixed order.
   */
  default String toJson() {
    return toJson(model());
  }

  /**
   * Returns the JSON of {@code --speculative-config} with the draft at {@code draftPath}.
   *
   * @param draftPath the draft's path in the container or Hub id; empty for ngram
   * @return the JSON, keys in a fixed order
   */
  default String toJson(Optional<String> draftPath) {
    StringBuilder json = new StringBuilder("{\"method\":\"").append(method()).append('"');
    draftPath.ifPresent(m -> json.append(",\"model\":\"").append(m).append('"'));
    json.append(",\"num_speculative_tokens\":").append(numSpeculativeTokens());
    promptLookupMax().ifPresent(p -> json.append(",\"prompt_lookup_max\":").append(p));
    draftTensorParallelism()
        .ifPresent(d -> json.append(",\"draft_tensor_parallel_size\":").append(d));
    return json.append('}').toString();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableSpeculative.Builder {}
}
