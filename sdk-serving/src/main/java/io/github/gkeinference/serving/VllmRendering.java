package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.StartupBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link VllmServer}; one instance per render call. */
final class VllmRendering {
  static final String APP = "vllm";
  static final String COMPONENT = "model-server";
  static final String CONTAINER = "inference-server";

  private final VllmServer spec;

  VllmRendering(VllmServer spec) {
    this.spec = spec;
  }

  RenderedSet render() {
    return serverPod().render(spec.replicas());
  }

  Map<String, String> labels() {
    Map<String, String> labels = Labels.standard(APP, spec.name(), COMPONENT);
    labels.put(Labels.MODEL, spec.modelLabel());
    labels.put(Labels.INFERENCE_SERVER, APP);
    return labels;
  }

  PodScheduling scheduling() {
    long modelBytes = spec.architecture().map(a -> a.weightBytes()).orElse(0L);
    return ModelVolumes.schedule(spec.placement(), spec.source(), modelBytes, false);
  }

  List<String> args() {
    List<String> args = new ArrayList<>();
    ModelSource source = spec.source();
    args.add("--model=" + source.modelArgument());
    args.add("--served-model-name=" + spec.servedModelName().orElse(spec.modelId()));
    args.add("--port=" + VllmServer.DEFAULT_PORT);
    args.add("--tensor-parallel-size=" + spec.tensorParallelism());
    if (spec.pipelineParallelism() > 1) {
      args.add("--pipeline-parallel-size=" + spec.pipelineParallelism());
    }
    args.addAll(source.serverArgs());
    spec.maxModelLen().ifPresent(l -> args.add("--max-model-len=" + l));
    spec.gpuMemoryUtilization().ifPresent(u -> args.add("--gpu-memory-utilization=" + u));
    spec.maxNumSeqs().ifPresent(n -> args.add("--max-num-seqs=" + n));
    spec.maxNumBatchedTokens().ifPresent(n -> args.add("--max-num-batched-tokens=" + n));
    spec.kvCacheDtype().ifPresent(d -> args.add("--kv-cache-dtype=" + d));
    spec.prefixCaching()
        .ifPresent(on -> args.add(on ? "--enable-prefix-caching" : "--no-enable-prefix-caching"));
    spec.blockSize().ifPresent(b -> args.add("--block-size=" + b));
    spec.quantization().ifPresent(q -> args.add("--quantization=" + q));
    spec.speculative().ifPresent(s -> args.add("--speculative-config=" + s.toJson()));
    spec.kvOffloadingGib()
        .ifPresent(
            g -> {
              args.add("--kv-offloading-size=" + g);
              args.add("--kv-offloading-backend=native");
            });
    if (!spec.loraAdapters().isEmpty()) {
      args.add("--enable-lora");
      spec.maxLoraRank().ifPresent(r -> args.add("--max-lora-rank=" + r));
      args.add("--lora-modules");
      for (LoraAdapter a : spec.loraAdapters()) {
        args.add(a.name() + "=" + a.path());
      }
    }
    args.addAll(spec.extraArgs());
    return args;
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
    List<EnvVar> env = new ArrayList<>();
    spec.env().forEach((k, val) -> env.add(Pods.env(k, val)));
    long budget = startupBudgetSeconds();
    annotations.put(
        VllmServer.ESTIMATED_LOAD_ANNOTATION,
        String.valueOf(spec.startupEstimate().map(StartupBudget::seconds).orElse(budget)));
    spec.architecture()
        .ifPresent(
            a ->
                annotations.put(
                    VllmServer.MAX_POSITIONS_ANNOTATION,
                    String.valueOf(a.maxPositionEmbeddings())));

    Container container = container(image(), args(), env, scheduling, budget, mounts);

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
        spec.googleServiceAccount(),
        servicePorts(),
        spec.source());
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
   * @return a fresh container
   */
  static Container container(
      String image,
      List<String> args,
      List<EnvVar> env,
      PodScheduling scheduling,
      long budgetSeconds,
      List<VolumeMount> mounts) {
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
        // the vllm/vllm-openai image runs as root (the vllm-openai stage of vLLM's
        // docker/Dockerfile sets no USER), and the vllm/vllm-tpu image likewise, so runAsNonRoot
        // would stop them from starting; everything else is restricted
        .withSecurityContext(Pods.restricted(false))
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
