package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;

/**
 * Where a TPU server keeps its XLA compilation cache, so that restarts skip recompiling: a Cloud
 * Storage bucket mounted read-write with GCS FUSE (shared by every replica and kept across pods),
 * or a node-local {@code emptyDir} of a given size.
 *
 * @param bucket the bucket, for a shared cache
 * @param path the folder in the bucket
 * @param sizeLimit the {@code emptyDir} size limit, for a local cache
 */
public record XlaCache(Optional<String> bucket, String path, Optional<String> sizeLimit) {
  /** Where the cache is mounted in the container. */
  public static final String MOUNT_PATH = "/xla-cache";

  /**
   * Returns a cache in a bucket folder.
   *
   * @param bucket the bucket
   * @param path the folder, for example {@code xla-cache/qwen3-32b}
   * @return the cache
   */
  public static XlaCache gcs(String bucket, String path) {
    return new XlaCache(Optional.of(bucket), path, Optional.empty());
  }

  /**
   * Returns a pod-local cache.
   *
   * @param sizeLimit the size limit, for example {@code 20Gi}
   * @return the cache
   */
  public static XlaCache local(String sizeLimit) {
    return new XlaCache(Optional.empty(), "", Optional.of(sizeLimit));
  }

  /**
   * Adds this cache's violations.
   *
   * @param v the collector, positioned at the field
   */
  public void validate(Violations v) {
    bucket.ifPresent(
        b -> {
          v.require(
              b.matches("[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]"), "bucket", b, "must be a bucket name");
          v.require(
              path.matches("[A-Za-z0-9][-A-Za-z0-9_./]*") && !path.contains(".."),
              "path",
              path,
              "must be a relative folder without '..'");
        });
    sizeLimit.ifPresent(
        s ->
            v.require(
                s.matches("[0-9]+(Mi|Gi)"), "sizeLimit", s, "must be a quantity in Mi or Gi"));
  }
}
