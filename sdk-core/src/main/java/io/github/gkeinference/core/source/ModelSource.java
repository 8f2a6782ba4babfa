package io.github.gkeinference.core.source;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Map;

/**
 * Where a model server reads a model from, and what its Pod needs for that.
 *
 * <p>A serving spec asks its source for the {@code --model} argument and any extra server
 * arguments, then adds the source's environment, volumes, mounts, init containers and Pod
 * annotations to the Pod it renders. Every call returns fresh fabric8 objects.
 *
 * <ul>
 *   <li>{@link HuggingFaceSource}: the server downloads from the hub, with a token taken from a
 *       Secret.
 *   <li>{@link GcsFuseSource}: the bucket is mounted read-only through the Cloud Storage FUSE CSI
 *       driver, with caches tuned for model serving.
 *   <li>{@link GcsStreamingSource}: vLLM streams {@code gs://} objects with its {@code
 *       runai_streamer} load format, no FUSE.
 * </ul>
 */
public interface ModelSource {
  /** Returns the value of vLLM's {@code --model} argument. */
  String modelArgument();

  /** Returns extra model-server arguments this source needs (never {@code --model}). */
  default List<String> serverArgs() {
    return List.of();
  }

  /** Returns environment variables for the model-server container. */
  default List<EnvVar> env() {
    return List.of();
  }

  /** Returns the Pod volumes this source needs. */
  default List<Volume> volumes() {
    return List.of();
  }

  /** Returns the model-server container's mounts of {@link #volumes()}. */
  default List<VolumeMount> volumeMounts() {
    return List.of();
  }

  /** Returns init containers to run before the model server (for example a cache prefetch). */
  default List<Container> initContainers() {
    return List.of();
  }

  /** Returns annotations the Pod template must carry. */
  default Map<String, String> podAnnotations() {
    return Map.of();
  }

  /**
   * Estimates how long moving {@code modelBytes} of weights takes with this source.
   *
   * @param modelBytes the size of the model's files
   * @return the estimate, with its throughput assumption
   */
  StartupEstimate startupEstimate(long modelBytes);

  /**
   * Adds this source's violations to {@code v}.
   *
   * @param v the collector, positioned at this source
   */
  void validate(Violations v);
}
