package io.github.gkeinference.core.store;

import com.google.cloud.Binding;
import com.google.cloud.Policy;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.Retrier.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link BucketGrant}s to Cloud Storage buckets through the bucket IAM API ({@code
 * getIamPolicy}, then {@code setIamPolicy} with the policy's etag): idempotent, so a second run
 * reports every grant {@link Outcome#UNCHANGED} and writes nothing.
 *
 * <pre>{@code
 * Storage storage = StorageOptions.getDefaultInstance().getService();
 * Retrier retrier = Retrier.of(RetryPolicy.defaults(), Clock.systemUTC(), Sleeper.system());
 * BucketIamProvisioner iam = BucketIamProvisioner.of(storage, retrier);
 * for (BucketGrant g : grants) {
 *   Result r = iam.grant(g);   // ADDED the first time, UNCHANGED after
 * }
 * }</pre>
 *
 * <p>Only the member is added, to the role's unconditional binding; other members, roles and
 * conditional bindings are kept as read. When another writer changes the policy between the read
 * and the write, Cloud Storage refuses the stale etag (HTTP 412) and the grant is read and written
 * again through the retrier, up to its policy's attempts; then it fails with an {@link
 * SdkException} that says so. A permission error (HTTP 403) names the permission the caller lacks
 * ({@link #GET_PERMISSION} or {@link #SET_PERMISSION}). The provisioner does not own the {@link
 * Storage} client and does not close it.
 */
public final class BucketIamProvisioner {
  /** The permission {@code getIamPolicy} needs on the bucket. */
  public static final String GET_PERMISSION = "storage.buckets.getIamPolicy";

  /** The permission {@code setIamPolicy} needs on the bucket. */
  public static final String SET_PERMISSION = "storage.buckets.setIamPolicy";

  /**
   * The IAM policy version requested, so that conditional bindings are read and written back whole
   * (https://cloud.google.com/iam/docs/policies#versions).
   */
  static final int POLICY_VERSION = 3;

  private static final Logger LOG = LoggerFactory.getLogger(BucketIamProvisioner.class);

  private final Storage storage;
  private final Retrier retrier;

  private BucketIamProvisioner(Storage storage, Retrier retrier) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
  }

  /**
   * Returns a provisioner.
   *
   * @param storage the Cloud Storage client; not closed by the provisioner
   * @param retrier retries etag conflicts, with bounded, jittered backoff
   * @return the provisioner
   */
  public static BucketIamProvisioner of(Storage storage, Retrier retrier) {
    return new BucketIamProvisioner(storage, retrier);
  }

  /** What a grant did. */
  public enum Outcome {
    /** The member was added to the role on the bucket. */
    ADDED,
    /** The bucket's policy already granted the role to the member; nothing was written. */
    UNCHANGED
  }

  /**
   * The result of one grant.
   *
   * @param grant the grant
   * @param outcome what it did
   * @param attempts how many read-modify-write rounds it took (more than one after etag conflicts)
   */
  public record Result(BucketGrant grant, Outcome outcome, int attempts) {}

  /**
   * Applies every grant, in order.
   *
   * @param grants the grants
   * @return one result per grant
   * @throws SdkException for the first grant that fails, naming its bucket, role and cause
   */
  public List<Result> grantAll(List<BucketGrant> grants) {
    List<Result> results = new ArrayList<>();
    for (BucketGrant g : grants) {
      results.add(grant(g));
    }
    return results;
  }

  /**
   * Adds the grant's member to the grant's role on its bucket, unless the policy already has it.
   *
   * @param grant the grant
   * @return the outcome
   * @throws SdkException when the caller lacks a permission (named), the bucket does not exist, or
   *     etag conflicts outlast the retrier's attempts
   */
  public Result grant(BucketGrant grant) {
    String what = "grant " + grant.role() + " on gs://" + grant.bucket() + " to " + grant.member();
    int[] attempts = {0};
    try {
      Outcome outcome =
          retrier.call(
              what,
              () -> {
                attempts[0]++;
                return readModifyWrite(grant);
              },
              e -> isConflict(e) ? Decision.retry() : Decision.fail());
      LOG.info("{}: {} after {} attempt(s)", what, outcome, attempts[0]);
      return new Result(grant, outcome, attempts[0]);
    } catch (Failed e) {
      throw failure(grant, e, attempts[0]);
    }
  }

  private Outcome readModifyWrite(BucketGrant grant) {
    Policy policy;
    try {
      policy =
          storage.getIamPolicy(
              grant.bucket(), Storage.BucketSourceOption.requestedPolicyVersion(POLICY_VERSION));
    } catch (StorageException e) {
      throw new Failed("getIamPolicy", GET_PERMISSION, e);
    }
    List<Binding> bindings = new ArrayList<>(policy.getBindingsList());
    int index = -1;
    for (int i = 0; i < bindings.size(); i++) {
      Binding b = bindings.get(i);
      if (b.getRole().equals(grant.role()) && b.getCondition() == null) {
        if (b.getMembers().contains(grant.member())) {
          return Outcome.UNCHANGED;
        }
        index = i;
      }
    }
    if (index >= 0) {
      Binding b = bindings.get(index);
      List<String> members = new ArrayList<>(b.getMembers());
      members.add(grant.member());
      bindings.set(index, b.toBuilder().setMembers(members).build());
    } else {
      bindings.add(
          Binding.newBuilder().setRole(grant.role()).setMembers(List.of(grant.member())).build());
    }
    try {
      // the policy's etag travels with it: a concurrent change makes Cloud Storage answer 412
      storage.setIamPolicy(grant.bucket(), policy.toBuilder().setBindings(bindings).build());
    } catch (StorageException e) {
      throw new Failed("setIamPolicy", SET_PERMISSION, e);
    }
    return Outcome.ADDED;
  }

  private static boolean isConflict(RuntimeException e) {
    return e instanceof Failed f && (f.code() == 412 || f.code() == 409);
  }

  private static SdkException failure(BucketGrant grant, Failed e, int attempts) {
    String on = e.operation + " on gs://" + grant.bucket();
    String message =
        switch (e.code()) {
          case 401, 403 ->
              on
                  + " was denied: the caller lacks permission "
                  + e.permission
                  + " on the bucket (granted by roles/storage.admin, for example)";
          case 404 -> on + " failed: the bucket does not exist";
          case 409, 412 ->
              on
                  + " failed: the policy kept changing under concurrent writers (etag conflict)"
                  + " after "
                  + attempts
                  + " attempt(s); run again";
          default -> on + " failed while granting " + grant.role() + " to " + grant.member();
        };
    return new SdkException(message, e.getCause());
  }

  /** A failed call, with the operation and the permission it needs. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String operation;
    final String permission;

    Failed(String operation, String permission, StorageException cause) {
      super(operation + ": " + cause.getMessage(), cause);
      this.operation = operation;
      this.permission = permission;
    }

    int code() {
      return ((StorageException) getCause()).getCode();
    }
  }
}
