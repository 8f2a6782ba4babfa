package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.validate.Violations;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a server loads the model's weights from.
 *
 * <ul>
 *   <li>{@link HuggingFace}: downloaded from the Hub at start-up (token by Secret reference);
 *   <li>{@link GcsFuse}: a Cloud Storage bucket mounted read-only with the GCS FUSE CSI driver, as
 *       the GKE reference architecture does (refarch.md sections 5 and 6);
 *   <li>{@link GcsStream}: streamed straight from {@code gs://} with vLLM's {@code runai_streamer}
 *       load format (refarch.md section 7.3).
 * </ul>
 */
public sealed interface ModelSource
    permits ModelSource.HuggingFace, ModelSource.GcsFuse, ModelSource.GcsStream {

  /** Bucket names: 3-63 lower-case letters, digits, '-', '_' and '.'. */
  Pattern BUCKET = Pattern.compile("[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]");

  /**
   * Returns a Hugging Face source without a token (public models).
   *
   * @param modelId the Hub id, for example {@code Qwen/Qwen3-32B}
   * @return the source
   */
  static ModelSource huggingFace(String modelId) {
    return new HuggingFace(modelId, Optional.empty());
  }

  /**
   * Returns a Hugging Face source whose token is read from a Secret.
   *
   * @param modelId the Hub id
   * @param token the Secret key that holds the token
   * @return the source
   */
  static ModelSource huggingFace(String modelId, SecretKeyRef token) {
    return new HuggingFace(modelId, Optional.of(token));
  }

  /**
   * Returns a GCS FUSE source.
   *
   * @param bucket the bucket name
   * @param path the model's folder in the bucket, for example {@code meta-llama/llama-3.1-8b}
   * @return the source
   */
  static ModelSource gcsFuse(String bucket, String path) {
    return new GcsFuse(bucket, path);
  }

  /**
   * Returns a {@code gs://} streaming source.
   *
   * @param bucket the bucket name
   * @param path the model's folder in the bucket
   * @return the source
   */
  static ModelSource gcsStream(String bucket, String path) {
    return new GcsStream(bucket, path);
  }

  /** Returns the value of vLLM's {@code --model} flag for this source. */
  String modelArgument();

  /**
   * Adds this source's violations under {@code v}.
   *
   * @param v the collector, positioned at the source's field
   */
  void validate(Violations v);

  /**
   * The Hugging Face Hub.
   *
   * @param modelId the Hub id
   * @param token the token's Secret key, if the model is gated
   */
  record HuggingFace(String modelId, Optional<SecretKeyRef> token) implements ModelSource {
    /** Checks for nulls. */
    public HuggingFace {
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String modelArgument() {
      return modelId;
    }

    @Override
    public void validate(Violations v) {
      v.require(
          modelId.matches("[A-Za-z0-9][-A-Za-z0-9_.]*/[A-Za-z0-9][-A-Za-z0-9_.]*"),
          "modelId",
          modelId,
          "must be a Hugging Face id such as org/name");
    }
  }

  /**
   * A bucket mounted with GCS FUSE under {@link #MOUNT_ROOT}.
   *
   * @param bucket the bucket
   * @param path the model's folder
   */
  record GcsFuse(String bucket, String path) implements ModelSource {
    /** Where model buckets are mounted, as in the reference architecture (refarch.md section 6). */
    public static final String MOUNT_ROOT = "/gcs";

    /** Checks for nulls. */
    public GcsFuse {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(path, "path");
    }

    /** Returns the mount path of the model's folder. */
    public String mountPath() {
      return MOUNT_ROOT + "/" + path;
    }

    @Override
    public String modelArgument() {
      return mountPath();
    }

    @Override
    public void validate(Violations v) {
      v.require(BUCKET.matcher(bucket).matches(), "bucket", bucket, "must be a bucket name");
      v.require(
          path.matches("[A-Za-z0-9][-A-Za-z0-9_./]*") && !path.contains(".."),
          "path",
          path,
          "must be a relative folder such as org/model, without '..'");
    }
  }

  /**
   * A bucket read with vLLM's Run:ai model streamer ({@code --load-format=runai_streamer}).
   *
   * @param bucket the bucket
   * @param path the model's folder
   */
  record GcsStream(String bucket, String path) implements ModelSource {
    /** Checks for nulls. */
    public GcsStream {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String modelArgument() {
      return "gs://" + bucket + "/" + path;
    }

    @Override
    public void validate(Violations v) {
      v.require(BUCKET.matcher(bucket).matches(), "bucket", bucket, "must be a bucket name");
      v.require(
          path.matches("[A-Za-z0-9][-A-Za-z0-9_./]*") && !path.contains(".."),
          "path",
          path,
          "must be a relative folder such as org/model, without '..'");
    }
  }
}
