package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.scheduling.NodeAllocatable;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.serving.gateway.epp.EppServerChecks;
import io.github.gkeinference.serving.gateway.epp.PrecisePrefixRouting;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.internal.ServerArgs;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.StartupBudget;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Renders a {@link VllmServer}; one instance per render call. */
final class VllmRendering {
  static final String APP = "vllm";
  static final String COMPONENT = "model-server";
  static final String CONTAINER = "inference-server";

  private final VllmServer spec;

  VllmRendering(VllmServer spec) {
    this.spec = spec;
  }

  /** vLLM's metrics path on its API port (vLLM {@code vllm/entrypoints/openai/api_server.py}). */
  static final String METRICS_PATH = "/metrics";

  RenderedSet render() {
    ServerPod pod = serverPod();
    return pod.render(
        spec.replicas(), spec.resolvedMaxReplicas(), facts(pod, "apps/v1", "Deployment").build());
  }

  Map<String, String> labels() {
    Map<String, String> labels = Labels.standard(APP, spec.name(), COMPONENT);
    labels.put(Labels.MODEL, spec.modelLabel());
    labels.put(Labels.INFERENCE_SERVER, APP);
    return labels;
  }

  PodScheduling scheduling() {
    long modelBytes = spec.architecture().map(a -> a.weightBytes()).orElse(0L);
    return ModelVolumes.schedule(
        spec.placement(), spec.source(), modelBytes, AdapterVolumes.of(spec).fuse());
  }

  /**
   * Returns the server container's CPU and memory: the scheduling's share of the node, or the
   * spec's stated requests and limits.
   */
  ServerResources resources() {
    return ServerResources.of(
        scheduling(), spec.cpuRequest(), spec.memoryRequest(), spec.cpuLimit(), spec.memoryLimit());
  }

  /**
   * What one node of the server's machine type leaves for the server container on a Standard
   * cluster: its allocatable after GKE's system pods ({@link NodeAllocatable}), minus the pod's
   * sidecars.
   *
   * @param machineType the machine type
   * @param cpuMillis the CPU left, in millicores
   * @param memoryBytes the memory left, in bytes
   */
  record NodeRoom(String machineType, long cpuMillis, long memoryBytes) {}

  NodeRoom nodeRoom() {
    MachineShape machine = scheduling().machine();
    long modelBytes = spec.architecture().map(a -> a.weightBytes()).orElse(0L);
    ModelVolumes.Room sidecars =
        ModelVolumes.sidecars(spec.source(), modelBytes, AdapterVolumes.of(spec).fuse());
    return new NodeRoom(
        machine.machineType(),
        NodeAllocatable.cpuMillis(machine, NodeAllocatable.Mode.STANDARD)
            - sidecars.cpuMillis()
            - spec.placement().sidecarCpuMillis(),
        NodeAllocatable.memoryBytes(machine, NodeAllocatable.Mode.STANDARD)
            - sidecars.memoryBytes()
            - spec.placement().sidecarMemoryBytes());
  }

  List<String> args() {
    return flags().args();
  }

