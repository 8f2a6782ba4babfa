package io.github.gkeinference.core.source;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Cloud Storage FUSE settings for reading model weights: caches, parallel downloads and the
 * sidecar's resources.
 *
 * <p>Start from a preset and adjust:
 *
 * <ul>
 *   <li>{@link #modelServing()} (the default): the settings of the GKE inference reference
 *       architecture and the GKE performance guide
 *       (https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-perf):
 *       metadata caches that never expire, an unlimited file cache with parallel downloads, and the
 *       cache, temp and buffer volumes in RAM. Fastest start-up; the node needs free memory for the
 *       whole model on top of the server's own.
 *   <li>{@link #lowMemoryNode()}: for nodes whose RAM cannot hold another copy of the model (for
 *       example a G2 node serving a model close to its memory): no file cache and no RAM volumes;
 *       reads are streamed with gcsfuse buffered reads, as GKE's {@code gcsfusecsi-serving} profile
 *       does.
 * </ul>
 *
 * <p>Option names come from gcsfuse's config-file keys ({@code section:key:value}), which the CSI
 * driver accepts in {@code mountOptions} (GoogleCloudPlatform/gcs-fuse-csi-driver
 * pkg/csi_driver/utils.go).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableGcsFuseOptions.class)
public interface GcsFuseOptions {
  /** The sidecar resource annotations' "unlimited" value. */
  String UNLIMITED = "0";

  /** Returns a new builder with the {@link #modelServing()} settings. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Returns the model-serving preset: the reference architecture's mount options
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml)
   * with the cache, temp and buffer volumes in RAM and the sidecar unbounded.
   */
  static GcsFuseOptions modelServing() {
    return builder().build();
  }

  /**
   * Returns the low-memory-node preset: no file cache (so no parallel downloads, which need it),
   * buffered reads instead, no RAM volumes; metadata caches stay on.
   */
  static GcsFuseOptions lowMemoryNode() {
    return builder()
        .fileCacheMaxSizeMb(0)
        .cacheFileForRangeRead(false)
        .parallelDownloads(false)
        .bufferedRead(true)
        .inMemoryVolumes(false)
        .build();
  }

  /** {@code metadata-cache:ttl-secs}; -1 never expires (weights do not change); default -1. */
  @Value.Default
  default int metadataCacheTtlSeconds() {
    return -1;
  }

  /** {@code metadata-cache:stat-cache-max-size-mb}; -1 unlimited; default -1. */
  @Value.Default
  default int statCacheMaxSizeMb() {
    return -1;
  }

  /** {@code metadata-cache:type-cache-max-size-mb}; -1 unlimited; default -1. */
  @Value.Default
  default int typeCacheMaxSizeMb() {
    return -1;
  }

  /** {@code metadata-cache:negative-ttl-secs}; default 0 (do not cache "not found"). */
  @Value.Default
  default int negativeTtlSeconds() {
    return 0;
  }

  /** {@code file-cache:max-size-mb}; -1 unlimited, 0 disables the file cache; default -1. */
  @Value.Default
  default int fileCacheMaxSizeMb() {
    return -1;
  }

  /**
   * {@code file-cache:cache-file-for-range-read}; default true (safetensors are read in ranges).
   */
  @Value.Default
  default boolean cacheFileForRangeRead() {
    return true;
  }

  /** {@code file-cache:enable-parallel-downloads}; needs the file cache; default true. */
  @Value.Default
  default boolean parallelDownloads() {
    return true;
  }

  /** {@code file-system:kernel-list-cache-ttl-secs}; -1 never expires; default -1. */
  @Value.Default
  default int kernelListCacheTtlSeconds() {
    return -1;
  }

  /** {@code read:enable-buffered-read}; default false (the file cache is used instead). */
  @Value.Default
  default boolean bufferedRead() {
    return false;
  }

  /**
   * Whether to declare the sidecar's {@code gke-gcsfuse-cache}, {@code gke-gcsfuse-tmp} and {@code
   * gke-gcsfuse-buffer} volumes as {@code emptyDir} with medium {@code Memory}, which puts the file
   * cache in RAM (GoogleCloudPlatform/gcs-fuse-csi-driver docs/known-issues.md); default true.
   */
  @Value.Default
  default boolean inMemoryVolumes() {
    return true;
  }

  /**
   * The {@code skipCSIBucketAccessCheck} volume attribute; default true
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml).
   */
  @Value.Default
  default boolean skipBucketAccessCheck() {
    return true;
  }

  /** The {@code gke-gcsfuse/cpu-limit} annotation; default {@code "0"} (unlimited). */
  @Value.Default
  default String sidecarCpuLimit() {
    return UNLIMITED;
  }

