package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Speculative decoding, rendered as vLLM's {@code --speculative-config} JSON (as in
 * GoogleCloudPlatform/accelerated-platforms@9320f3b2 {@code
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm-spec-decoding}:
 * {@code method}, {@code model}, {@code num_speculative_tokens}, {@code prompt_lookup_max}, {@code
 * draft_tensor_parallel_size}).
 *
 * @param method {@code ngram}, {@code draft_model}, {@code eagle} or {@code eagle3}
 * @param model the draft or EAGLE head's path or id; required except for ngram
 * @param numSpeculativeTokens tokens proposed per step
 * @param promptLookupMax ngram only: the longest n-gram matched in the prompt
 * @param draftTensorParallelism the draft model's tensor parallelism, if set
 */
public record Speculative(
    String method,
    Optional<String> model,
    int numSpeculativeTokens,
    OptionalInt promptLookupMax,
    OptionalInt draftTensorParallelism) {

  /**
   * Returns n-gram (prompt lookup) speculation.
   *
   * @param numSpeculativeTokens tokens proposed per step
   * @param promptLookupMax the longest n-gram matched
   * @return the settings
   */
  public static Speculative ngram(int numSpeculativeTokens, int promptLookupMax) {
    return new Speculative(
        "ngram",
        Optional.empty(),
        numSpeculativeTokens,
        OptionalInt.of(promptLookupMax),
        OptionalInt.empty());
  }

  /**
   * Returns EAGLE-3 speculation with a draft head.
   *
   * @param model the EAGLE-3 head's path or id
   * @param numSpeculativeTokens tokens proposed per step
   * @return the settings
   */
  public static Speculative eagle3(String model, int numSpeculativeTokens) {
    return new Speculative(
        "eagle3", Optional.of(model), numSpeculativeTokens, OptionalInt.empty(), OptionalInt.of(1));
  }

  /**
   * Returns speculation with a smaller draft model.
   *
   * @param model the draft model's path or id
   * @param numSpeculativeTokens tokens proposed per step
   * @return the settings
   */
  public static Speculative draftModel(String model, int numSpeculativeTokens) {
    return new Speculative(
        "draft_model",
        Optional.of(model),
        numSpeculativeTokens,
        OptionalInt.empty(),
        OptionalInt.empty());
  }

  /**
   * Adds this setting's violations.
   *
   * @param v the collector, positioned at the field
   */
  public void validate(Violations v) {
    boolean ngram = method.equals("ngram");
    v.require(
        ngram || method.equals("draft_model") || method.equals("eagle") || method.equals("eagle3"),
        "method",
        method,
        "must be ngram, draft_model, eagle or eagle3");
    v.require(
        numSpeculativeTokens >= 1 && numSpeculativeTokens <= 32,
        "numSpeculativeTokens",
        numSpeculativeTokens,
        "must be between 1 and 32");
    v.require(
        ngram || model.isPresent(), "model", null, "is required for " + method + " speculation");
    v.require(
        !ngram || promptLookupMax.isPresent(),
        "promptLookupMax",
        null,
        "is required for ngram speculation");
    promptLookupMax.ifPresent(m -> v.require(m >= 1, "promptLookupMax", m, "must be at least 1"));
  }

  /** Returns the JSON of {@code --speculative-config}, keys in a fixed order. */
  public String toJson() {
    StringBuilder json = new StringBuilder("{\"method\":\"").append(method).append('"');
    model.ifPresent(m -> json.append(",\"model\":\"").append(m).append('"'));
    json.append(",\"num_speculative_tokens\":").append(numSpeculativeTokens);
    promptLookupMax.ifPresent(p -> json.append(",\"prompt_lookup_max\":").append(p));
    draftTensorParallelism.ifPresent(
        d -> json.append(",\"draft_tensor_parallel_size\":").append(d));
    return json.append('}').toString();
  }
}
