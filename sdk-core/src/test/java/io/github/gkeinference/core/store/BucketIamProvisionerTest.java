package io.github.gkeinference.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.store.BucketIamProvisioner.Outcome;
import io.github.gkeinference.core.store.BucketIamProvisioner.Result;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BucketIamProvisionerTest {
  private static final String BUCKET = "my-project-models";
  private static final String OWNER = "projectOwner:my-project";
  private static final String KSA =
      WorkloadIdentityPool.of("my-project", 123456789012L).principal("inference", "vllm");

  private FakeBucketIam fake;
  private Storage storage;
  private final List<Duration> waits = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    fake = new FakeBucketIam();
    fake.createBucket(BUCKET, "roles/storage.legacyBucketOwner", OWNER);
    storage = fake.storage();
  }

  @AfterEach
  void stop() throws Exception {
    storage.close();
    fake.close();
  }

  private BucketIamProvisioner provisioner(int attempts) {
    Retrier retrier =
        Retrier.of(
                RetryPolicy.builder().maxAttempts(attempts).build(),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
                waits::add)
            .withRandom(new Random(1));
    return BucketIamProvisioner.of(storage, retrier);
  }

  @Test
  void grant_thenAgain_addsOnceAndReportsUnchangedWithoutWriting() {
    BucketIamProvisioner iam = provisioner(3);
    BucketGrant read = BucketGrant.objectViewer(BUCKET, KSA);

    Result first = iam.grant(read);
    assertThat(first.outcome()).isEqualTo(Outcome.ADDED);
    assertThat(fake.members(BUCKET, BucketGrant.OBJECT_VIEWER)).containsExactly(KSA);
    // the owner's binding was read and written back untouched
    assertThat(fake.members(BUCKET, "roles/storage.legacyBucketOwner")).containsExactly(OWNER);
    assertThat(fake.requests()).containsExactly("GET " + BUCKET, "PUT " + BUCKET);

    Result second = iam.grant(read);
    assertThat(second.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(second.attempts()).isEqualTo(1);
    // the rerun only read the policy
    assertThat(fake.requests()).containsExactly("GET " + BUCKET, "PUT " + BUCKET, "GET " + BUCKET);
    assertThat(fake.members(BUCKET, BucketGrant.OBJECT_VIEWER)).containsExactly(KSA);
  }

  @Test
  void grant_roleAlreadyBoundToOthers_addsTheMemberBesideThem() {
    String other = "serviceAccount:reader@my-project.iam.gserviceaccount.com";
    provisioner(1).grant(BucketGrant.objectViewer(BUCKET, other));
    provisioner(1).grant(BucketGrant.objectViewer(BUCKET, KSA));
    assertThat(fake.members(BUCKET, BucketGrant.OBJECT_VIEWER)).containsExactly(other, KSA);
  }

  @Test
  void grant_etagConflict_isReadAgainAndRetried() {
    fake.concurrentWritesBeforeNextSets(2);
    Result r = provisioner(4).grant(BucketGrant.objectViewer(BUCKET, KSA));
    assertThat(r.outcome()).isEqualTo(Outcome.ADDED);
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(waits).hasSize(2);
    // the concurrent writer's bindings survive the retried write
    assertThat(fake.members(BUCKET, "roles/storage.legacyBucketReader")).hasSize(2);
    assertThat(fake.members(BUCKET, BucketGrant.OBJECT_VIEWER)).containsExactly(KSA);
  }

  @Test
  void grant_conflictsOutlastingTheAttempts_reportsTheConflict() {
    fake.concurrentWritesBeforeNextSets(5);
    assertThatThrownBy(() -> provisioner(3).grant(BucketGrant.objectViewer(BUCKET, KSA)))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("setIamPolicy on gs://" + BUCKET)
        .hasMessageContaining("etag conflict")
        .hasMessageContaining("after 3 attempt(s)");
    assertThat(fake.members(BUCKET, BucketGrant.OBJECT_VIEWER)).isEmpty();
  }

  @Test
  void grant_withoutSetPermission_namesTheMissingPermissionAndDoesNotRetry() {
    fake.deny(BucketIamProvisioner.SET_PERMISSION);
    assertThatThrownBy(() -> provisioner(3).grant(BucketGrant.objectViewer(BUCKET, KSA)))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("lacks permission storage.buckets.setIamPolicy")
        .hasMessageContaining("gs://" + BUCKET);
    assertThat(waits).isEmpty();
    assertThat(fake.requests()).containsExactly("GET " + BUCKET, "PUT " + BUCKET);
  }

  @Test
  void grant_withoutGetPermission_namesTheReadPermission() {
    fake.deny(BucketIamProvisioner.GET_PERMISSION);
    assertThatThrownBy(() -> provisioner(3).grant(BucketGrant.objectViewer(BUCKET, KSA)))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("lacks permission storage.buckets.getIamPolicy");
  }

  @Test
  void grant_missingBucket_saysSo() {
    assertThatThrownBy(() -> provisioner(3).grant(BucketGrant.objectViewer("no-such-bucket", KSA)))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("gs://no-such-bucket")
        .hasMessageContaining("does not exist");
  }
}
