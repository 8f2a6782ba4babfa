package io.github.gkeinference.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrsTest {
  @Test
  void check_wholeInternet_isOneErrorAtTheField_unlessOverridden() {
    Violations v = Violations.root();

    assertThat(Cidrs.check(v, "proxyOnlySubnet", "0.0.0.0/0", false)).isFalse();
    assertThat(v.all()).singleElement().extracting(Violation::path).isEqualTo("proxyOnlySubnet");
    assertThat(v.all().get(0).message()).contains("whole internet", "override");

    Violations overridden = Violations.root();
    assertThat(Cidrs.check(overridden, "proxyOnlySubnet", "0.0.0.0/0", true)).isTrue();
    assertThat(overridden.all()).isEmpty();
  }

  @Test
  void check_widerThanSlash8_isTooWide_slash8IsNot() {
    Violations v = Violations.root();

    Cidrs.check(v, "a", "10.0.0.0/7", false);
    Cidrs.check(v, "b", "10.0.0.0/8", false);

    assertThat(v.all()).extracting(Violation::path).containsExactly("a");
  }

  @Test
  void check_hostBitsSet_namesTheRangeMeant() {
    Violations v = Violations.root();

    Cidrs.check(v, "c", "10.129.0.1/23", false);

    assertThat(v.all())
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .contains("10.129.0.0/23");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.0/33", "300.1.1.1/24", "10.0.0/24", "10.0.0.0", "010.0.0.0/8", "a"})
  void check_malformed_isAnError(String cidr) {
    Violations v = Violations.root();

    assertThat(Cidrs.check(v, "c", cidr, true)).isFalse();
    assertThat(v.all())
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .contains("IPv4 CIDR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.129.0.0/23", "172.16.0.32/28", "192.168.1.7/32"})
  void check_subnet_isFine(String cidr) {
    Violations v = Violations.root();

    assertThat(Cidrs.check(v, "c", cidr, false)).isTrue();
    assertThat(v.all()).isEmpty();
  }
}
