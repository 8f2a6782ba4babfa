package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.ModelSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How each model source appears in a pod: volumes, mounts, environment and annotations. */
final class ModelVolumes {
  /** The GCS FUSE CSI driver and its pod annotation (gke-facts.md section 3.1). */
  static final String FUSE_DRIVER = "gcsfuse.csi.storage.gke.io";

  static final String FUSE_ANNOTATION = "gke-gcsfuse/volumes";

  /**
   * Mount options for model loading from the accelerated-platforms guide (gke-facts.md section
   * 3.6): unlimited metadata caches, a file cache with parallel downloads, implicit directories;
   * {@code only-dir} is added per model.
   */
  static final String FUSE_MOUNT_OPTIONS =
      "metadata-cache:ttl-secs:-1,metadata-cache:stat-cache-max-size-mb:-1,"
          + "metadata-cache:type-cache-max-size-mb:-1,metadata-cache:negative-ttl-secs:0,"
          + "file-cache:max-size-mb:-1,file-cache:cache-file-for-range-read:true,"
          + "file-cache:enable-parallel-downloads:true,implicit-dirs";

  /** Where the Hub cache lives when weights are downloaded at start-up. */
  static final String HF_HOME = "/data/huggingface";

  /** The GCS FUSE sidecar's default CPU and memory requests (gke-facts.md section 3.4). */
  static final long FUSE_SIDECAR_CPU_MILLIS = 250;

  static final long FUSE_SIDECAR_MEMORY_BYTES = 256L << 20;

  private ModelVolumes() {}

  /**
   * Schedules the server, leaving room for the GCS FUSE sidecar when the pod mounts a bucket.
   *
   * @param placement the accelerator placement
   * @param fuse whether the pod mounts a bucket with GCS FUSE
   * @return the scheduling
   */
  static PodScheduling schedule(AcceleratorPlacement placement, boolean fuse) {
    if (!fuse) {
      return placement.schedule();
    }
    return placement.toBuilder()
        .sidecarCpuMillis(placement.sidecarCpuMillis() + FUSE_SIDECAR_CPU_MILLIS)
        .sidecarMemoryBytes(placement.sidecarMemoryBytes() + FUSE_SIDECAR_MEMORY_BYTES)
        .build()
        .schedule();
  }

  /**
   * Adds what {@code source} needs to a pod.
   *
   * @param source the model source
   * @param volumes the pod's volumes
   * @param mounts the server container's mounts
   * @param env the server container's environment
   * @param annotations the pod's annotations
   */
  static void add(
      ModelSource source,
      List<Volume> volumes,
      List<VolumeMount> mounts,
      List<EnvVar> env,
      Map<String, String> annotations) {
    if (source instanceof ModelSource.GcsFuse fuse) {
      annotations.put(FUSE_ANNOTATION, "true");
      volumes.add(
          new VolumeBuilder()
              .withName("model")
              .withNewCsi()
              .withDriver(FUSE_DRIVER)
              .withReadOnly(true)
              .addToVolumeAttributes("bucketName", fuse.bucket())
              .addToVolumeAttributes(
                  "mountOptions", FUSE_MOUNT_OPTIONS + ",only-dir:" + fuse.path())
              .endCsi()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("model")
              .withMountPath(fuse.mountPath())
              .withReadOnly(true)
              .build());
    } else if (source instanceof ModelSource.HuggingFace hf) {
      volumes.add(new VolumeBuilder().withName("hf-cache").withNewEmptyDir().endEmptyDir().build());
      mounts.add(new VolumeMountBuilder().withName("hf-cache").withMountPath(HF_HOME).build());
      env.add(Pods.env("HF_HOME", HF_HOME));
      hf.token()
          .ifPresent(
              t ->
                  env.add(
                      new EnvVarBuilder()
                          .withName("HF_TOKEN")
                          .withNewValueFrom()
                          .withNewSecretKeyRef()
                          .withName(t.name())
                          .withKey(t.key())
                          .endSecretKeyRef()
                          .endValueFrom()
                          .build()));
    }
  }

  /**
   * Returns the {@code ai.gke.io/model} label value of a model id: its last segment in lower case,
   * cut to a valid label value.
   *
   * @param modelId the model id
   * @return the label value
   */
  static String modelLabel(String modelId) {
    String last = modelId.substring(modelId.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String cleaned = last.replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
    cleaned = cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
    return cleaned.replaceAll("[^a-z0-9]+$", "");
  }
}