  /** Returns the server's arguments, remembering the flags the spec modelled. */
  ServerArgs flags() {
    ServerArgs args = new ServerArgs();
    ModelSource source = spec.source();
    args.flag(VllmFlags.MODEL, source.modelArgument());
    args.flag(VllmFlags.SERVED_MODEL_NAME, spec.servedModelName().orElse(spec.modelId()));
    args.flag(VllmFlags.PORT, VllmServer.DEFAULT_PORT);
    args.flag(VllmFlags.TENSOR_PARALLEL_SIZE, spec.tensorParallelism());
    if (spec.pipelineParallelism() > 1) {
      args.flag(VllmFlags.PIPELINE_PARALLEL_SIZE, spec.pipelineParallelism());
    }
    args.raw(source.serverArgs());
    spec.maxModelLen().ifPresent(l -> args.flag(VllmFlags.MAX_MODEL_LEN, l));
    spec.gpuMemoryUtilization().ifPresent(u -> args.flag(VllmFlags.GPU_MEMORY_UTILIZATION, u));
    spec.maxNumSeqs().ifPresent(n -> args.flag(VllmFlags.MAX_NUM_SEQS, n));
    spec.maxNumBatchedTokens().ifPresent(n -> args.flag(VllmFlags.MAX_NUM_BATCHED_TOKENS, n));
    spec.kvCacheDtype().ifPresent(d -> args.flag(VllmFlags.KV_CACHE_DTYPE, d));
    spec.prefixCaching()
        .ifPresent(
            on ->
                args.toggle(
                    on ? VllmFlags.ENABLE_PREFIX_CACHING : VllmFlags.NO_ENABLE_PREFIX_CACHING));
    spec.blockSize()
        .ifPresentOrElse(
            b -> args.flag(VllmFlags.BLOCK_SIZE, b),
            () ->
                spec.precisePrefixRouting()
                    .ifPresent(r -> args.flag(VllmFlags.BLOCK_SIZE, r.blockSize())));
    spec.precisePrefixRouting()
        .ifPresent(r -> args.flag(VllmFlags.KV_EVENTS_CONFIG, r.kvEventsConfigJson()));
    spec.quantization().ifPresent(q -> args.flag(VllmFlags.QUANTIZATION, q));
    AdapterVolumes adapters = AdapterVolumes.of(spec);
    spec.speculative()
        .ifPresent(s -> args.flag(VllmFlags.SPECULATIVE_CONFIG, s.toJson(adapters.draftPath())));
    spec.kvOffloadingGib()
        .ifPresent(
            g -> {
              args.flag(VllmFlags.KV_OFFLOADING_SIZE, g);
              args.flag(VllmFlags.KV_OFFLOADING_BACKEND, "native");
            });
    loraFlags(args, adapters);
    spec.telemetry().ifPresent(t -> args.raw(t.args()));
    args.raw(spec.extraArgs());
    return args;
  }

  /**
   * Adds {@code --enable-lora}, the LoRA limits that are set and {@code --lora-modules name=path}
   * for every adapter (its mount path or Hub id), when adapters are listed.
   */
  private void loraFlags(ServerArgs args, AdapterVolumes adapters) {
    if (spec.loraAdapters().isEmpty()) {
      return;
    }
    args.toggle(VllmFlags.ENABLE_LORA);
    spec.maxLoraRank().ifPresent(r -> args.flag(VllmFlags.MAX_LORA_RANK, r));
    spec.maxLoras().ifPresent(n -> args.flag(VllmFlags.MAX_LORAS, n));
    spec.maxCpuLoras().ifPresent(n -> args.flag(VllmFlags.MAX_CPU_LORAS, n));
    List<String> modules = new ArrayList<>();
    for (int i = 0; i < spec.loraAdapters().size(); i++) {
      LoraAdapter a = spec.loraAdapters().get(i);
      modules.add(a.name() + "=" + adapters.loraPaths().get(i));
    }
    // the facts keep the adapters, so a gateway can check which names a server answers
    args.list(VllmFlags.LORA_MODULES, modules);
  }

