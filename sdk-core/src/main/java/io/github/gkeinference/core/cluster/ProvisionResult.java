package io.github.gkeinference.core.cluster;

import com.google.container.v1.Cluster;
import java.util.List;
import java.util.Objects;

/**
 * What a provisioner did to a cluster.
 *
 * @param cluster the cluster's resource name
 * @param outcome what happened
 * @param changedFields the cluster fields that differed from the spec (updated when the outcome is
 *     {@link Outcome#UPDATED}, only reported when it is {@link Outcome#DIFFERS})
 * @param needsRecreation fields that differ but GKE cannot change on an existing cluster
 * @param createdNodePools node pools created
 * @param live the cluster as GKE reported it at the end
 */
public record ProvisionResult(
    String cluster,
    Outcome outcome,
    List<String> changedFields,
    List<String> needsRecreation,
    List<String> createdNodePools,
    Cluster live) {

  /** Copies the lists. */
  public ProvisionResult {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(outcome, "outcome");
    changedFields = List.copyOf(changedFields);
    needsRecreation = List.copyOf(needsRecreation);
    createdNodePools = List.copyOf(createdNodePools);
    Objects.requireNonNull(live, "live");
  }

  /** What happened to the cluster. */
  public enum Outcome {
    /** The cluster did not exist and was created. */
    CREATED,
    /** The cluster existed and the fields that differed were updated. */
    UPDATED,
    /** The cluster existed and matched the spec. */
    UNCHANGED,
    /** The cluster existed, differs from the spec, and was left as it is (create, not update). */
    DIFFERS
  }
}
