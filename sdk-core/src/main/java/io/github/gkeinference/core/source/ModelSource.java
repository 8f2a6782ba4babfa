package io.github.gkeinference.core.source;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>In a spec file the {@value #TYPE} field names the implementation ({@code gcsFuse}, {@code
 * gcsStreaming}, {@code huggingFace}) and the other fields are that implementation's.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    property = ModelSource.TYPE,
    defaultImpl = HuggingFaceSource.class)
@JsonSubTypes({
  @JsonSubTypes.Type(value = GcsFuseSource.class, name = "gcsFuse"),
  @JsonSubTypes.Type(value = GcsStreamingSource.class, name = "gcsStreaming"),
  @JsonSubTypes.Type(value = HuggingFaceSource.class, name = "huggingFace"),
})
public interface ModelSource {
  /**
   * The field of a spec file that names the implementation: the simple name without {@code Source},
   * in lower camel case ({@code gcsFuse}); {@code huggingFace} when absent, as the serving specs'
   * own default source reads from the hub.
   */
  String TYPE = "type";

  /** Returns the value of vLLM's {@code --model} argument. */
  String modelArgument();

  /**
   * Returns the Cloud Storage folder the weights are read from, so that the reading identity can be
   * granted read access to exactly that bucket; empty for sources outside Cloud Storage.
   *
   * @return the folder, or empty
   */
  default Optional<GcsLocation> gcsLocation() {
    return Optional.empty();
  }

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
   * Returns a copy of a Pod template with everything this source needs: its annotations, volumes
   * and init containers (placed before the template's own), and its environment and mounts on the
   * model-server container. Server arguments ({@link #modelArgument()}, {@link #serverArgs()}) are
   * left to the caller, which knows its server's flag syntax.
   *
   * @param template the Pod template; not modified
   * @param containerName the model-server container's name
   * @return a new Pod template
   * @throws IllegalArgumentException when the template has no container of that name
   */
  default PodTemplateSpec applyTo(PodTemplateSpec template, String containerName) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    if (copy.getSpec() == null) {
      copy.setSpec(new PodSpec());
    }
    PodSpec pod = copy.getSpec();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (copy.getMetadata() == null) {
      copy.setMetadata(new ObjectMeta());
    }
    if (copy.getMetadata().getAnnotations() != null) {
      annotations.putAll(copy.getMetadata().getAnnotations());
    }
    annotations.putAll(podAnnotations());
    copy.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);

    List<Container> containers = new ArrayList<>();
    boolean found = false;
    for (Container c : pod.getContainers()) {
      if (c.getName().equals(containerName)) {
        found = true;
        ContainerBuilder b = new ContainerBuilder(c);
        env().forEach(b::addToEnv);
        volumeMounts().forEach(b::addToVolumeMounts);
        containers.add(b.build());
      } else {
        containers.add(c);
      }
    }
    if (!found) {
      throw new IllegalArgumentException(
          "the Pod template has no container named " + containerName);
    }
    pod.setContainers(containers);
    List<Container> init = new ArrayList<>(initContainers());
    init.addAll(pod.getInitContainers());
    pod.setInitContainers(init);
    List<Volume> allVolumes = new ArrayList<>(pod.getVolumes());
    allVolumes.addAll(volumes());
    pod.setVolumes(allVolumes);
    return copy;
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
