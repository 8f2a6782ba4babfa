package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.internal.ServerArgs;
import io.github.gkeinference.serving.vllm.StartupBudget;
import io.github.gkeinference.serving.vllm.VllmFlags;
import io.github.gkeinference.serving.vllm.XlaCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders a {@link VllmTpuServer}'s pod and the objects around it. */
final class VllmTpuRendering {
  private VllmTpuRendering() {}

  /**
   * Returns the server's arguments, remembering the flags the spec modelled.
   *
   * @param s the spec
   * @param tensorParallelism the tensor parallel size: the spec's, or a multi-host slice's chips
   * @return the arguments
   */
  static ServerArgs flags(VllmTpuServer s, int tensorParallelism) {
    ServerArgs args = new ServerArgs();
    args.flag(VllmFlags.MODEL, s.source().modelArgument());
    args.flag(VllmFlags.SERVED_MODEL_NAME, s.modelId());
    args.flag(VllmFlags.PORT, VllmServer.DEFAULT_PORT);
    args.flag(VllmFlags.TENSOR_PARALLEL_SIZE, tensorParallelism);
    args.raw(s.source().serverArgs());
    s.maxModelLen().ifPresent(l -> args.flag(VllmFlags.MAX_MODEL_LEN, l));
    s.maxNumBatchedTokens().ifPresent(n -> args.flag(VllmFlags.MAX_NUM_BATCHED_TOKENS, n));
    s.maxNumSeqs().ifPresent(n -> args.flag(VllmFlags.MAX_NUM_SEQS, n));
    return args;
  }

  /**
   * Returns the facts of the rendered server.
   *
   * @param s the spec
   * @param pod its rendered pod
   * @param apiVersion the workload's API version
   * @param kind the workload's kind
   * @param tensorParallelism the tensor parallel size rendered
   * @return the facts' builder
   */
  static WorkloadFacts.Builder facts(
      VllmTpuServer s, ServerPod pod, String apiVersion, String kind, int tensorParallelism) {
    PodScheduling scheduling = scheduling(s);
    WorkloadFacts.Builder facts =
        pod.facts(apiVersion, kind)
            .server(VllmRendering.APP)
            .modelId(s.modelId())
            .devices(scheduling.accelerator().kind().resourceName(), scheduling.devices())
            .tensorParallelism(tensorParallelism)
            .flags(flags(s, tensorParallelism).modelled())
            .metrics(VllmServer.DEFAULT_PORT, WorkloadFacts.HTTP, VllmRendering.METRICS_PATH);
    VllmVersion.fromImage(s.image()).ifPresent(facts::vllmVersion);
    s.maxModelLen().ifPresent(facts::maxModelLen);
    s.architecture()
        .ifPresent(
            a -> {
              facts.maxPositionEmbeddings(a.maxPositionEmbeddings());
              facts.estimatedLoadSeconds(budget(s, a).seconds());
            });
    return facts;
  }

  private static PodScheduling scheduling(VllmTpuServer s) {
    return ModelVolumes.schedule(
        s.placement(),
        s.source(),
        s.architecture().map(a -> a.weightBytes()).orElse(0L),
        s.xlaCache().bucket().isPresent());
  }

  static ServerPod serverPod(VllmTpuServer s) {
    return serverPod(s, s.tensorParallelism());
  }

  static ServerPod serverPod(VllmTpuServer s, int tensorParallelism) {
    Map<String, String> labels =
        Labels.standard(VllmRendering.APP, s.name(), VllmRendering.COMPONENT);
    labels.put(Labels.MODEL, ModelVolumes.modelLabel(s.modelId()));
    labels.put(Labels.INFERENCE_SERVER, "vllm-tpu");
    PodScheduling scheduling = scheduling(s);
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    List<EnvVar> env = new ArrayList<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    List<String> args = flags(s, tensorParallelism).args();
    XlaCache cache = s.xlaCache();
    if (cache.bucket().isPresent()) {
      annotations.put(ModelVolumes.FUSE_ANNOTATION, "true");
      volumes.add(
          new VolumeBuilder()
              .withName("xla-cache")
              .withNewCsi()
              .withDriver(ModelVolumes.FUSE_DRIVER)
              .addToVolumeAttributes("bucketName", cache.bucket().get())
              .addToVolumeAttributes("mountOptions", "implicit-dirs,only-dir:" + cache.path())
              .endCsi()
              .build());
    } else {
      volumes.add(
          new VolumeBuilder()
              .withName("xla-cache")
              .withNewEmptyDir()
              .withSizeLimit(new Quantity(cache.sizeLimit().orElse("20Gi")))
              .endEmptyDir()
              .build());
    }
    mounts.add(
        new VolumeMountBuilder().withName("xla-cache").withMountPath(XlaCache.MOUNT_PATH).build());
    env.add(Pods.env(VllmTpuServer.XLA_CACHE_ENV, XlaCache.MOUNT_PATH));
    long budget =
        s.architecture().map(a -> budget(s, a)).map(StartupBudget::budgetSeconds).orElse(3600L);
    // the vllm/vllm-tpu image runs as root and the SDK has not verified it without root on GKE's
    // TPU devices: it keeps root, with the rest of the restricted security context
    Container container =
        VllmRendering.container(s.image(), args, env, scheduling, budget, mounts, true);
    return new ServerPod(
        s.name(),
        s.namespace(),
        labels,
        s.selectorLabels(),
        annotations,
        container,
        volumes,
        scheduling.nodeSelector(),
        scheduling.tolerations(),
        ServerIdentity.of(
            s.name(),
            s.namespace(),
            labels,
            Optional.empty(),
            s.googleServiceAccount(),
            s.bucketGrants()),
        VllmRendering.servicePorts(),
        s.source());
  }

  private static StartupBudget budget(VllmTpuServer s, ModelArchitecture a) {
    return StartupBudget.of(s.source().startupEstimate(a.weightBytes()));
  }
}
