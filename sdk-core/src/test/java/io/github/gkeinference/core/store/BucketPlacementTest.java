package io.github.gkeinference.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.store.BucketPlacement.Outcome;
import io.github.gkeinference.core.validate.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model bucket's location against the cluster's region. */
class BucketPlacementTest {
  private static BucketPlacement.Result compare(String location, String type, String region) {
    return BucketPlacement.compare("models", location, type, List.of(), region);
  }

  @Test
  void check_bucketsReadThroughTheStorageJsonApi_compareTheirLocations() throws Exception {
    try (FakeBucketIam gcs = new FakeBucketIam()) {
      Storage storage = gcs.storage();
      gcs.putBucket("models", "US-CENTRAL1", "region", List.of());
      gcs.putBucket("shared", "US", "dual-region", List.of("US-EAST4", "US-WEST1"));
      BucketPlacement placement = BucketPlacement.of(storage);

      BucketPlacement.Result here = placement.check("models", "us-central1");
      assertThat(here.outcome()).isEqualTo(Outcome.SAME_REGION);
      assertThat(here.contains("us-central1")).isTrue();
      assertThat(here.contains("us-east1")).isFalse();

      BucketPlacement.Result there = placement.check("models", "europe-west4");
      assertThat(there.outcome()).isEqualTo(Outcome.OTHER_REGION);
      assertThat(there.message())
          .isEqualTo(
              "bucket in us-central1, cluster in europe-west4: cross-region reads are slower"
                  + " and billed");

      // a configurable dual-region: its two regions come from the bucket's custom placement
      BucketPlacement.Result dual = placement.check("shared", "us-west1");
      assertThat(dual.outcome()).isEqualTo(Outcome.CONTAINS_REGION);
      assertThat(dual.dataLocations()).containsExactly("us-east4", "us-west1");
    }
  }

  @Test
  void check_missingBucketOrNoPermission_isAnSdkExceptionNamingIt() throws Exception {
    try (FakeBucketIam gcs = new FakeBucketIam()) {
      Storage storage = gcs.storage();
      assertThatThrownBy(() -> BucketPlacement.of(storage).check("nowhere", "us-central1"))
          .isInstanceOf(SdkException.class)
          .hasMessageContaining("gs://nowhere");
      gcs.putBucket("models", "US-CENTRAL1", "region", List.of());
      gcs.deny(BucketPlacement.GET_PERMISSION);
      assertThatThrownBy(() -> BucketPlacement.of(storage).check("models", "us-central1"))
          .isInstanceOf(SdkException.class)
          .hasMessageContaining("lacks storage.buckets.get");
    }
  }

  @Test
  void compare_sameRegion_passesWithoutFix() {
    BucketPlacement.Result r = compare("US-CENTRAL1", "region", "us-central1");
    assertThat(r.outcome()).isEqualTo(Outcome.SAME_REGION);
    assertThat(r.severity()).isEmpty();
    assertThat(r.fix()).isEmpty();
  }

  @Test
  void compare_otherRegion_warnsWithTheFix() {
    BucketPlacement.Result r = compare("US-EAST1", "region", "us-central1");
    assertThat(r.outcome()).isEqualTo(Outcome.OTHER_REGION);
    assertThat(r.severity()).contains(Severity.WARNING);
    assertThat(r.message())
        .isEqualTo(
            "bucket in us-east1, cluster in us-central1: cross-region reads are slower and"
                + " billed");
    assertThat(r.fix())
        .contains("--location=us-central1")
        .contains("storage cache create")
        .contains(BucketPlacement.LOCATIONS_DOC);
  }

  @Test
  void compare_multiRegionContainingTheRegion_passesWithANote() {
    BucketPlacement.Result r = compare("US", "multi-region", "us-central1");
    assertThat(r.outcome()).isEqualTo(Outcome.CONTAINS_REGION);
    assertThat(r.severity()).isEmpty();
    assertThat(r.message()).contains("contains the cluster's region").contains("Anywhere Cache");
  }

  @Test
  void compare_multiRegionElsewhere_warns() {
    assertThat(compare("EU", "multi-region", "us-central1").outcome())
        .isEqualTo(Outcome.OTHER_REGION);
    // London is in Europe but not in the EU multi-region
    assertThat(compare("EU", "multi-region", "europe-west2").outcome())
        .isEqualTo(Outcome.OTHER_REGION);
    assertThat(compare("EU", "multi-region", "europe-west4").outcome())
        .isEqualTo(Outcome.CONTAINS_REGION);
  }

  @Test
  void compare_predefinedDualRegion_passesForItsTwoRegionsOnly() {
    assertThat(compare("NAM4", "dual-region", "us-east1").outcome())
        .isEqualTo(Outcome.CONTAINS_REGION);
    assertThat(compare("NAM4", "dual-region", "us-west1").outcome())
        .isEqualTo(Outcome.OTHER_REGION);
  }

  @Test
  void compare_configurableDualRegion_usesTheBucketsDataLocations() {
    BucketPlacement.Result r =
        BucketPlacement.compare(
            "models", "US", "dual-region", List.of("US-WEST1", "US-EAST4"), "us-east4");
    assertThat(r.outcome()).isEqualTo(Outcome.CONTAINS_REGION);
    assertThat(r.message()).contains("[us-west1, us-east4]");
  }

  @Test
  void compare_unknownPredefinedDualRegion_warnsAndSaysWhatItKnows() {
    BucketPlacement.Result r = compare("XYZ9", "dual-region", "us-central1");
    assertThat(r.outcome()).isEqualTo(Outcome.OTHER_REGION);
    assertThat(r.message()).contains("not known to contain").contains("NAM4");
  }
}
