package io.github.gkeinference.serving.validate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.scheduling.NodeAllocatable;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.validate.Violations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Pod rules that need the rest of the bundle or a catalog: a GCS FUSE volume's service account has
 * a rendered read grant on its bucket, a pod's requests fit on one node of its machine type after
 * GKE's system pods, and a vLLM container's flags exist in its image's release.
 */
final class PodRules {
  /** The GCS FUSE CSI driver. */
  static final String FUSE_DRIVER = "gcsfuse.csi.storage.gke.io";

  /** The node label of the machine type. */
  static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";

  /** The Workload Identity annotation of a Kubernetes service account. */
  static final String GSA_ANNOTATION = "iam.gke.io/gcp-service-account";

  private PodRules() {}

  /**
   * Warns for each GCS FUSE volume whose bucket the pod's service account has no rendered grant on
   * (a Config Connector IAMPolicyMember naming its Workload Identity principal, or the Google
   * service account it is annotated with).
   *
   * @param pod the pod template
   * @param namespace the pod's namespace
   * @param set the bundle
   * @param at the collector, at the pod template
   */
  static void checkFuseGrants(
      PodTemplateSpec pod, String namespace, RenderedSet set, Violations at) {
    PodSpec spec = pod.getSpec();
    if (spec == null || spec.getVolumes() == null) {
      return;
    }
    String ksa = Objects.requireNonNullElse(spec.getServiceAccountName(), "default");
    Optional<String> gsa =
        set.kubernetesObjects(ServiceAccount.class).stream()
            .filter(
                sa ->
                    sa.getMetadata().getName().equals(ksa)
                        && namespace.equals(
                            Objects.requireNonNullElse(sa.getMetadata().getNamespace(), "default")))
            .map(sa -> sa.getMetadata().getAnnotations())
            .filter(Objects::nonNull)
            .map(a -> a.get(GSA_ANNOTATION))
            .filter(Objects::nonNull)
            .findFirst();
    List<Grant> grants = grants(set);
    List<Volume> volumes = spec.getVolumes();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      if (v.getCsi() == null
          || !FUSE_DRIVER.equals(v.getCsi().getDriver())
          || v.getCsi().getVolumeAttributes() == null) {
        continue;
      }
      String bucket = v.getCsi().getVolumeAttributes().get("bucketName");
      if (bucket == null) {
        continue;
      }
      boolean granted =
          grants.stream()
              .anyMatch(
                  g ->
                      g.bucket().equals(bucket)
                          && (g.member().endsWith("/subject/ns/" + namespace + "/sa/" + ksa)
                              || gsa.map(e -> g.member().equals("serviceAccount:" + e))
                                  .orElse(false)));
      if (!granted) {
        at.warning(
            "spec.volumes[" + i + "].csi.volumeAttributes.bucketName",
            bucket,
            "the pod's service account "
                + namespace
                + "/"
                + ksa
                + " has no read grant on this bucket in the bundle (a Config Connector"
                + " IAMPolicyMember with roles/storage.objectViewer); unless it is granted"
                + " elsewhere, the mount fails with 403");
      }
    }
  }

  /**
   * Warns when a pod's containers request more CPU or memory than one node of its machine type (its
   * {@value #INSTANCE_TYPE} node selector) leaves after GKE's system pods ({@link NodeAllocatable},
   * Standard mode): such a pod stays Pending.
   *
   * @param pod the pod template
   * @param at the collector, at the pod template
   */
  static void checkNodeFit(PodTemplateSpec pod, Violations at) {
    PodSpec spec = pod.getSpec();
    if (spec == null || spec.getNodeSelector() == null) {
      return;
    }
    String machineType = spec.getNodeSelector().get(INSTANCE_TYPE);
    if (machineType == null) {
      return;
    }
    Optional<MachineShape> shape = AcceleratorCatalog.standard().byMachineType(machineType);
    if (shape.isEmpty()) {
      return;
    }
    List<Container> running = new ArrayList<>(spec.getContainers());
    if (spec.getInitContainers() != null) {
      // native sidecars run beside the containers and add to the pod's requests
      spec.getInitContainers().stream()
          .filter(c -> "Always".equals(c.getRestartPolicy()))
          .forEach(running::add);
    }
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (Container c : running) {
      Map<String, Quantity> requests =
          c.getResources() == null ? null : c.getResources().getRequests();
      if (requests == null) {
        continue;
      }
      if (requests.get("cpu") != null) {
        cpu = cpu.add(Quantity.getAmountInBytes(requests.get("cpu")));
      }
      if (requests.get("memory") != null) {
        memory = memory.add(Quantity.getAmountInBytes(requests.get("memory")));
      }
    }
    long cpuMillis = cpu.multiply(BigDecimal.valueOf(1000)).longValue();
    long room = NodeAllocatable.cpuMillis(shape.get(), NodeAllocatable.Mode.STANDARD);
    if (cpuMillis > room) {
      at.warning(
          "spec.containers[*].resources.requests.cpu",
          cpuMillis + "m",
          "exceeds the "
              + room
              + "m one "
              + machineType
              + " node leaves after GKE's system pods"
              + " and a safety margin; the pod would stay Pending");
    }
    long memoryRoom = NodeAllocatable.memoryBytes(shape.get(), NodeAllocatable.Mode.STANDARD);
    if (memory.longValue() > memoryRoom) {
      at.warning(
          "spec.containers[*].resources.requests.memory",
          (memory.longValue() >> 20) + "Mi",
          "exceeds the "
              + (memoryRoom >> 20)
              + "Mi one "
              + machineType
              + " node leaves after GKE's system pods and a safety margin; the pod would stay"
              + " Pending");
    }
  }

  /**
   * Checks the flags of each vLLM container (one whose image is a {@code vllm/...} or {@code
   * vllm-...} repository) against the release its image tag names (the release table, {@link
   * VllmReleases}): an ERROR for each argument whose flag that release does not accept, at the
   * argument's path; a WARNING when the tag names no release ({@code latest}, {@code gemma4}, a
   * digest only), since nothing can then be checked. Images of other repositories that run vLLM
   * (llm-d's) carry their own version numbers and are not checked.
   *
   * @param pod the pod template
   * @param at the collector, at the pod template
   */
  static void checkVllmFlags(PodTemplateSpec pod, Violations at) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return;
    }
    checkVllmFlags(spec.getContainers(), "spec.containers", at);
    checkVllmFlags(spec.getInitContainers(), "spec.initContainers", at);
  }

  private static void checkVllmFlags(
      @Nullable List<Container> containers, String field, Violations at) {
    if (containers == null) {
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String image = c.getImage();
      if (image == null || !isVllmImage(image)) {
        continue;
      }
      String path = field + "[" + i + "]";
      Optional<VllmRelease> release = VllmReleases.forImage(image);
      if (release.isEmpty()) {
        at.warning(
            path + ".image",
            image,
            "names no vLLM release, so its flags and metric names cannot be checked; pin a"
                + " release tag such as v0.11.2");
        continue;
      }
      checkArgs(release.get(), c.getCommand(), path + ".command", at);
      checkArgs(release.get(), c.getArgs(), path + ".args", at);
    }
  }

  private static void checkArgs(
      VllmRelease release, @Nullable List<String> args, String field, Violations at) {
    if (args == null) {
      return;
    }
    for (int j = 0; j < args.size(); j++) {
      String arg = args.get(j);
      String path = field + "[" + j + "]";
      release.unsupported(arg).ifPresent(why -> at.error(path, arg, why));
    }
  }

  /**
   * Returns whether an image's repository is vLLM's ({@code vllm/vllm-openai}, {@code vllm-tpu}).
   */
  static boolean isVllmImage(String image) {
    String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    String repo = ref.substring(ref.lastIndexOf('/') + 1);
    return repo.toLowerCase(Locale.ROOT).startsWith("vllm");
  }

  /** A bucket grant read from the bundle. */
  private record Grant(String bucket, String member) {}

  private static List<Grant> grants(RenderedSet set) {
    List<Grant> out = new ArrayList<>();
    for (HasMetadata o : set.kubernetesObjects()) {
      if (o instanceof IamPolicyMember m && m.getSpec() != null) {
        if ("StorageBucket".equals(m.spec().resourceRef().kind())) {
          out.add(new Grant(m.spec().resourceRef().external(), m.spec().member()));
        }
      } else if (o instanceof GenericKubernetesResource g
          && IamPolicyMember.KIND.equals(g.getKind())
          && g.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
          && spec.get("resourceRef") instanceof Map<?, ?> ref
          && "StorageBucket".equals(ref.get("kind"))
          && ref.get("external") instanceof String bucket
          && spec.get("member") instanceof String member) {
        out.add(new Grant(bucket, member));
      }
    }
    return out;
  }
}
