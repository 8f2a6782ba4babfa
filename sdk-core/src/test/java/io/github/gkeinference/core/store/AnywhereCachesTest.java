package io.github.gkeinference.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.retry.FakeTime;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.store.AnywhereCaches.Action;
import io.github.gkeinference.core.store.AnywhereCaches.AdmissionPolicy;
import io.github.gkeinference.core.store.AnywhereCaches.CacheSettings;
import io.github.gkeinference.core.store.AnywhereCaches.Created;
import io.github.gkeinference.core.store.AnywhereCaches.Progress;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.storagecontrol.FakeStorageControl;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anywhere Caches through the real Storage control client, against the in-process fake. */
class AnywhereCachesTest {
  private static final String BUCKET = "models";

  /** A regional bucket in us-central1, as BucketPlacement reads it. */
  private static final BucketPlacement.Result IN_US_CENTRAL1 =
      BucketPlacement.compare(BUCKET, "US-CENTRAL1", "region", List.of(), "us-central1");

  private FakeStorageControl fake;
  private final List<Progress> progress = new ArrayList<>();

  /** The clock the sleeps move forward, so that a timeout passes without waiting. */
  private final FakeTime time = new FakeTime();

  @BeforeEach
  void start() {
    fake = FakeStorageControl.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private AnywhereCaches caches() {
    Retrier retrier = Retrier.of(RetryPolicy.builder().maxAttempts(1).build(), time, time);
    return AnywhereCaches.of(fake.client(), retrier)
        .polling(Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  @Test
  void create_twoZones_thenAgain_createsOnceReportsProgressAndThenNothing() {
    fake.pollsUntilDone(4);
    List<String> zones = List.of("us-central1-a", "us-central1-b");
    CacheSettings settings =
        new CacheSettings(Duration.ofHours(2), AdmissionPolicy.ADMIT_ON_SECOND_MISS);

    List<Created> first = caches().create(IN_US_CENTRAL1, zones, settings, progress::add);

    assertThat(first).extracting(Created::action).containsExactly(Action.CREATED, Action.CREATED);
    assertThat(first.get(0).cache().state()).isEqualTo("RUNNING");
    assertThat(first.get(0).cache().ttl()).isEqualTo(Duration.ofHours(2));
    assertThat(first.get(0).cache().admissionPolicy()).isEqualTo("admit-on-second-miss");
    assertThat(fake.cache(BUCKET, "us-central1-b")).isPresent();
    // started at 0%, then one report per poll: 25, 50, 75, done at 100
    assertThat(progress.stream().filter(p -> p.zone().equals("us-central1-a")))
        .extracting(Progress::percent)
        .containsExactly(0, 25, 50, 75, 100);
    assertThat(progress.get(progress.size() - 1).done()).isTrue();
    assertThat(time.sleeps()).allMatch(d -> d.equals(Duration.ofSeconds(10)));

    progress.clear();
    List<Created> second = caches().create(IN_US_CENTRAL1, zones, settings, progress::add);
    assertThat(second)
        .extracting(Created::action)
        .containsExactly(Action.UNCHANGED, Action.UNCHANGED);
    assertThat(progress).isEmpty();
    assertThat(fake.calls().stream().filter(c -> c.equals("CreateAnywhereCache"))).hasSize(2);
  }

  @Test
  void create_existingCacheInOneZone_isUnchangedAndTheOtherCreated() {
    fake.putCache(BUCKET, "us-central1-a");
    List<Created> r =
        caches()
            .create(
                IN_US_CENTRAL1,
                List.of("us-central1-a", "us-central1-c"),
                CacheSettings.defaults(),
                progress::add);
    assertThat(r).extracting(Created::action).containsExactly(Action.UNCHANGED, Action.CREATED);
    assertThat(fake.operations()).hasSize(1);
  }

  @Test
  void create_zonesOutsideTheBucketsRegion_isRefusedWithPathsAndCallsNothing() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () ->
                caches()
                    .create(
                        IN_US_CENTRAL1,
                        List.of("us-central1-a", "us-east1-b", "central", "us-central1-a"),
                        CacheSettings.defaults(),
                        progress::add));
    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("cache.zones[1]", "cache.zones[2]", "cache.zones[3]");
    assertThat(e.violations().get(0).message())
        .contains("not in the bucket's location us-central1");
    assertThat(e.violations().get(2).message()).contains("repeats zones[0]");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void create_multiRegionBucket_acceptsZonesOfItsRegions() {
    BucketPlacement.Result us =
        BucketPlacement.compare(BUCKET, "US", "multi-region", List.of(), "us-central1");
    List<Created> r =
        caches().create(us, List.of("us-east4-a"), CacheSettings.defaults(), progress::add);
    assertThat(r).extracting(Created::action).containsExactly(Action.CREATED);
  }

  @Test
  void create_operationStillRunningAtTimeout_isPending() {
    fake.pollsUntilDone(1000);
    List<Created> r =
        caches()
            .create(
                IN_US_CENTRAL1, List.of("us-central1-f"), CacheSettings.defaults(), progress::add);
    assertThat(r.get(0).action()).isEqualTo(Action.PENDING);
    assertThat(r.get(0).cache().state()).isEqualTo("CREATING");
    // five minutes of ten-second waits
    assertThat(time.sleeps()).hasSize(30);
  }

  @Test
  void create_permissionDenied_namesThePermissions() {
    fake.failNextCall("ListAnywhereCaches", Status.Code.PERMISSION_DENIED, "no");
    assertThatThrownBy(
            () ->
                caches()
                    .create(
                        IN_US_CENTRAL1,
                        List.of("us-central1-a"),
                        CacheSettings.defaults(),
                        progress::add))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("gs://models")
        .hasMessageContaining("storage.anywhereCaches.create");
  }

  @Test
  void list_morePagesThanOne_readsEveryCache() {
    fake.pageSize(1).putCache(BUCKET, "us-central1-a").putCache(BUCKET, "us-central1-b");
    fake.putCache("other", "us-central1-a");
    assertThat(caches().list(BUCKET))
        .extracting(AnywhereCaches.CacheInfo::zone)
        .containsExactly("us-central1-a", "us-central1-b");
  }

  @Test
  void cacheSettings_ttlOutsideOneHourToSevenDays_isRefusedWithItsPath() {
    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class,
            () -> new CacheSettings(Duration.ofMinutes(30), AdmissionPolicy.ADMIT_ON_FIRST_MISS));
    assertThat(e.violations()).extracting(Violation::path).containsExactly("cache.ttl");
    assertThatThrownBy(
            () -> new CacheSettings(Duration.ofDays(8), AdmissionPolicy.ADMIT_ON_FIRST_MISS))
        .isInstanceOf(SdkValidationException.class);
    assertThat(AdmissionPolicy.ofValue("admit-on-second-miss"))
        .contains(AdmissionPolicy.ADMIT_ON_SECOND_MISS);
  }
}
