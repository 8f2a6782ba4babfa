package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A vLLM server on a multi-host TPU slice, as a LeaderWorkerSet with one pod per TPU VM.
 *
 * <p>{@link #server()} describes one VM (its placement is the VM's chips, for example 4 chips of a
 * {@code ct5lp-hightpu-4t} as a {@code 2x2} single-host slice); {@link #sliceTopology()} is the
 * whole slice, for example {@code 4x4}. The group size is the slice's chips divided by the VM's,
 * every pod (the leader too) requests the VM's chips, and tensor parallelism is the slice's chips,
 * as in the LWS vLLM TPU example (kubernetes-sigs/lws {@code docs/examples/vllm/TPU/lws.yaml}). The
 * LWS controller injects the TPU environment ({@code TPU_WORKER_HOSTNAMES}, {@code TPU_WORKER_ID},
 * ...) into containers that request {@code google.com/tpu}
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/tpus; kubernetes-sigs/lws v0.10.0
 * pkg/utils/accelerators/tpu.go). The Service selects the leaders.
 *
 * <p>One group is one slice, and GKE makes each multi-host slice its own node pool, so the set
 * carries the {@link LeaderWorkerSet#EXCLUSIVE_TOPOLOGY_ANNOTATION} on {@link #SLICE_NODE_LABEL}:
 * the pods of a group share one node pool and no other group uses it. The leader requests TPUs like
 * the workers, so the controller marks the workers with {@link
 * LeaderWorkerSet#LEADER_REQUESTS_TPUS_ANNOTATION} and {@code TPU_WORKER_HOSTNAMES} lists the
 * leader and the workers: {@link #hosts()} names, one per VM of the slice. No {@code
 * subGroupPolicy} is rendered (its {@link LeaderWorkerSet#SUBGROUP_SIZE_ANNOTATION} is for several
 * slices in one group).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableMultiHostTpuServer.class)
public interface MultiHostTpuServer extends RenderableSpec {
  /** The Ray bootstrap script in the vllm/vllm-tpu image (LWS vLLM TPU example). */
  String RAY_SCRIPT = "/workspace/vllm/examples/online_serving/multi-node-serving.sh";

  /**
   * The GKE node label that names a node's node pool; a multi-host TPU slice is one node pool
   * (https://cloud.google.com/kubernetes-engine/docs/concepts/tpus; AI-Hypercomputer/xpk
   * src/xpk/core/system_characteristics.py). It is the exclusive topology of the TPU examples of
   * kubernetes-sigs/lws ({@code docs/examples/saxml/lws.yaml}; {@code
   * docs/examples/sample/README.md}: "1:1 podgroup-to-nodepool mapping").
   */
  String SLICE_NODE_LABEL = "cloud.google.com/gke-nodepool";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The server of one TPU VM. */
  VllmTpuServer server();

  /** The multi-host slice's topology, for example {@code 4x4}. */
  String sliceTopology();

  /** Returns the TPU VMs (pods) of one group. */
  default int hosts() {
    return VllmTpuServer.chips(sliceTopology()) / server().placement().devices();
  }

  /** Returns the labels that select the leaders, for a Service or an InferencePool. */
  default Map<String, String> leaderSelectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>(server().selectorLabels());
    labels.put(MultiHostServer.ROLE_LABEL, "leader");
    return labels;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    boolean shape = sliceTopology().matches("[1-9][0-9]*(x[1-9][0-9]*){1,2}");
    v.require(shape, "sliceTopology", sliceTopology(), "must be a TPU topology such as 4x4");
    if (shape) {
      int chips = VllmTpuServer.chips(sliceTopology());
      int perVm = server().placement().devices();
      v.require(
          chips > perVm && chips % perVm == 0,
          "sliceTopology",
          sliceTopology(),
          "must span several VMs of " + perVm + " chips (" + chips + " chips)");
    }
    v.throwIfErrors();
  }

  /**
   * Renders the ServiceAccount, the LeaderWorkerSet (one slice per group, exclusive on its node
   * pool), the leaders' Service and the pods' NetworkPolicy.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "MultiHostTpuServer";
  }

  @Override
  default RenderedSet render() {
    VllmTpuServer s = server();
    int chips = VllmTpuServer.chips(sliceTopology());
    // the slice's chips shard the model across every host of a group
    ServerPod pod = VllmTpuRendering.serverPod(s, chips);
    PodTemplateSpec leader = multiHost(pod.template(false, null), "leader");
    LeaderWorkerGroups.leader(leader, RAY_SCRIPT, VllmTpuRendering.flags(s, chips).args());
    PodTemplateSpec worker = multiHost(pod.template(false, null), "worker");
    LeaderWorkerGroups.worker(worker, RAY_SCRIPT);

    LeaderWorkerSet lws =
        LeaderWorkerGroups.leaderWorkerSet(
            s.name(),
            s.namespace(),
            pod.labels(),
            Map.of(LeaderWorkerSet.EXCLUSIVE_TOPOLOGY_ANNOTATION, SLICE_NODE_LABEL),
            s.replicas(),
            hosts(),
            leader,
            worker);
    RenderedSet.Builder out = RenderedSet.builder();
    out.add(pod.serviceAccount());
    out.add(lws);
    out.add(pod.service(leaderSelectorLabels()));
    // leaders and workers: Ray between the pods of a group, clients and the collector
    out.add(pod.networkPolicy());
    out.addWorkload(
        VllmTpuRendering.facts(s, pod, LeaderWorkerSet.API_VERSION, LeaderWorkerSet.KIND, chips)
            .podSelector(LeaderWorkerGroups.leaderPods(s.name()))
            .podLabels(leader.getMetadata().getLabels())
            .podsPerGroup(hosts())
            .build());
    return out.build();
  }

  private PodTemplateSpec multiHost(PodTemplateSpec template, String role) {
    template.getMetadata().getLabels().put(MultiHostServer.ROLE_LABEL, role);
    template
        .getSpec()
        .getNodeSelector()
        .put(AcceleratorPlacement.TPU_TOPOLOGY_LABEL, sliceTopology());
    return template;
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableMultiHostTpuServer.Builder {}
}
