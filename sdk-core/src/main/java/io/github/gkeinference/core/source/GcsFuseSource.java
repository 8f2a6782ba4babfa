package io.github.gkeinference.core.source;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.MountPaths;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The model is read from a Cloud Storage bucket mounted read-only through the Cloud Storage FUSE
 * CSI driver ({@value #DRIVER}).
 *
 * <pre>{@code
 * GcsFuseSource source = GcsFuseSource.builder()
 *     .location(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
 *     .uid(1000).gid(1000)              // the model server runs as non-root
 *     .prefetch(true)
 *     .build();
 * }</pre>
 *
 * <p>Renders an inline ephemeral CSI volume with {@code only-dir} set to the model's folder and the
 * {@link GcsFuseOptions} mount options, a read-only mount at {@link #resolvedMountPath()}, the
 * {@code gke-gcsfuse/volumes: "true"} Pod annotation that makes GKE inject the FUSE sidecar plus
 * the sidecar resource annotations, optionally the sidecar's RAM-backed cache volumes and an init
 * container that reads every weight file once to fill the file cache
 * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml
 * runs the same {@code dd} warm-up as a regular container). The Kubernetes service account of the
 * Pod needs read access to the bucket through Workload Identity.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableGcsFuseSource.class)
public interface GcsFuseSource extends ModelSource {
  /** The CSI driver name. */
  String DRIVER = "gcsfuse.csi.storage.gke.io";

  /**
   * The Pod annotation that enables sidecar injection
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver-setup;
   * GoogleCloudPlatform/gcs-fuse-csi-driver pkg/webhook/mutatingwebhook.go).
   */
  String VOLUMES_ANNOTATION = "gke-gcsfuse/volumes";

  /**
   * The sidecar's optional volumes, in the order they are rendered
   * (GoogleCloudPlatform/gcs-fuse-csi-driver docs/known-issues.md).
   */
  List<String> SIDECAR_VOLUMES =
      List.of("gke-gcsfuse-cache", "gke-gcsfuse-tmp", "gke-gcsfuse-buffer");

  /**
   * The prefetch image: busybox, as in the reference architecture's {@code fetch-safetensors}
   * container (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml),
   * pinned to a release.
   */
  String PREFETCH_IMAGE = "busybox:1.36.1";

  /** Parallel readers of the prefetch step; the reference architecture uses 15. */
  int PREFETCH_PARALLELISM = 15;

  /** The prefetch container's CPU request, in millicores (an SDK choice for 15 readers). */
  long PREFETCH_CPU_MILLIS = 500;

  /** The prefetch container's memory request: 64 MiB (an SDK choice; dd reads in 8 MiB blocks). */
  long PREFETCH_MEMORY_BYTES = 64L << 20;

  /** How the prefetch step runs beside the model server. */
  enum PrefetchMode {
    /**
     * An init container: the server starts once every file has been read, so it loads from a warm
     * cache, but start-up waits for the whole read.
     */
    INIT_CONTAINER,
    /**
     * A native sidecar (an init container with {@code restartPolicy: Always}, Kubernetes 1.29 and
     * later): the read overlaps the server's start-up, as the reference architecture's {@code
     * fetch-safetensors} container does (refarch.md section 6), then sleeps; its requests add to
     * the Pod's for as long as the Pod runs.
     */
    SIDECAR
  }

  /**
   * Assumed throughput with the file cache and parallel downloads: 1 GB/s. An assumption, not a
   * measurement; override with {@link #assumedBytesPerSecond()}.
   */
  long ASSUMED_BYTES_PER_SECOND = 1_000_000_000L;

  /** Assumed throughput without a file cache (buffered reads): 500 MB/s; an assumption. */
  long ASSUMED_UNCACHED_BYTES_PER_SECOND = 500_000_000L;

  /** Kubernetes volume names. */
  Pattern VOLUME_NAME = KubernetesNames.DNS_1123_LABEL;

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
   * The mount options, caches and sidecar settings; default {@link GcsFuseOptions#modelServing()}.
   */
  @Value.Default
  default GcsFuseOptions options() {
    return GcsFuseOptions.modelServing();
  }

  /** The volume's name; default {@code model-weights}. */
  @Value.Default
  default String volumeName() {
    return "model-weights";
  }

  /**
   * Where the model folder is mounted; empty for {@code /gcs/<path>} as in the reference
   * architecture (see {@link #resolvedMountPath()}).
   */
  Optional<String> mountPath();

  /** Returns {@link #mountPath()}, or {@code /gcs/<path>} when it is not set. */
  default String resolvedMountPath() {
    return mountPath().orElse(location().path().isEmpty() ? "/gcs" : "/gcs/" + location().path());
  }

  /** The user id files appear to belong to ({@code uid=}); set it when the Pod runs as non-root. */
  OptionalLong uid();

  /**
   * The group id files appear to belong to ({@code gid=}); set it when the Pod runs as non-root.
   */
  OptionalLong gid();

  /**
   * Whether to add an init container that reads every file once to fill the cache; default false.
   */
  @Value.Default
  default boolean prefetch() {
    return false;
  }

  /**
   * How the prefetch step runs when {@link #prefetch()} is on; default {@link
   * PrefetchMode#INIT_CONTAINER}.
   */
  @Value.Default
  default PrefetchMode prefetchMode() {
    return PrefetchMode.INIT_CONTAINER;
  }

  /**
   * The throughput the start-up estimate assumes; empty for {@link #ASSUMED_BYTES_PER_SECOND} with
   * a file cache and {@link #ASSUMED_UNCACHED_BYTES_PER_SECOND} without.
   */
  OptionalLong assumedBytesPerSecond();

  /** Returns {@link #assumedBytesPerSecond()}, or the default for the file-cache setting. */
  default long resolvedBytesPerSecond() {
    return assumedBytesPerSecond()
        .orElse(
            options().fileCacheMaxSizeMb() == 0
                ? ASSUMED_UNCACHED_BYTES_PER_SECOND
                : ASSUMED_BYTES_PER_SECOND);
  }

  @Override
  default String modelArgument() {
    return resolvedMountPath();
  }

  /** Returns the CSI volume's {@code mountOptions}: {@code only-dir}, uid/gid, then the options. */
  default List<String> mountOptions() {
    List<String> options = new ArrayList<>();
    if (!location().path().isEmpty()) {
      options.add("only-dir:" + location().path());
    }
    uid().ifPresent(u -> options.add("uid=" + u));
    gid().ifPresent(g -> options.add("gid=" + g));
    options.addAll(options().mountOptions());
    return options;
  }

  @Override
  default List<Volume> volumes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("bucketName", location().bucket());
    attributes.put("mountOptions", String.join(",", mountOptions()));
    if (options().skipBucketAccessCheck()) {
      attributes.put("skipCSIBucketAccessCheck", "true");
    }
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(volumeName())
            .withNewCsi()
            .withDriver(DRIVER)
            .withReadOnly(true)
            .withVolumeAttributes(attributes)
            .endCsi()
            .build());
    if (options().inMemoryVolumes()) {
      for (String name : SIDECAR_VOLUMES) {
        volumes.add(
            new VolumeBuilder()
                .withName(name)
                .withNewEmptyDir()
                .withMedium("Memory")
                .endEmptyDir()
                .build());
      }
    }
    return volumes;
  }

  @Override
  default List<VolumeMount> volumeMounts() {
    return List.of(
        new VolumeMountBuilder()
            .withName(volumeName())
            .withMountPath(resolvedMountPath())
            .withReadOnly(true)
            .build());
  }

  @Override
  default Map<String, String> podAnnotations() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(VOLUMES_ANNOTATION, "true");
    annotations.putAll(options().sidecarAnnotations());
    return annotations;
  }

  @Override
  default List<Container> initContainers() {
    if (!prefetch()) {
      return List.of();
    }
    // Reads each weight file once so the FUSE file cache holds it before the server starts.
    String script =
        "find "
            + resolvedMountPath()
            + " -type f -name '*.safetensors' | xargs -r -P "
            + PREFETCH_PARALLELISM
            + " -I{} dd if={} of=/dev/null bs=8M";
    boolean sidecar = prefetchMode() == PrefetchMode.SIDECAR;
    if (sidecar) {
      // a sidecar that exits is restarted: read once, then stay
      script += "; exec sleep infinity";
    }
    ContainerBuilder c =
        new ContainerBuilder()
            .withName("gcsfuse-prefetch")
            .withImage(PREFETCH_IMAGE)
            .withRestartPolicy(sidecar ? "Always" : null)
            .withCommand("sh", "-c", script)
            .addToVolumeMounts(volumeMounts().get(0))
            .withNewResources()
            .withRequests(
                Map.of(
                    "cpu",
                    new Quantity(PREFETCH_CPU_MILLIS + "m"),
                    "memory",
                    new Quantity((PREFETCH_MEMORY_BYTES >> 20) + "Mi")))
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .endResources()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext();
    uid()
        .ifPresent(
            u ->
                c.editSecurityContext()
                    .withRunAsUser(u)
                    .withRunAsNonRoot(u != 0)
                    .endSecurityContext());
    gid().ifPresent(g -> c.editSecurityContext().withRunAsGroup(g).endSecurityContext());
    return List.of(c.build());
  }

  @Override
  default StartupEstimate startupEstimate(long modelBytes) {
    String how =
        options().fileCacheMaxSizeMb() == 0
            ? "Cloud Storage FUSE without file cache (buffered reads)"
            : "Cloud Storage FUSE with file cache and parallel downloads";
    return new StartupEstimate(
        modelBytes,
        resolvedBytesPerSecond(),
        how + " at an assumed " + resolvedBytesPerSecond() / 1_000_000 + " MB/s");
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
    options().validate(v.at("options"));
    v.require(
        VOLUME_NAME.matcher(volumeName()).matches()
            && volumeName().length() <= 63
            && !SIDECAR_VOLUMES.contains(volumeName()),
        "volumeName",
        volumeName(),
        "must be a DNS-1123 label other than the sidecar's own volume names");
    MountPaths.checkChosen(v, "mountPath", resolvedMountPath());
    uid().ifPresent(u -> v.require(u >= 0, "uid", u, "must be zero or more"));
    gid().ifPresent(g -> v.require(g >= 0, "gid", g, "must be zero or more"));
    assumedBytesPerSecond()
        .ifPresent(b -> v.require(b > 0, "assumedBytesPerSecond", b, "must be positive"));
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGcsFuseSource.Builder {
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

    /**
     * Sets the options from a builder that starts with the model-serving preset.
     *
     * @param options fills the nested builder
     * @return this builder
     */
    public Builder options(Consumer<GcsFuseOptions.Builder> options) {
      GcsFuseOptions.Builder b = GcsFuseOptions.builder();
      options.accept(b);
      return options(b.build());
    }
  }
}
