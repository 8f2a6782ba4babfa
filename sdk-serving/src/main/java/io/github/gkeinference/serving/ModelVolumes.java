package io.github.gkeinference.serving;

import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.ModelSource;
import java.util.Locale;

/** Helpers for model pods: GCS FUSE sidecar room, the model label. */
final class ModelVolumes {
  /**
   * The GCS FUSE CSI driver and its pod annotation
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver-setup;
   * GoogleCloudPlatform/gcs-fuse-csi-driver pkg/webhook/mutatingwebhook.go).
   */
  static final String FUSE_DRIVER = "gcsfuse.csi.storage.gke.io";

  static final String FUSE_ANNOTATION = "gke-gcsfuse/volumes";

  /**
   * The GCS FUSE sidecar's default CPU and memory requests (GoogleCloudPlatform/gcs-fuse-csi-driver
   * pkg/webhook/config.go).
   */
  static final long FUSE_SIDECAR_CPU_MILLIS = 250;

  static final long FUSE_SIDECAR_MEMORY_BYTES = 256L << 20;

  private ModelVolumes() {}

  /**
   * Schedules the server, leaving room on the node for the GCS FUSE sidecar when the pod mounts a
   * bucket, and for the file cache when it is kept in RAM (the cache holds up to the whole model).
   *
   * @param placement the accelerator placement
   * @param source the model source
   * @param modelBytes the model's weight bytes, or 0 when unknown
   * @param extraFuse whether the pod mounts another bucket with GCS FUSE
   * @return the scheduling
   */
  static PodScheduling schedule(
      AcceleratorPlacement placement, ModelSource source, long modelBytes, boolean extraFuse) {
    Room room = sidecars(source, modelBytes, extraFuse);
    if (room.cpuMillis() == 0 && room.memoryBytes() == 0) {
      return placement.schedule();
    }
    return placement.toBuilder()
        .sidecarCpuMillis(placement.sidecarCpuMillis() + room.cpuMillis())
        .sidecarMemoryBytes(placement.sidecarMemoryBytes() + room.memoryBytes())
        .build()
        .schedule();
  }

  /**
   * CPU and memory on a node.
   *
   * @param cpuMillis millicores
   * @param memoryBytes bytes
   */
  record Room(long cpuMillis, long memoryBytes) {}

  /**
   * Returns the room the server's sidecars take on its node: the GCS FUSE sidecar when the pod
   * mounts a bucket, the file cache when it is kept in RAM (up to the whole model), and a prefetch
   * sidecar.
   *
   * @param source the model source
   * @param modelBytes the model's weight bytes, or 0 when unknown
   * @param extraFuse whether the pod mounts another bucket with GCS FUSE
   * @return the room
   */
  static Room sidecars(ModelSource source, long modelBytes, boolean extraFuse) {
    long cpu = 0;
    long memory = 0;
    if (source instanceof GcsFuseSource fuse) {
      cpu += FUSE_SIDECAR_CPU_MILLIS;
      memory += FUSE_SIDECAR_MEMORY_BYTES;
      if (fuse.options().inMemoryVolumes() && fuse.options().fileCacheMaxSizeMb() != 0) {
        memory += modelBytes;
      }
      if (fuse.prefetch() && fuse.prefetchMode() == GcsFuseSource.PrefetchMode.SIDECAR) {
        // a native sidecar's requests add to the Pod's while it runs
        cpu += GcsFuseSource.PREFETCH_CPU_MILLIS;
        memory += GcsFuseSource.PREFETCH_MEMORY_BYTES;
      }
    } else if (extraFuse) {
      cpu += FUSE_SIDECAR_CPU_MILLIS;
      memory += FUSE_SIDECAR_MEMORY_BYTES;
    }
    return new Room(cpu, memory);
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
