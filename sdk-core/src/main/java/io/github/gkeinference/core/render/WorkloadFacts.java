package io.github.gkeinference.core.render;

import io.github.gkeinference.core.server.VllmVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a rendered model server is, as typed facts: its workload (kind, name, namespace), the labels
 * that select its serving pods, its container ports by role, the accelerators each pod requests,
 * the model and the engine settings that were rendered into flags, the vLLM release its image runs,
 * and where it exports metrics.
 *
 * <p>Server specs attach these facts to the {@link RenderedSet} they render ({@link
 * RenderedSet#workloads()}), so that validation, monitoring and autoscaling read them instead of
 * parsing flags and annotations back out of the objects. For manifests the SDK did not render, the
 * one parser {@code io.github.gkeinference.core.emit.ForeignWorkloads} derives the same facts from
 * the objects. Immutable; build with {@link #builder()}.
 */
public final class WorkloadFacts {
  /** The port role of a server's HTTP API. */
  public static final String HTTP = "http";

  /** The port role of a server's gRPC API. */
  public static final String GRPC = "grpc";

  /** The port role of a server's Prometheus metrics. */
  public static final String METRICS = "metrics";

  /**
   * One declared container port.
   *
   * @param role the port's role, which is its container port name ({@link #HTTP}, {@link #GRPC},
   *     {@link #METRICS}); empty for an unnamed port of foreign YAML
   * @param number the container port
   */
  public record Port(String role, int number) {
    /** Checks the components. */
    public Port {
      Objects.requireNonNull(role, "role");
    }
  }

  /**
   * The accelerators one pod requests.
   *
   * @param resource the extended resource, {@code nvidia.com/gpu} or {@code google.com/tpu}
   * @param perPod how many one pod requests
   */
  public record Devices(String resource, int perPod) {
    /** Checks the components. */
    public Devices {
      Objects.requireNonNull(resource, "resource");
    }
  }

  /**
   * Where a server exports Prometheus metrics.
   *
   * @param port the container port
   * @param portName the container port's name, or empty when it has none
   * @param path the HTTP path, for example {@code /metrics}
   */
  public record MetricsEndpoint(int port, String portName, String path) {
    /** Checks the components. */
    public MetricsEndpoint {
      Objects.requireNonNull(portName, "portName");
      Objects.requireNonNull(path, "path");
    }
  }

  private final String apiVersion;
  private final String kind;
  private final String name;
  private final String namespace;
  private final Map<String, String> podSelector;
  private final Map<String, String> podLabels;
  private final List<Port> ports;
  private final @Nullable Devices devices;
  private final int podsPerGroup;
  private final @Nullable String server;
  private final @Nullable String modelId;
  private final @Nullable Integer maxModelLen;
  private final @Nullable Integer maxPositionEmbeddings;
  private final @Nullable Integer tensorParallelism;
  private final @Nullable Integer pipelineParallelism;
  private final @Nullable Integer dataParallelism;
  private final @Nullable Long estimatedLoadSeconds;
  private final @Nullable MetricsEndpoint metrics;
  private final @Nullable VllmVersion vllmVersion;
  private final Map<String, String> flags;
  private final Map<String, String> env;

  private WorkloadFacts(Builder b) {
    this.apiVersion = Objects.requireNonNull(b.apiVersion, "apiVersion");
    this.kind = Objects.requireNonNull(b.kind, "kind");
    this.name = Objects.requireNonNull(b.name, "name");
    this.namespace = b.namespace;
    this.podSelector = Collections.unmodifiableMap(new LinkedHashMap<>(b.podSelector));
    this.podLabels = Collections.unmodifiableMap(new LinkedHashMap<>(b.podLabels));
    this.ports = List.copyOf(b.ports);
    this.devices = b.devices;
    this.podsPerGroup = b.podsPerGroup;
    this.server = b.server;
    this.modelId = b.modelId;
    this.maxModelLen = b.maxModelLen;
    this.maxPositionEmbeddings = b.maxPositionEmbeddings;
    this.tensorParallelism = b.tensorParallelism;
    this.pipelineParallelism = b.pipelineParallelism;
    this.dataParallelism = b.dataParallelism;
    this.estimatedLoadSeconds = b.estimatedLoadSeconds;
    this.metrics = b.metrics;
    this.vllmVersion = b.vllmVersion;
    this.flags = Collections.unmodifiableMap(new LinkedHashMap<>(b.flags));
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from these facts. */
  public Builder toBuilder() {
    Builder b =
        builder()
            .apiVersion(apiVersion)
            .kind(kind)
            .name(name)
            .namespace(namespace)
            .podSelector(podSelector)
            .podLabels(podLabels)
            .ports(ports)
            .podsPerGroup(podsPerGroup)
            .flags(flags)
            .env(env);
    b.devices = devices;
    b.server = server;
    b.modelId = modelId;
    b.maxModelLen = maxModelLen;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.tensorParallelism = tensorParallelism;
    b.pipelineParallelism = pipelineParallelism;
    b.dataParallelism = dataParallelism;
    b.estimatedLoadSeconds = estimatedLoadSeconds;
    b.metrics = metrics;
    b.vllmVersion = vllmVersion;
    return b;
  }

  /** Returns the workload's API version, for example {@code apps/v1}. */
  public String apiVersion() {
    return apiVersion;
  }

  /** Returns the workload's kind: {@code Deployment}, {@code LeaderWorkerSet}, {@code Job}, ... */
  public String kind() {
    return kind;
  }

  /** Returns the workload's name. */
  public String name() {
    return name;
  }

  /** Returns the workload's namespace; {@code default} when the object names none. */
  public String namespace() {
    return namespace;
  }

  /**
   * Returns the labels that select exactly the serving pods: a Deployment's {@code
   * spec.selector.matchLabels}; for a LeaderWorkerSet the leader pods of its groups, which run the
   * API server and export the metrics, or every pod when each serves its own data-parallel ranks.
   */
  public Map<String, String> podSelector() {
    return podSelector;
  }

  /** Returns the labels of the serving pods' template. */
  public Map<String, String> podLabels() {
    return podLabels;
  }

  /** Returns the serving pods' declared container ports, in declaration order. */
  public List<Port> ports() {
    return ports;
  }

  /**
   * Returns the first port with this role.
   *
   * @param role the role, for example {@link #HTTP}
   * @return the port, or empty
   */
  public Optional<Port> port(String role) {
    return ports.stream().filter(p -> p.role().equals(role)).findFirst();
  }

  /**
   * Returns the first port with this number.
   *
   * @param number the container port
   * @return the port, or empty when no container declares it
   */
  public Optional<Port> port(int number) {
    return ports.stream().filter(p -> p.number() == number).findFirst();
  }

  /** Returns the accelerators one pod requests, or empty for a pod without any. */
  public Optional<Devices> devices() {
    return Optional.ofNullable(devices);
  }

  /** Returns how many pods one unit of work spans: a LeaderWorkerSet's group size, else 1. */
  public int podsPerGroup() {
    return podsPerGroup;
  }

  /**
   * Returns the model server kind in the vocabulary of the {@link Labels#INFERENCE_SERVER} label:
   * {@code vllm}, {@code jetstream}, {@code comfyui}, ...; empty when unknown.
   */
  public Optional<String> server() {
    return Optional.ofNullable(server);
  }

  /** Returns the model id the server serves, for example {@code google/gemma-3-1b-it}. */
  public Optional<String> modelId() {
    return Optional.ofNullable(modelId);
  }

  /** Returns the longest sequence the server accepts, when it was set. */
  public OptionalInt maxModelLen() {
    return maxModelLen == null ? OptionalInt.empty() : OptionalInt.of(maxModelLen);
  }

  /** Returns the model's max position embeddings, when the renderer knew the architecture. */
  public OptionalInt maxPositionEmbeddings() {
    return maxPositionEmbeddings == null
        ? OptionalInt.empty()
        : OptionalInt.of(maxPositionEmbeddings);
  }

  /** Returns the tensor parallel size, when the server shards the model. */
  public OptionalInt tensorParallelism() {
    return tensorParallelism == null ? OptionalInt.empty() : OptionalInt.of(tensorParallelism);
  }

  /** Returns the pipeline parallel size, when set; 1 means none. */
  public OptionalInt pipelineParallelism() {
    return pipelineParallelism == null ? OptionalInt.empty() : OptionalInt.of(pipelineParallelism);
  }

  /**
   * Returns the data-parallel ranks of one group when one deployment spans several (vLLM's {@code
   * --data-parallel-size}, expert parallelism); empty means one.
   */
  public OptionalInt dataParallelism() {
    return dataParallelism == null ? OptionalInt.empty() : OptionalInt.of(dataParallelism);
  }

  /** Returns the renderer's estimate of the time the server takes to load, in seconds. */
  public OptionalLong estimatedLoadSeconds() {
    return estimatedLoadSeconds == null
        ? OptionalLong.empty()
        : OptionalLong.of(estimatedLoadSeconds);
  }

  /** Returns where the server exports Prometheus metrics, or empty when it does not. */
  public Optional<MetricsEndpoint> metrics() {
    return Optional.ofNullable(metrics);
  }

  /**
   * Returns the vLLM release the server's image runs, read from its tag ({@code
   * vllm/vllm-openai:v0.11.2} is 0.11.2); empty for another server or an image whose tag names no
   * release ({@code latest}). Monitoring and autoscaling take the release's metric names from it
   * ({@code io.github.gkeinference.core.server.VllmReleases}).
   */
  public Optional<VllmVersion> vllmVersion() {
    return Optional.ofNullable(vllmVersion);
  }

  /**
   * Returns the server flags the spec modelled, flag to value (empty for a switch), in the order
   * they were rendered. Flags passed through unmodelled ({@code extraArgs}) are not here.
   */
  public Map<String, String> flags() {
    return flags;
  }

  /**
   * Returns the environment variables the spec modelled for the server, name to literal value, such
   * as the hash seed that must match between servers and the endpoint picker. Variables passed
   * through unmodelled are not here.
   */
  public Map<String, String> env() {
    return env;
  }

  /** Returns the identity that {@link RenderedSet} keeps unique: group/kind/namespace/name. */
  String identity() {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return group + "/" + kind + "/" + namespace + "/" + name;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WorkloadFacts f
        && apiVersion.equals(f.apiVersion)
        && kind.equals(f.kind)
        && name.equals(f.name)
        && namespace.equals(f.namespace)
        && podSelector.equals(f.podSelector)
        && podLabels.equals(f.podLabels)
        && ports.equals(f.ports)
        && Objects.equals(devices, f.devices)
        && podsPerGroup == f.podsPerGroup
        && Objects.equals(server, f.server)
        && Objects.equals(modelId, f.modelId)
        && Objects.equals(maxModelLen, f.maxModelLen)
        && Objects.equals(maxPositionEmbeddings, f.maxPositionEmbeddings)
        && Objects.equals(tensorParallelism, f.tensorParallelism)
        && Objects.equals(pipelineParallelism, f.pipelineParallelism)
        && Objects.equals(dataParallelism, f.dataParallelism)
        && Objects.equals(estimatedLoadSeconds, f.estimatedLoadSeconds)
        && Objects.equals(metrics, f.metrics)
        && Objects.equals(vllmVersion, f.vllmVersion)
        && flags.equals(f.flags)
        && env.equals(f.env);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apiVersion, kind, name, namespace, podSelector, ports, server, modelId);
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }

  /** Builds {@link WorkloadFacts}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String apiVersion;
    private @Nullable String kind;
    private @Nullable String name;
    private String namespace = "default";
    private Map<String, String> podSelector = new LinkedHashMap<>();
    private Map<String, String> podLabels = new LinkedHashMap<>();
    private final List<Port> ports = new ArrayList<>();
    private @Nullable Devices devices;
    private int podsPerGroup = 1;
    private @Nullable String server;
    private @Nullable String modelId;
    private @Nullable Integer maxModelLen;
    private @Nullable Integer maxPositionEmbeddings;
    private @Nullable Integer tensorParallelism;
    private @Nullable Integer pipelineParallelism;
    private @Nullable Integer dataParallelism;
    private @Nullable Long estimatedLoadSeconds;
    private @Nullable MetricsEndpoint metrics;
    private @Nullable VllmVersion vllmVersion;
    private final Map<String, String> flags = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the API version.
     *
     * @param apiVersion for example {@code apps/v1}
     * @return this builder
     */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      return this;
    }

    /**
     * Sets the kind.
     *
     * @param kind for example {@code Deployment}
     * @return this builder
     */
    public Builder kind(String kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * Sets the name.
     *
     * @param name the workload's name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the namespace; default {@code default}.
     *
     * @param namespace the namespace
     * @return this builder
     */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /**
     * Sets the labels selecting the serving pods.
     *
     * @param podSelector the labels
     * @return this builder
     */
    public Builder podSelector(Map<String, String> podSelector) {
      this.podSelector = new LinkedHashMap<>(podSelector);
      return this;
    }

    /**
     * Sets the labels of the pod template.
     *
     * @param podLabels the labels
     * @return this builder
     */
    public Builder podLabels(Map<String, String> podLabels) {
      this.podLabels = new LinkedHashMap<>(podLabels);
      return this;
    }

    /**
     * Adds a declared container port.
     *
     * @param role its role (container port name)
     * @param number the port
     * @return this builder
     */
    public Builder addPort(String role, int number) {
      ports.add(new Port(role, number));
      return this;
    }

    /**
     * Replaces the ports.
     *
     * @param ports the ports
     * @return this builder
     */
    public Builder ports(List<Port> ports) {
      this.ports.clear();
      this.ports.addAll(ports);
      return this;
    }

    /**
     * Sets the accelerators one pod requests.
     *
     * @param resource {@code nvidia.com/gpu} or {@code google.com/tpu}
     * @param perPod how many
     * @return this builder
     */
    public Builder devices(String resource, int perPod) {
      this.devices = new Devices(resource, perPod);
      return this;
    }

    /**
     * Sets how many pods one unit of work spans; default 1.
     *
     * @param podsPerGroup at least 1
     * @return this builder
     */
    public Builder podsPerGroup(int podsPerGroup) {
      if (podsPerGroup < 1) {
        throw new IllegalArgumentException("podsPerGroup must be at least 1: " + podsPerGroup);
      }
      this.podsPerGroup = podsPerGroup;
      return this;
    }

    /**
     * Sets the model server kind.
     *
     * @param server for example {@code vllm}
     * @return this builder
     */
    public Builder server(String server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /**
     * Sets the model id.
     *
     * @param modelId the id
     * @return this builder
     */
    public Builder modelId(String modelId) {
      this.modelId = Objects.requireNonNull(modelId, "modelId");
      return this;
    }

    /**
     * Sets the longest sequence the server accepts.
     *
     * @param maxModelLen tokens
     * @return this builder
     */
    public Builder maxModelLen(int maxModelLen) {
      this.maxModelLen = maxModelLen;
      return this;
    }

    /**
     * Sets the model's max position embeddings.
     *
     * @param maxPositionEmbeddings tokens
     * @return this builder
     */
    public Builder maxPositionEmbeddings(int maxPositionEmbeddings) {
      this.maxPositionEmbeddings = maxPositionEmbeddings;
      return this;
    }

    /**
     * Sets the tensor parallel size.
     *
     * @param tensorParallelism the size
     * @return this builder
     */
    public Builder tensorParallelism(int tensorParallelism) {
      this.tensorParallelism = tensorParallelism;
      return this;
    }

    /**
     * Sets the pipeline parallel size.
     *
     * @param pipelineParallelism the size
     * @return this builder
     */
    public Builder pipelineParallelism(int pipelineParallelism) {
      this.pipelineParallelism = pipelineParallelism;
      return this;
    }

    /**
     * Sets the data-parallel ranks of one group.
     *
     * @param dataParallelism the ranks
     * @return this builder
     */
    public Builder dataParallelism(int dataParallelism) {
      this.dataParallelism = dataParallelism;
      return this;
    }

    /**
     * Sets the estimated load time.
     *
     * @param seconds the estimate
     * @return this builder
     */
    public Builder estimatedLoadSeconds(long seconds) {
      this.estimatedLoadSeconds = seconds;
      return this;
    }

    /**
     * Sets the metrics endpoint.
     *
     * @param port the container port
     * @param portName its name, or empty
     * @param path the HTTP path
     * @return this builder
     */
    public Builder metrics(int port, String portName, String path) {
      this.metrics = new MetricsEndpoint(port, portName, path);
      return this;
    }

    /**
     * Sets the vLLM release the server's image runs.
     *
     * @param vllmVersion the release, for example from {@link VllmVersion#fromImage(String)}
     * @return this builder
     */
    public Builder vllmVersion(VllmVersion vllmVersion) {
      this.vllmVersion = Objects.requireNonNull(vllmVersion, "vllmVersion");
      return this;
    }

    /**
     * Records one modelled flag.
     *
     * @param flag the flag, for example {@code --tensor-parallel-size}
     * @param value its value, empty for a switch
     * @return this builder
     */
    public Builder putFlag(String flag, String value) {
      flags.put(flag, value);
      return this;
    }

    /**
     * Replaces the modelled flags.
     *
     * @param flags flag to value
     * @return this builder
     */
    public Builder flags(Map<String, String> flags) {
      this.flags.clear();
      this.flags.putAll(flags);
      return this;
    }

    /**
     * Records one modelled environment variable.
     *
     * @param name the variable, for example {@code PYTHONHASHSEED}
     * @param value its literal value
     * @return this builder
     */
    public Builder putEnv(String name, String value) {
      env.put(name, value);
      return this;
    }

    /**
     * Replaces the modelled environment variables.
     *
     * @param env name to value
     * @return this builder
     */
    public Builder env(Map<String, String> env) {
      this.env.clear();
      this.env.putAll(env);
      return this;
    }

    /**
     * Builds the facts.
     *
     * @return the facts
     * @throws NullPointerException when the API version, kind or name is missing
     */
    public WorkloadFacts build() {
      return new WorkloadFacts(this);
    }
  }
}
