package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A LeaderWorkerSet ({@code leaderworkerset.x-k8s.io/v1}, kubernetes-sigs/lws v0.10.0): replicas of
 * a group of one leader pod and {@code size - 1} worker pods, for models that span machines
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/tpus; kubernetes-sigs/lws v0.10.0
 * pkg/utils/accelerators/tpu.go).
 *
 * <p>The spec holds fabric8 pod templates, which are mutable: treat a rendered object as read-only.
 */
@Group("leaderworkerset.x-k8s.io")
@Version("v1")
@Kind("LeaderWorkerSet")
public final class LeaderWorkerSet extends CustomObject<LeaderWorkerSet.Spec> {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "leaderworkerset.x-k8s.io/v1";

  /** The kind. */
  public static final String KIND = "LeaderWorkerSet";

  /** The label LWS puts on every pod: the set's name. */
  public static final String NAME_LABEL = "leaderworkerset.sigs.k8s.io/name";

  /** The label LWS puts on every pod: 0 for the leader, 1.. for workers. */
  public static final String WORKER_INDEX_LABEL = "leaderworkerset.sigs.k8s.io/worker-index";

  /**
   * The annotation on the LeaderWorkerSet object (not on its pod templates) that names a node label
   * whose value each group owns alone: the controller copies it to the pods, gives them a pod
   * affinity to their group and an anti-affinity to other groups on that label, and pins the
   * workers to the leader's value. With {@code cloud.google.com/gke-nodepool} a group fills one GKE
   * node pool. Source: kubernetes-sigs/lws {@code api/leaderworkerset/v1/leaderworkerset_types.go}
   * ({@code ExclusiveKeyAnnotationKey}), {@code pkg/webhooks/pod_webhook.go} ({@code
   * SetExclusiveAffinities}), {@code pkg/controllers/pod_controller.go}, {@code
   * docs/examples/sample/lws-exclusive-placement.yaml}.
   */
  public static final String EXCLUSIVE_TOPOLOGY_ANNOTATION =
      "leaderworkerset.sigs.k8s.io/exclusive-topology";

  /**
   * A pod annotation that the LWS controller sets from {@code
   * leaderWorkerTemplate.subGroupPolicy.subGroupSize}; with it, the TPU environment lists only the
   * hosts of the pod's subgroup. Users set the spec field, never this annotation. Source:
   * kubernetes-sigs/lws {@code api/leaderworkerset/v1/leaderworkerset_types.go} ({@code
   * SubGroupSizeAnnotationKey}), {@code pkg/utils/accelerators/tpu.go} ({@code
   * addTPUVariablesSubGroup}).
   */
  public static final String SUBGROUP_SIZE_ANNOTATION = "leaderworkerset.sigs.k8s.io/subgroup-size";

  /**
   * A pod annotation ({@code "true"}) that the LWS controller puts on the workers when the leader
   * pod requests {@code google.com/tpu}; the leader is then TPU worker 0 and the first of the
   * {@code TPU_WORKER_HOSTNAMES}, otherwise only the workers are. Users never set it. Source:
   * kubernetes-sigs/lws {@code pkg/utils/accelerators/tpu.go} ({@code
   * LeaderRequestsTPUsAnnotationKey}, {@code AddTPUAnnotations}, {@code AddTPUVariables}).
   */
  public static final String LEADER_REQUESTS_TPUS_ANNOTATION =
      "leaderworkerset.sigs.k8s.io/leader-requests-tpus";

  /** Creates an empty set. */
  public LeaderWorkerSet() {
    super(API_VERSION, KIND);
  }

  /**
   * The set's spec.
   *
   * @param replicas the number of groups
   * @param leaderWorkerTemplate the group's shape
   * @param startupPolicy {@code LeaderCreated} or {@code LeaderReady}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(int replicas, Template leaderWorkerTemplate, @Nullable String startupPolicy)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The shape of one group.
   *
   * @param size pods per group, leader included
   * @param restartPolicy {@code RecreateGroupOnPodRestart}, {@code Default} or {@code None}
   * @param leaderTemplate the leader's pod template
   * @param workerTemplate the workers' pod template
   * @param subGroupPolicy how a group splits into slices; null for one slice
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Template(
      int size,
      @Nullable String restartPolicy,
      PodTemplateSpec leaderTemplate,
      PodTemplateSpec workerTemplate,
      @Nullable SubGroupPolicy subGroupPolicy)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Sub-groups of a group, for example several TPU slices.
   *
   * @param subGroupPolicyType {@code LeaderWorker} or {@code LeaderExcluded}
   * @param subGroupSize pods per sub-group
   */
  public record SubGroupPolicy(String subGroupPolicyType, int subGroupSize)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