  /** The {@code gke-gcsfuse/memory-limit} annotation; default {@code "0"} (unlimited). */
  @Value.Default
  default String sidecarMemoryLimit() {
    return UNLIMITED;
  }

  /** The {@code gke-gcsfuse/ephemeral-storage-limit} annotation; default {@code "0"}. */
  @Value.Default
  default String sidecarEphemeralStorageLimit() {
    return UNLIMITED;
  }

  /** The {@code gke-gcsfuse/memory-request} annotation; empty keeps the driver's 256Mi. */
  Optional<String> sidecarMemoryRequest();

  /** More mount options, appended as given (for example {@code read_ahead_kb=1024}). */
  List<String> extraMountOptions();

  /** Returns the mount options these settings stand for, in a fixed order. */
  default List<String> mountOptions() {
    List<String> options = new ArrayList<>();
    options.add("implicit-dirs");
    options.add("metadata-cache:ttl-secs:" + metadataCacheTtlSeconds());
    options.add("metadata-cache:stat-cache-max-size-mb:" + statCacheMaxSizeMb());
    options.add("metadata-cache:type-cache-max-size-mb:" + typeCacheMaxSizeMb());
    options.add("metadata-cache:negative-ttl-secs:" + negativeTtlSeconds());
    options.add("file-cache:max-size-mb:" + fileCacheMaxSizeMb());
    if (fileCacheMaxSizeMb() != 0) {
      options.add("file-cache:cache-file-for-range-read:" + cacheFileForRangeRead());
      options.add("file-cache:enable-parallel-downloads:" + parallelDownloads());
    }
    options.add("file-system:kernel-list-cache-ttl-secs:" + kernelListCacheTtlSeconds());
    if (bufferedRead()) {
      options.add("read:enable-buffered-read:true");
    }
    options.addAll(extraMountOptions());
    return options;
  }

  /** Returns the sidecar resource annotations these settings stand for. */
  default Map<String, String> sidecarAnnotations() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("gke-gcsfuse/cpu-limit", sidecarCpuLimit());
    annotations.put("gke-gcsfuse/memory-limit", sidecarMemoryLimit());
    annotations.put("gke-gcsfuse/ephemeral-storage-limit", sidecarEphemeralStorageLimit());
    sidecarMemoryRequest().ifPresent(r -> annotations.put("gke-gcsfuse/memory-request", r));
    return annotations;
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

  /**
   * Adds this value's violations to {@code v}.
   *
   * @param v the collector, positioned at these options
   */
  default void validate(Violations v) {
    for (var e :
        Map.of(
                "metadataCacheTtlSeconds", metadataCacheTtlSeconds(),
                "statCacheMaxSizeMb", statCacheMaxSizeMb(),
                "typeCacheMaxSizeMb", typeCacheMaxSizeMb(),
                "fileCacheMaxSizeMb", fileCacheMaxSizeMb(),
                "kernelListCacheTtlSeconds", kernelListCacheTtlSeconds())
            .entrySet()) {
      v.require(e.getValue() >= -1, e.getKey(), e.getValue(), "must be -1 (unlimited) or more");
    }
    v.require(
        negativeTtlSeconds() >= 0, "negativeTtlSeconds", negativeTtlSeconds(), "must be 0 or more");
    v.require(
        !parallelDownloads() || fileCacheMaxSizeMb() != 0,
        "parallelDownloads",
        parallelDownloads(),
        "needs the file cache: set fileCacheMaxSizeMb to -1 or a size, or turn this off");
    String quantity = "[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?";
    v.require(
        sidecarCpuLimit().matches(quantity),
        "sidecarCpuLimit",
        sidecarCpuLimit(),
        "must be a quantity");
    v.require(
        sidecarMemoryLimit().matches(quantity),
        "sidecarMemoryLimit",
        sidecarMemoryLimit(),
        "must be a quantity");
    v.require(
        sidecarEphemeralStorageLimit().matches(quantity),
        "sidecarEphemeralStorageLimit",
        sidecarEphemeralStorageLimit(),
        "must be a quantity");
    sidecarMemoryRequest()
        .ifPresent(
            r -> v.require(r.matches(quantity), "sidecarMemoryRequest", r, "must be a quantity"));
    for (int i = 0; i < extraMountOptions().size(); i++) {
      String o = extraMountOptions().get(i);
      v.require(
          !o.isBlank() && !o.contains(","),
          "extraMountOptions[" + i + "]",
          o,
          "must be one option without commas");
    }
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGcsFuseOptions.Builder {}
}
