package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.internal.Pods;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader and worker pods of a multi-host vLLM server and their LeaderWorkerSet, as {@link
 * MultiHostServer} (GPU) and {@link MultiHostTpuServer} (TPU) render them: the pods form a Ray
 * cluster with the image's {@code multi-node-serving.sh} script, and the leader then runs the
 * OpenAI server (LWS vLLM examples).
 */
final class LeaderWorkerGroups {
  private LeaderWorkerGroups() {}

  /**
   * Returns the labels that select the leader pod of each group: the selector the LeaderWorkerSet's
   * scale subresource publishes for HPAs (kubernetes-sigs/lws); the leader runs the API server and
   * exports the metrics.
   *
   * @param name the LeaderWorkerSet's name
   * @return the labels
   */
  static Map<String, String> leaderPods(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LeaderWorkerSet.NAME_LABEL, name);
    labels.put(LeaderWorkerSet.WORKER_INDEX_LABEL, "0");
    return labels;
  }

  /**
   * Makes the leader's server container start the Ray head, then the OpenAI server.
   *
   * @param leader the leader's pod template, changed in place
   * @param rayScript the image's Ray bootstrap script
   * @param args the OpenAI server's flags
   */
  static void leader(PodTemplateSpec leader, String rayScript, List<String> args) {
    Container lc = leader.getSpec().getContainers().get(0);
    // $(LWS_GROUP_SIZE) is set by the LWS controller and expanded by Kubernetes
    lc.setCommand(
        List.of(
            "sh",
            "-c",
            "bash "
                + rayScript
                + " leader --ray_cluster_size=$(LWS_GROUP_SIZE); "
                + "exec python3 -m vllm.entrypoints.openai.api_server \"$@\"",
            "vllm"));
    lc.setArgs(args);
  }

  /** The Ray head's GCS port, the default of the image's {@code multi-node-serving.sh}. */
  static final int RAY_PORT = 6379;

  /**
   * Returns the worker's health check: {@code ray health-check} against the group's head (Ray
   * {@code python/ray/scripts/scripts.py}: exit 0 when the GCS answers), through {@code sh} since
   * Kubernetes expands no {@code $(VAR)} in probes; the LWS controller sets {@code
   * LWS_LEADER_ADDRESS}.
   */
  static Probe rayProbe(int periodSeconds, int failures) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand(
            "sh", "-c", "ray health-check --address=\"${LWS_LEADER_ADDRESS}:" + RAY_PORT + "\"")
        .endExec()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(ServerPod.PROBE_TIMEOUT_SECONDS)
        .withFailureThreshold(failures)
        .build();
  }

  /**
   * Makes the worker's server container join the leader's Ray cluster; a worker serves no API, so
   * its flags and ports are removed and its probes check the Ray cluster instead: the server's
   * start-up budget (the leader starts its Ray head only once its container runs, which may take as
   * long as pulling the image; a worker restarted meanwhile would restart the whole group), then
   * readiness and liveness with the server's timing (a worker cut off from its head for a minute is
   * restarted, and the group with it).
   *
   * @param worker the worker's pod template, changed in place
   * @param rayScript the image's Ray bootstrap script
   */
  static void worker(PodTemplateSpec worker, String rayScript) {
    Container wc = worker.getSpec().getContainers().get(0);
    wc.setCommand(
        List.of("sh", "-c", "bash " + rayScript + " worker --ray_address=$(LWS_LEADER_ADDRESS)"));
    wc.setArgs(null);
    wc.setPorts(null);
    Probe budget = wc.getStartupProbe();
    wc.setStartupProbe(rayProbe(budget.getPeriodSeconds(), budget.getFailureThreshold()));
    wc.setReadinessProbe(rayProbe(ServerPod.PROBE_PERIOD_SECONDS, 3));
    wc.setLivenessProbe(rayProbe(ServerPod.LIVENESS_PERIOD_SECONDS, ServerPod.LIVENESS_FAILURES));
  }

  /**
   * Returns the LeaderWorkerSet of {@code replicas} groups of {@code size} pods, recreated as a
   * group when a pod restarts, whose workers are created once the leader pod is.
   *
   * @param name the object's name
   * @param namespace the object's namespace
   * @param labels the object's labels
   * @param annotations the object's annotations, none when empty
   * @param replicas the groups
   * @param size the pods of one group, the leader included
   * @param leader the leader's pod template
   * @param worker the workers' pod template
   * @return a fresh LeaderWorkerSet
   */
  static LeaderWorkerSet leaderWorkerSet(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> annotations,
      int replicas,
      int size,
      PodTemplateSpec leader,
      PodTemplateSpec worker) {
    LeaderWorkerSet lws = new LeaderWorkerSet();
    ObjectMeta meta = Pods.meta(name, namespace, labels);
    if (!annotations.isEmpty()) {
      meta.setAnnotations(new LinkedHashMap<>(annotations));
    }
    lws.setMetadata(meta);
    lws.setSpec(
        new LeaderWorkerSet.Spec(
            replicas,
            new LeaderWorkerSet.Template(size, "RecreateGroupOnPodRestart", leader, worker, null),
            "LeaderCreated"));
    return lws;
  }
}