  /**
   * Returns the facts of the rendered server: its Deployment, pods, devices, model, modelled flags
   * and metrics endpoint.
   *
   * @param pod the rendered pod
   * @param kind the workload's kind
   * @param apiVersion the workload's API version
   * @return the facts' builder, for a multi-host server to adjust
   */
  WorkloadFacts.Builder facts(ServerPod pod, String apiVersion, String kind) {
    ServerArgs flags = flags();
    PodScheduling scheduling = scheduling();
    WorkloadFacts.Builder facts =
        pod.facts(apiVersion, kind)
            .server(APP)
            .modelId(spec.modelId())
            .devices(scheduling.accelerator().kind().resourceName(), scheduling.devices())
            .tensorParallelism(spec.tensorParallelism())
            .pipelineParallelism(spec.pipelineParallelism())
            .flags(flags.modelled())
            // vLLM serves /metrics on its API port
            .metrics(VllmServer.DEFAULT_PORT, WorkloadFacts.HTTP, METRICS_PATH)
            .estimatedLoadSeconds(
                spec.startupEstimate().map(StartupBudget::seconds).orElse(startupBudgetSeconds()));
    hashSeed().ifPresent(seed -> facts.putEnv(EppServerChecks.HASH_SEED_ENV, seed));
    // the release the image runs: monitoring and autoscaling take its metric names
    VllmVersion.fromImage(spec.image()).ifPresent(facts::vllmVersion);
    spec.maxModelLen().ifPresent(facts::maxModelLen);
    spec.architecture().ifPresent(a -> facts.maxPositionEmbeddings(a.maxPositionEmbeddings()));
    return facts;
  }

  /** The block hash seed the server's {@code PYTHONHASHSEED} holds, if the spec sets one. */
  private Optional<String> hashSeed() {
    String env = spec.env().get(EppServerChecks.HASH_SEED_ENV);
    return env != null
        ? Optional.of(env)
        : spec.precisePrefixRouting().map(PrecisePrefixRouting::hashSeed);
  }

  long startupBudgetSeconds() {
    if (spec.startupBudgetSeconds().isPresent()) {
      return spec.startupBudgetSeconds().getAsInt();
    }
    // unknown model size: the reference architecture's readiness budget is 6000 x 10 s; one hour
    // is what the SDK allows instead
    return spec.startupEstimate().map(StartupBudget::budgetSeconds).orElse(3600L);
  }

