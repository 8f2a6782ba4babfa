package io.github.gkeinference.core.iam;

import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.Violations;
import java.util.Map;
import java.util.Objects;

/**
 * One role on one Cloud Storage bucket for one IAM member: what a workload needs to read its model
 * (or write its compilation cache), and nothing more.
 *
 * <pre>{@code
 * BucketGrant read = BucketGrant.objectViewer(
 *     "my-models", WorkloadIdentityPool.of("my-project", 123456789012L).principal("ml", "vllm"));
 * IamPolicyMember gitOps = read.policyMember("vllm-model-reader", "ml", labels);
 * }</pre>
 *
 * <p>Rendered for GitOps as a Config Connector {@link IamPolicyMember}, or applied directly by
 * {@code io.github.gkeinference.core.store.BucketIamProvisioner}.
 *
 * @param bucket the bucket name, without {@code gs://}
 * @param role the role, for example {@link #OBJECT_VIEWER}
 * @param member the IAM member, for example a {@code principal://} of {@link WorkloadIdentityPool}
 */
public record BucketGrant(String bucket, String role, String member) {
  /**
   * Read-only access to a bucket's objects ({@code storage.objects.get} and {@code
   * storage.objects.list}): enough for a read-only GCS FUSE mount or the Run:ai streamer. Source:
   * https://cloud.google.com/storage/docs/access-control/iam-roles (Storage Object Viewer).
   */
  public static final String OBJECT_VIEWER = "roles/storage.objectViewer";

  /**
   * Read-write access to a bucket's objects without changing their IAM (create, get, list, update,
   * delete objects): for a cache the workload writes. Source:
   * https://cloud.google.com/storage/docs/access-control/iam-roles (Storage Object User).
   */
  public static final String OBJECT_USER = "roles/storage.objectUser";

  /**
   * Create-only access to a bucket's objects ({@code storage.objects.create}, without get, list or
   * delete): for a workload that writes new results and never reads or replaces them. Overwriting
   * an existing object also needs {@code storage.objects.delete}, which this role lacks. Sources:
   * https://cloud.google.com/storage/docs/access-control/iam-roles (Storage Object Creator) and
   * https://cloud.google.com/storage/docs/access-control/iam-permissions (objects permissions).
   */
  public static final String OBJECT_CREATOR = "roles/storage.objectCreator";

  /**
   * Checks every field.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  public BucketGrant {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(member, "member");
    Violations v = Violations.root();
    // the bucket name rules live in GcsLocation; a grant covers the whole bucket
    GcsLocation.builder().bucket(bucket).build();
    v.require(
        role.matches("(roles|projects/[^/]+/roles|organizations/[0-9]+/roles)/[A-Za-z0-9_.]+"),
        "role",
        role,
        "must be an IAM role such as roles/storage.objectViewer");
    v.require(
        member.matches("(principal|principalSet)://.+|(serviceAccount|user|group|domain):.+"),
        "member",
        member,
        "must be an IAM member such as principal://... or serviceAccount:EMAIL");
    v.throwIfErrors();
  }

  /**
   * Returns a read-only grant ({@link #OBJECT_VIEWER}).
   *
   * @param bucket the bucket
   * @param member the member
   * @return the grant
   */
  public static BucketGrant objectViewer(String bucket, String member) {
    return new BucketGrant(bucket, OBJECT_VIEWER, member);
  }

  /**
   * Returns a read-write grant on objects ({@link #OBJECT_USER}).
   *
   * @param bucket the bucket
   * @param member the member
   * @return the grant
   */
  public static BucketGrant objectUser(String bucket, String member) {
    return new BucketGrant(bucket, OBJECT_USER, member);
  }

  /**
   * Returns a create-only grant on objects ({@link #OBJECT_CREATOR}).
   *
   * @param bucket the bucket
   * @param member the member
   * @return the grant
   */
  public static BucketGrant objectCreator(String bucket, String member) {
    return new BucketGrant(bucket, OBJECT_CREATOR, member);
  }

  /**
   * Returns this grant as a Config Connector object (a fresh one on every call).
   *
   * @param name the object's name, a DNS-1123 subdomain
   * @param namespace the namespace Config Connector manages it in
   * @param labels the object's labels
   * @return the IAMPolicyMember
   * @throws IllegalArgumentException when the name or namespace is not a Kubernetes name
   */
  public IamPolicyMember policyMember(String name, String namespace, Map<String, String> labels) {
    return IamPolicyMember.of(
        name,
        namespace,
        labels,
        new IamPolicyMember.Spec(
            member,
            role,
            new IamPolicyMember.ResourceRef(
                IamPolicyMember.STORAGE_BUCKET_API_VERSION, "StorageBucket", bucket)));
  }

  // equals and hashCode are written out: a record's generated ones link through method handles on
  // their first call, milliseconds of a one-shot CLI render (docs/benchmarks.md, "CLI start-up").

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketGrant g
        && bucket.equals(g.bucket)
        && role.equals(g.role)
        && member.equals(g.member);
  }

  @Override
  public int hashCode() {
    return (bucket.hashCode() * 31 + role.hashCode()) * 31 + member.hashCode();
  }
}
