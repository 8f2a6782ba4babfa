package io.github.gkeinference.core.iam;

import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A project's Workload Identity pool for GKE ({@code PROJECT_ID.svc.id.goog}), which names every
 * Kubernetes service account of the project's clusters as an IAM principal, so that a role can be
 * granted to the service account directly, without a Google service account to impersonate.
 *
 * <pre>{@code
 * WorkloadIdentityPool pool = WorkloadIdentityPool.of("my-project", 123456789012L);
 * pool.principal("inference", "vllm");
 * // principal://iam.googleapis.com/projects/123456789012/locations/global/
 * //     workloadIdentityPools/my-project.svc.id.goog/subject/ns/inference/sa/vllm
 * }</pre>
 *
 * <p>The principal's form is the one documented in "Authenticate to Google Cloud APIs from GKE
 * workloads", https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity (section
 * "Configure authorization and principals"): it needs the project's number as well as its id.
 */
@Value.Immutable
@JsonDeserialize(as = ImmutableWorkloadIdentityPool.class)
@SdkStyle
public interface WorkloadIdentityPool {
  /** The suffix of a project's Workload Identity pool name. */
  String POOL_SUFFIX = ".svc.id.goog";

  /**
   * Returns the pool of a project.
   *
   * @param projectId the project id, for example {@code my-project}
   * @param projectNumber the project number ({@code gcloud projects describe PROJECT_ID
   *     --format='value(projectNumber)'})
   * @return the pool
   * @throws io.github.gkeinference.core.validate.SdkValidationException when either is invalid
   */
  static WorkloadIdentityPool of(String projectId, long projectNumber) {
    return builder().projectId(projectId).projectNumber(projectNumber).build();
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The project id of the cluster's project. */
  String projectId();

  /** The project number of the same project (a positive integer, not the id). */
  long projectNumber();

  /** Returns the pool's name, {@code PROJECT_ID.svc.id.goog}. */
  default String poolName() {
    return projectId() + POOL_SUFFIX;
  }

  /**
   * Returns the IAM principal of one Kubernetes service account.
   *
   * @param namespace the service account's namespace
   * @param serviceAccount the service account's name
   * @return {@code principal://iam.googleapis.com/projects/NUMBER/locations/global/
   *     workloadIdentityPools/PROJECT_ID.svc.id.goog/subject/ns/NAMESPACE/sa/KSA}
   * @throws IllegalArgumentException when a name is not a Kubernetes name
   */
  default String principal(String namespace, String serviceAccount) {
    if (!KubernetesNames.isDns1123Label(namespace)) {
      throw new IllegalArgumentException("namespace " + namespace + " is not a DNS-1123 label");
    }
    if (!KubernetesNames.isDns1123Subdomain(serviceAccount)) {
      throw new IllegalArgumentException(
          "service account " + serviceAccount + " is not a DNS-1123 subdomain");
    }
    return "principal://iam.googleapis.com/projects/"
        + projectNumber()
        + "/locations/global/workloadIdentityPools/"
        + poolName()
        + "/subject/ns/"
        + namespace
        + "/sa/"
        + serviceAccount;
  }

  /**
   * Checks both fields at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  /**
   * Adds this value's violations to {@code v}.
   *
   * @param v the collector, positioned at this value
   */
  default void validate(Violations v) {
    v.require(
        GcpNames.PROJECT_ID.matcher(projectId()).matches(),
        "projectId",
        projectId(),
        "must be a project id: 6-30 lower-case letters, digits and '-', starting with a letter");
    v.require(
        projectNumber() > 0,
        "projectNumber",
        projectNumber(),
        "must be the project's number, a positive integer (gcloud projects describe)");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableWorkloadIdentityPool.Builder {}
}
