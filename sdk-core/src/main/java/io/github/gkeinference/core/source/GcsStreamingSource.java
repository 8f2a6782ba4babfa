package io.github.gkeinference.core.source;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * vLLM streams the model's safetensors straight from {@code gs://} with its {@code runai_streamer}
 * load format; no FUSE mount, no sidecar.
 *
 * <pre>{@code
 * GcsStreamingSource source = GcsStreamingSource.builder()
 *     .location(GcsLocation.of("my-models", "qwen/qwen3-32b"))
 *     .distributed(true)
 *     .build();
 * // --model=gs://my-models/qwen/qwen3-32b --load-format=runai_streamer
 * // --model-loader-extra-config={"distributed":true}
 * }</pre>
 *
 * <p>The reference architecture's newer variants load this way
 * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm-native-cache-offloading/single-tier;
 * GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/examples/llmd: {@code
 * --load-format=runai_streamer --model-loader-extra-config={"distributed":true}}); the {@code
 * concurrency} and {@code distributed} keys are documented at
 * docs.vllm.ai/en/stable/models/extensions/runai_model_streamer/. The Pod's Kubernetes service
 * account needs read access to the bucket through Workload Identity.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableGcsStreamingSource.class)
public interface GcsStreamingSource extends ModelSource {
  /** vLLM's load format for the Run:ai model streamer. */
  String LOAD_FORMAT = "runai_streamer";

  /**
   * Assumed streaming throughput: 2 GB/s. An assumption, not a measurement; override with {@link
   * #assumedBytesPerSecond()}.
   */
  long ASSUMED_BYTES_PER_SECOND = 2_000_000_000L;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The bucket folder that holds the model's files. */
  GcsLocation location();

  @Override
  default Optional<GcsLocation> gcsLocation() {
    return Optional.of(location());
  }

  /**
   * Whether each tensor-parallel rank streams only its own part ({@code "distributed": true} in
   * {@code --model-loader-extra-config}); default false.
   */
  @Value.Default
  default boolean distributed() {
    return false;
  }

  /** The streamer's number of concurrent readers ({@code "concurrency"}); empty keeps vLLM's. */
  OptionalInt concurrency();

  /** The throughput the start-up estimate assumes; default {@link #ASSUMED_BYTES_PER_SECOND}. */
  @Value.Default
  default long assumedBytesPerSecond() {
    return ASSUMED_BYTES_PER_SECOND;
  }

  @Override
  default String modelArgument() {
    return location().uri();
  }

  @Override
  default List<String> serverArgs() {
    List<String> args = new ArrayList<>();
    args.add("--load-format=" + LOAD_FORMAT);
    List<String> extra = new ArrayList<>();
    concurrency().ifPresent(c -> extra.add("\"concurrency\":" + c));
    if (distributed()) {
      extra.add("\"distributed\":true");
    }
    if (!extra.isEmpty()) {
      args.add("--model-loader-extra-config={" + String.join(",", extra) + "}");
    }
    return args;
  }

  @Override
  default StartupEstimate startupEstimate(long modelBytes) {
    return new StartupEstimate(
        modelBytes,
        assumedBytesPerSecond(),
        "vLLM runai_streamer from gs:// at an assumed "
            + assumedBytesPerSecond() / 1_000_000
            + " MB/s");
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
    location().validate(v.at("location"));
    concurrency().ifPresent(c -> v.require(c >= 1, "concurrency", c, "must be at least 1"));
    v.require(
        assumedBytesPerSecond() > 0,
        "assumedBytesPerSecond",
        assumedBytesPerSecond(),
        "must be positive");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGcsStreamingSource.Builder {
    /**
     * Sets the location from a bucket and a folder.
     *
     * @param bucket the bucket name
     * @param path the folder inside the bucket
     * @return this builder
     * @throws SdkValidationException at {@code location.bucket} or {@code location.path}
     */
    public Builder location(String bucket, String path) {
      try {
        return location(GcsLocation.of(bucket, path));
      } catch (SdkValidationException e) {
        throw new SdkValidationException(
            e.violations().stream().map(violation -> violation.under("location")).toList());
      }
    }
  }
}