  ServerPod serverPod() {
    Map<String, String> labels = labels();
    PodScheduling scheduling = scheduling();
    Map<String, String> annotations = new LinkedHashMap<>();
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("dshm")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity(spec.shmSize()))
            .endEmptyDir()
            .build());
    mounts.add(new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build());
    // bucket LoRA adapters and the draft model: read-only GCS FUSE mounts of their own
    AdapterVolumes adapters = AdapterVolumes.of(spec);
    volumes.addAll(adapters.volumes());
    mounts.addAll(adapters.mounts());
    if (adapters.fuse()) {
      annotations.put(ModelVolumes.FUSE_ANNOTATION, "true");
    }
    List<EnvVar> env = new ArrayList<>();
    spec.env().forEach((k, val) -> env.add(Pods.env(k, val)));
    spec.telemetry().ifPresent(t -> env.addAll(t.env()));
    env.addAll(adapters.env());
    spec.precisePrefixRouting()
        .ifPresent(
            r -> {
              if (!spec.env().containsKey(EppServerChecks.HASH_SEED_ENV)) {
                env.add(Pods.env(EppServerChecks.HASH_SEED_ENV, r.hashSeed()));
              }
              // the KV-events topic names the pod: kv@$(POD_IP)@<model>
              env.add(Pods.fieldRef("POD_IP", "status.podIP"));
            });
    if (!spec.runAsRoot()) {
      Set<String> taken = new HashSet<>(spec.env().keySet());
      spec.source().env().forEach(e -> taken.add(e.getName()));
      nonRootHome(volumes, mounts, env, taken);
    }
    long budget = startupBudgetSeconds();

    Container container =
        container(image(), args(), env, scheduling, budget, mounts, spec.runAsRoot());
    container.setImagePullPolicy(spec.imagePullPolicy());
    container.setResources(resources().toFabric8());

    return new ServerPod(
        spec.name(),
        spec.namespace(),
        labels,
        spec.selectorLabels(),
        annotations,
        container,
        volumes,
        scheduling.nodeSelector(),
        scheduling.tolerations(),
        identity(),
        servicePorts(),
        spec.source());
  }

  /** The volume that holds the non-root user's home and caches. */
  static final String HOME_VOLUME = "vllm-home";

  /**
   * Adds the non-root user's home ({@link VllmServer#HOME}, an {@code emptyDir}) and the variables
   * that put the Hugging Face, vLLM, torch inductor and Triton caches under it, except those the
   * spec or the model source set themselves. {@code USER} lets Python's {@code getpass.getuser()}
   * answer without a password entry for {@link VllmServer#USER_ID}.
   */
  static void nonRootHome(
      List<Volume> volumes, List<VolumeMount> mounts, List<EnvVar> env, Set<String> taken) {
    volumes.add(new VolumeBuilder().withName(HOME_VOLUME).withNewEmptyDir().endEmptyDir().build());
    mounts.add(
        new VolumeMountBuilder().withName(HOME_VOLUME).withMountPath(VllmServer.HOME).build());
    String cache = VllmServer.HOME + "/.cache";
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("HOME", VllmServer.HOME);
    vars.put("USER", "vllm");
    vars.put("XDG_CACHE_HOME", cache);
    vars.put("HF_HOME", cache + "/huggingface");
    vars.put("VLLM_CACHE_ROOT", cache + "/vllm");
    vars.put("TORCHINDUCTOR_CACHE_DIR", cache + "/torch/inductor");
    vars.put("TRITON_CACHE_DIR", cache + "/triton");
    vars.forEach(
        (k, v) -> {
          if (!taken.contains(k)) {
            env.add(Pods.env(k, v));
          }
        });
  }

  /**
   * Returns the server's identity: its service account and its bucket grants as Config Connector
   * objects.
   */
  ServerIdentity identity() {
    return ServerIdentity.of(
        spec.name(),
        spec.namespace(),
        labels(),
        spec.serviceAccountName(),
        spec.googleServiceAccount(),
        spec.bucketGrants());
  }

  /**
   * Returns the vLLM OpenAI API server container, as the GPU ({@link VllmServer}) and the TPU
   * ({@link VllmTpuServer}) servers both run it.
   *
   * @param image the image reference
   * @param args the server flags
   * @param env the environment
   * @param scheduling the pod's scheduling, for the container's resources
   * @param budgetSeconds the start-up probe's budget
   * @param mounts the volume mounts
   * @param runAsRoot whether the container keeps the image's root user; otherwise it runs as {@link
   *     VllmServer#USER_ID} (the caller adds its home: {@link #nonRootHome})
   * @return a fresh container
   */
  static Container container(
      String image,
      List<String> args,
      List<EnvVar> env,
      PodScheduling scheduling,
      long budgetSeconds,
      List<VolumeMount> mounts,
      boolean runAsRoot) {
    SecurityContext security = Pods.restricted(!runAsRoot);
    if (!runAsRoot) {
      security.setRunAsUser(VllmServer.USER_ID);
      security.setRunAsGroup(VllmServer.USER_ID);
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("python3", "-m", "vllm.entrypoints.openai.api_server")
        .withArgs(args)
        .withEnv(env)
        .addNewPort()
        .withName("http")
        .withContainerPort(VllmServer.DEFAULT_PORT)
        .withProtocol("TCP")
        .endPort()
        .withResources(scheduling.resources())
        .withStartupProbe(ServerPod.startupProbe("/health", "http", budgetSeconds))
        .withReadinessProbe(ServerPod.readinessProbe("/health", "http"))
        .withLivenessProbe(ServerPod.livenessProbe("/health", "http"))
        .withSecurityContext(security)
        .withVolumeMounts(mounts)
        .build();
  }

  /** Returns the Service ports of a vLLM server: its API port, and the same port as metrics. */
  static List<ServicePort> servicePorts() {
    return List.of(
        ServerPod.port("http", VllmServer.DEFAULT_PORT, "http"),
        // vLLM serves /metrics on its API port; a named Service port lets monitors find it
        ServerPod.port("metrics", VllmServer.METRICS_SERVICE_PORT, "http"));
  }

  private String image() {
    return spec.imageDigest().map(d -> spec.image() + "@" + d).orElse(spec.image());
  }
}
