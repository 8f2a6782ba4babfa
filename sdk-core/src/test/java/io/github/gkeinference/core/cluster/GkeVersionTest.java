package io.github.gkeinference.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GkeVersionTest {
  @Test
  void atLeast_comparesEachPartAsANumber() {
    // 1.34.10 is above 1.34.9 although "10" < "9" as text
    assertThat(GkeVersion.atLeast("1.34.10-gke.1", "1.34.9-gke.1")).isTrue();
    assertThat(GkeVersion.atLeast("1.34.1-gke.1126999", "1.34.1-gke.1127000")).isFalse();
    assertThat(GkeVersion.atLeast("1.34.1-gke.1127000", "1.34.1-gke.1127000")).isTrue();
    assertThat(GkeVersion.atLeast("1.35", "1.34.1-gke.1127000")).isTrue();
    // a left-out build counts as 0
    assertThat(GkeVersion.atLeast("1.34.1", "1.34.1-gke.1127000")).isFalse();
  }

  @Test
  void isWellFormed_acceptsReleaseNoteForms_only() {
    assertThat(GkeVersion.isWellFormed("1.34.1-gke.1127000")).isTrue();
    assertThat(GkeVersion.isWellFormed("1.34")).isTrue();
    assertThat(GkeVersion.isWellFormed("latest")).isFalse();
    assertThat(GkeVersion.isWellFormed("1.34.1-gke")).isFalse();
  }
}
