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
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.StartupBudget;
import io.github.gkeinference.serving.vllm.XlaCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link VllmTpuServer}'s pod and the objects around it. */
final class VllmTpuRendering {
  private VllmTpuRendering() {}

  static ServerPod serverPod(VllmTpuServer s) {
    Map<String, String> labels =
        Labels.standard(VllmRendering.APP, s.name(), VllmRendering.COMPONENT);
    labels.put(Labels.MODEL, ModelVolumes.modelLabel(s.modelId()));
    labels.put(Labels.INFERENCE_SERVER, "vllm-tpu");
    PodScheduling scheduling =
        ModelVolumes.schedule(
            s.placement(),
            s.source(),
            s.architecture().map(a -> a.weightBytes()).orElse(0L),
            s.xlaCache().bucket().isPresent());
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    List<EnvVar> env = new ArrayList<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    List<String> args = new ArrayList<>();
    args.add("--model=" + s.source().modelArgument());
    args.add("--served-model-name=" + s.modelId());
    args.add("--port=" + VllmServer.DEFAULT_PORT);
    args.add("--tensor-parallel-size=" + s.tensorParallelism());
    args.addAll(s.source().serverArgs());
    s.maxModelLen().ifPresent(l -> args.add("--max-model-len=" + l));
    s.maxNumBatchedTokens().ifPresent(n -> args.add("--max-num-batched-tokens=" + n));
    s.maxNumSeqs().ifPresent(n -> args.add("--max-num-seqs=" + n));
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
    s.architecture()
        .ifPresent(
            a -> {
              StartupBudget e = budget(s, a);
              annotations.put(VllmServer.ESTIMATED_LOAD_ANNOTATION, String.valueOf(e.seconds()));
              annotations.put(
                  VllmServer.MAX_POSITIONS_ANNOTATION, String.valueOf(a.maxPositionEmbeddings()));
            });
    Container container = VllmRendering.container(s.image(), args, env, scheduling, budget, mounts);
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
        s.googleServiceAccount(),
        VllmRendering.servicePorts(),
        s.source());
  }

  private static StartupBudget budget(VllmTpuServer s, ModelArchitecture a) {
    return StartupBudget.of(s.source().startupEstimate(a.weightBytes()));
  }
}
