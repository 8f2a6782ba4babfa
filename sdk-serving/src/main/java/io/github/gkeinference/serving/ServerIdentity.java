package io.github.gkeinference.serving;

import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.serving.internal.GrantObjects;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a server's pods are and what they may read: the Kubernetes service account they run as
 * (rendered, or an existing one the SDK leaves alone), its Workload Identity annotation, and the
 * Config Connector grants that let it read its model.
 *
 * @param serviceAccountName the service account the pods run as
 * @param existing whether that account already exists (then none is rendered)
 * @param googleServiceAccount the Google service account a rendered account acts as, if any
 * @param grants the grants rendered beside the server, fresh objects of this render call
 */
record ServerIdentity(
    String serviceAccountName,
    boolean existing,
    Optional<String> googleServiceAccount,
    List<IamPolicyMember> grants) {

  /**
   * Returns the identity of a server that renders its own service account, named after it, and no
   * grants.
   *
   * @param name the server's name
   * @param googleServiceAccount the Google service account it acts as, if any
   * @return the identity
   */
  static ServerIdentity rendered(String name, Optional<String> googleServiceAccount) {
    return new ServerIdentity(name, false, googleServiceAccount, List.of());
  }

  /**
   * Returns the IAM member a server's pods act as: the Google service account when one is set
   * (Workload Identity with impersonation), else the Kubernetes service account's principal in the
   * project's pool, else nothing.
   *
   * @param googleServiceAccount the Google service account, if any
   * @param pool the project's Workload Identity pool, if known
   * @param namespace the pods' namespace
   * @param serviceAccount the pods' Kubernetes service account
   * @return the member, or empty when neither identity is known
   */
  static Optional<String> member(
      Optional<String> googleServiceAccount,
      Optional<WorkloadIdentityPool> pool,
      String namespace,
      String serviceAccount) {
    return GrantObjects.member(googleServiceAccount, pool, namespace, serviceAccount);
  }

  /**
   * Returns a server's identity with its grants rendered as Config Connector objects named {@code
   * NAME-model-reader} (read-only grants) and {@code NAME-cache-writer} (read-write grants); the
   * second grant of a role gets {@code -2}, the third {@code -3} (the buckets of LoRA adapters and
   * drafts).
   *
   * @param name the server's name
   * @param namespace the namespace
   * @param labels the objects' labels
   * @param existing an existing service account to run as, if any
   * @param googleServiceAccount the Google service account, if any
   * @param grants the server's bucket grants
   * @return the identity
   */
  static ServerIdentity of(
      String name,
      String namespace,
      Map<String, String> labels,
      Optional<String> existing,
      Optional<String> googleServiceAccount,
      List<BucketGrant> grants) {
    // a second bucket of the same role (a LoRA adapter's or draft's): NAME-model-reader-2, ...
    List<IamPolicyMember> objects =
        GrantObjects.policyMembers(
            name,
            namespace,
            labels,
            grants,
            g -> g.role().equals(BucketGrant.OBJECT_VIEWER) ? "-model-reader" : "-cache-writer");
    return new ServerIdentity(
        existing.orElse(name), existing.isPresent(), googleServiceAccount, objects);
  }
}
