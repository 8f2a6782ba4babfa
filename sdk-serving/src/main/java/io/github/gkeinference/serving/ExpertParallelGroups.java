package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.internal.ServerArgs;
import io.github.gkeinference.serving.vllm.ExpertParallel;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pods of a {@link MultiHostServer} with {@link ExpertParallel}: every pod of a group runs
 * {@code devices / tensorParallelism} data-parallel ranks of one vLLM deployment, as llm-d's
 * wide-EP guide does (llm-d/llm-d {@code
 * guides/wide-ep-lws/manifests/modelserver/base/decode.yaml} @ 3318b75), instead of joining a Ray
 * cluster.
 */
final class ExpertParallelGroups {
  /** The variable the all-to-all backend is set by before {@code --all2all-backend}. */
  static final String ALL2ALL_ENV = "VLLM_ALL2ALL_BACKEND";

  /**
   * The variable holding the pod's index in its group, from the LeaderWorkerSet's worker-index
   * label (a name of its own: LWS releases differ in whether they set {@code LWS_WORKER_INDEX}).
   */
  static final String WORKER_INDEX_ENV = "GROUP_WORKER_INDEX";

  private ExpertParallelGroups() {}

  /**
   * Returns the ranks one pod runs: the machine's GPUs over a rank's tensor parallelism.
   *
   * @param server the server of one machine
   * @param ep the expert parallelism
   * @return {@code --data-parallel-size-local}
   */
  static int localRanks(VllmServer server, ExpertParallel ep) {
    return server.placement().devices() / ep.tensorParallelism();
  }

  /**
   * Adds the rules that span the server, the group and the expert parallelism.
   *
   * @param v the collector, at the multi-host server
   * @param server the server of one machine
   * @param nodes the machines of a group
   * @param ep the expert parallelism
   */
  static void check(Violations v, VllmServer server, int nodes, ExpertParallel ep) {
    int devices = server.placement().devices();
    v.require(
        devices % ep.tensorParallelism() == 0,
        "expertParallel.tensorParallelism",
        ep.tensorParallelism(),
        "must divide the " + devices + " GPUs of one machine (server.placement.devices)");
    long groupDevices = (long) nodes * devices;
    v.require(
        ep.expertParallelism() == groupDevices,
        "expertParallel.dataParallelism",
        ep.dataParallelism(),
        "dataParallelism x tensorParallelism ("
            + ep.dataParallelism()
            + " x "
            + ep.tensorParallelism()
            + ") must equal the group's GPUs, nodes x server.placement.devices ("
            + nodes
            + " x "
            + devices
            + " = "
            + groupDevices
            + ")");
    Optional<ModelArchitecture> arch = server.architecture();
    if (arch.isEmpty()) {
      return;
    }
    if (arch.get().moe().isEmpty()) {
      v.error(
          "server.modelId",
          server.modelId(),
          "is a dense model; expert parallelism needs a mixture-of-experts model (routed experts)");
      return;
    }
    int experts = arch.get().moe().get().numExperts();
    // vllm/model_executor/layers/fused_moe/layer.py: "EPLB currently only supports even
    // distribution of experts across ranks"; without EPLB, vLLM spreads a remainder itself
    v.require(
        ep.redundantExperts() == 0
            || (experts + ep.redundantExperts()) % ep.expertParallelism() == 0,
        "expertParallel.redundantExperts",
        ep.redundantExperts(),
        "the "
            + experts
            + " routed experts plus the redundant ones must divide evenly over the "
            + ep.expertParallelism()
            + " expert-parallel GPUs, as vLLM's load balancer requires");
  }

  /**
   * Warns when the model is not in the SDK's catalog: whether it has experts cannot be checked.
   *
   * @param v the collector, at the multi-host server
   * @param server the server of one machine
   */
  static void validate(Violations v, VllmServer server) {
    if (server.architecture().isEmpty()) {
      v.warning(
          "server.modelId",
          server.modelId(),
          "is not in the SDK's model catalog, so whether it is a mixture-of-experts model (which"
              + " expert parallelism needs) is not checked");
    }
  }

  /**
   * Returns whether the image's vLLM takes the all-to-all backend as {@code --all2all-backend}:
   * from 0.12, and for an image whose tag names no release (newer releases have only the flag).
   */
  static boolean all2allFlag(VllmServer server) {
    Optional<VllmRelease> release = VllmReleases.forImage(server.image());
    return release.map(r -> r.accepts(VllmFlags.ALL2ALL_BACKEND + "=x")).orElse(true);
  }

  /**
   * Sets the flags of every pod and makes the leader's and the workers' server containers start
   * their ranks.
   *
   * @param server the server of one machine
   * @param ep the expert parallelism
   * @param flags the server's flags, changed in place
   * @param pods the leader's and the workers' pod templates, changed in place
   */
  static void configure(
      VllmServer server, ExpertParallel ep, ServerArgs flags, List<PodTemplateSpec> pods) {
    int local = localRanks(server, ep);
    flags.replace(VllmFlags.TENSOR_PARALLEL_SIZE, ep.tensorParallelism());
    flags.flag(VllmFlags.DATA_PARALLEL_SIZE, ep.dataParallelism());
    flags.flag(VllmFlags.DATA_PARALLEL_SIZE_LOCAL, local);
    // $(LWS_LEADER_ADDRESS) is set by the LWS controller and expanded by Kubernetes
    flags.flag(VllmFlags.DATA_PARALLEL_ADDRESS, "$(LWS_LEADER_ADDRESS)");
    flags.flag(VllmFlags.DATA_PARALLEL_RPC_PORT, ep.rpcPort());
    flags.toggle(VllmFlags.DATA_PARALLEL_HYBRID_LB);
    flags.toggle(VllmFlags.ENABLE_EXPERT_PARALLEL);
    boolean all2allFlag = all2allFlag(server);
    if (all2allFlag) {
      flags.flag(VllmFlags.ALL2ALL_BACKEND, ep.all2allBackend());
    }
    if (ep.redundantExperts() > 0) {
      flags.toggle(VllmFlags.ENABLE_EPLB);
      flags.flag(VllmFlags.EPLB_CONFIG, ep.eplbConfigJson());
    }
    List<String> args = flags.args();
    for (PodTemplateSpec pod : pods) {
      Container c = pod.getSpec().getContainers().get(0);
      // the first rank of a pod follows from its index in the group: the shell does the
      // arithmetic Kubernetes' $(VAR) expansion cannot
      c.setCommand(
          List.of(
              "sh",
              "-c",
              "exec python3 -m vllm.entrypoints.openai.api_server \"$@\" "
                  + VllmFlags.DATA_PARALLEL_START_RANK
                  + "=$(("
                  + WORKER_INDEX_ENV
                  + " * "
                  + local
                  + "))",
              "vllm"));
      c.setArgs(args);
      List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
      env.add(
          Pods.fieldRef(
              WORKER_INDEX_ENV, "metadata.labels['" + LeaderWorkerSet.WORKER_INDEX_LABEL + "']"));
      if (!all2allFlag && !server.env().containsKey(ALL2ALL_ENV)) {
        env.add(Pods.env(ALL2ALL_ENV, ep.all2allBackend()));
      }
      c.setEnv(env);
    }
  }
}
