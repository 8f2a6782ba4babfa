package io.github.gkeinference.core.source;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The model server downloads the model from the Hugging Face hub at start-up.
 *
 * <pre>{@code
 * HuggingFaceSource source = HuggingFaceSource.builder()
 *     .modelId("meta-llama/Llama-3.1-8B-Instruct")
 *     .token(SecretRef.of("hf-token", "token"))
 *     .build();
 * }</pre>
 *
 * <p>The token is only ever a Secret reference, passed as {@code HF_TOKEN}, the variable {@code
 * huggingface_hub} reads. Downloads go to an {@code emptyDir} at {@link #CACHE_PATH} ({@code
 * HF_HOME}), so the container's root file system can stay read-only.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableHuggingFaceSource.class)
public interface HuggingFaceSource extends ModelSource {
  /** Hub repository ids: {@code owner/name}. */
  Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

  /** Where the hub cache lives in the container ({@code HF_HOME}). */
  String CACHE_PATH = "/cache/huggingface";

  /** The name of the cache volume. */
  String CACHE_VOLUME = "hf-cache";

  /**
   * Assumed hub download throughput: 100 MB/s. An assumption, not a measurement; hub speed varies
   * with region, time and the Xet backend. Override with {@link #assumedBytesPerSecond()}.
   */
  long ASSUMED_BYTES_PER_SECOND = 100_000_000L;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The hub repository id, for example {@code meta-llama/Llama-3.1-8B-Instruct}. */
  String modelId();

  /** A branch, tag or commit to pin; empty for the default branch. */
  Optional<String> revision();

  /** The Secret key that holds a hub token; needed for gated models such as Llama and Gemma. */
  Optional<SecretRef> token();

  /** The throughput the start-up estimate assumes; default {@link #ASSUMED_BYTES_PER_SECOND}. */
  @Value.Default
  default long assumedBytesPerSecond() {
    return ASSUMED_BYTES_PER_SECOND;
  }

  @Override
  default String modelArgument() {
    return modelId();
  }

  @Override
  default List<String> serverArgs() {
    return revision().map(r -> List.of("--revision=" + r)).orElse(List.of());
  }

  @Override
  default List<EnvVar> env() {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("HF_HOME").withValue(CACHE_PATH).build());
    token().ifPresent(t -> env.add(t.toEnvVar("HF_TOKEN")));
    return env;
  }

  @Override
  default List<Volume> volumes() {
    return List.of(
        new VolumeBuilder().withName(CACHE_VOLUME).withNewEmptyDir().endEmptyDir().build());
  }

  @Override
  default List<VolumeMount> volumeMounts() {
    return List.of(
        new VolumeMountBuilder().withName(CACHE_VOLUME).withMountPath(CACHE_PATH).build());
  }

  @Override
  default StartupEstimate startupEstimate(long modelBytes) {
    return new StartupEstimate(
        modelBytes,
        assumedBytesPerSecond(),
        "download from the Hugging Face hub at an assumed "
            + assumedBytesPerSecond() / 1_000_000
            + " MB/s on every Pod start");
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  @Override
  default void validate(Violations v) {
    v.require(
        MODEL_ID.matcher(modelId()).matches() && modelId().length() <= 96,
        "modelId",
        modelId(),
        "must be a Hugging Face repository id: owner/name");
    revision()
        .ifPresent(
            r ->
                v.require(
                    r.matches("[A-Za-z0-9._/-]{1,255}"),
                    "revision",
                    r,
                    "must be a branch, tag or commit hash"));
    v.require(
        assumedBytesPerSecond() > 0,
        "assumedBytesPerSecond",
        assumedBytesPerSecond(),
        "must be positive");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableHuggingFaceSource.Builder {
    /**
     * Sets the token from a Secret name and key.
     *
     * @param secretName the Secret's name
     * @param key the key within the Secret
     * @return this builder
     * @throws SdkValidationException at {@code token.name} or {@code token.key} when either is
     *     invalid or looks like a literal token
     */
    public Builder token(String secretName, String key) {
      try {
        return token(SecretRef.of(secretName, key));
      } catch (SdkValidationException e) {
        throw new SdkValidationException(
            e.violations().stream().map(violation -> violation.under("token")).toList());
      }
    }
  }
}
