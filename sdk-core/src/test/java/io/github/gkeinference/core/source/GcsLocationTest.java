package io.github.gkeinference.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import org.junit.jupiter.api.Test;

class GcsLocationTest {
  @Test
  void parse_bucketAndFolder_roundTripsThroughUri() {
    GcsLocation l = GcsLocation.parse("gs://my-models/qwen/qwen3-32b/");
    assertThat(l.bucket()).isEqualTo("my-models");
    assertThat(l.path()).isEqualTo("qwen/qwen3-32b");
    assertThat(GcsLocation.parse(l.uri())).isEqualTo(l);
  }

  @Test
  void parse_bucketOnly_isTheRoot() {
    assertThat(GcsLocation.parse("gs://my-models").path()).isEmpty();
    assertThat(GcsLocation.parse("gs://my-models/").objectName("config.json"))
        .isEqualTo("config.json");
  }

  @Test
  void parse_notAGsUri_orBadBucket_isAViolation() {
    assertThatThrownBy(() -> GcsLocation.parse("s3://my-models/x"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.violations()).extracting(Violation::path).containsExactly("uri"));
    assertThatThrownBy(() -> GcsLocation.parse("gs://My_Models/x"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.violations()).extracting(Violation::path).contains("bucket"));
  }
}
