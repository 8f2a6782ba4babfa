package io.github.gkeinference.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class Fabric8RuntimeTest {
  @Test
  void problem_fabric8Eight_isNone() {
    assertThat(Fabric8Runtime.problem("8.0.0")).isEmpty();
    assertThat(Fabric8Runtime.problem("8.1.2-SNAPSHOT")).isEmpty();
  }

  @Test
  void problem_olderFabric8_namesFoundAndRequiredVersions() {
    assertThat(Fabric8Runtime.problem("7.4.0"))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("kubernetes-client 7.4.0 is on the classpath")
                    .contains("requires fabric8 kubernetes-client 8.x (Jackson 3)")
                    .contains("kubernetes-client-bom 8.x"));
    assertThat(Fabric8Runtime.problem("unknown (java.lang.NoClassDefFoundError)")).isPresent();
  }

  @Test
  void requireSupported_onTheBuildsClasspath_passes() {
    assertThatCode(Fabric8Runtime::requireSupported).doesNotThrowAnyException();
    assertThat(Fabric8Runtime.serialization()).isSameAs(Fabric8Runtime.serialization());
  }
}
