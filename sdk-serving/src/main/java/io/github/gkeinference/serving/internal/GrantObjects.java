package io.github.gkeinference.serving.internal;

import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way the serving bundles name the identity their pods act as and render its bucket grants
 * as Config Connector objects: the servers ({@code ServerIdentity}) and the batch Job use it.
 */
public final class GrantObjects {
  private GrantObjects() {}

  /**
   * Returns the IAM member pods act as: the Google service account when one is set (Workload
   * Identity with impersonation), else the Kubernetes service account's principal in the project's
   * pool, else nothing.
   *
   * @param googleServiceAccount the Google service account, if any
   * @param pool the project's Workload Identity pool, if known
   * @param namespace the pods' namespace
   * @param serviceAccount the pods' Kubernetes service account
   * @return the member, or empty when neither identity is known
   */
  public static Optional<String> member(
      Optional<String> googleServiceAccount,
      Optional<WorkloadIdentityPool> pool,
      String namespace,
      String serviceAccount) {
    return googleServiceAccount
        .map(g -> "serviceAccount:" + g)
        .or(() -> pool.map(p -> p.principal(namespace, serviceAccount)));
  }

  /**
   * Returns grants as Config Connector objects named {@code NAME + suffix}, each distinct grant
   * once; the second grant with the same suffix gets {@code -2}, the third {@code -3}.
   *
   * @param name the owner's name, the objects' name prefix
   * @param namespace the namespace
   * @param labels the objects' labels
   * @param grants the grants, in render order
   * @param suffix the name suffix of a grant, for example {@code -model-reader}
   * @return fresh objects
   */
  public static List<IamPolicyMember> policyMembers(
      String name,
      String namespace,
      Map<String, String> labels,
      List<BucketGrant> grants,
      Function<BucketGrant, String> suffix) {
    List<IamPolicyMember> objects = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (BucketGrant g : new LinkedHashSet<>(grants)) {
      String s = suffix.apply(g);
      int n = seen.merge(s, 1, Integer::sum);
      objects.add(g.policyMember(name + s + (n == 1 ? "" : "-" + n), namespace, labels));
    }
    return objects;
  }
}
