package io.github.gkeinference.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubernetesNamesTest {

  @Test
  void dns1123Label_allowsLowerCaseDigitsAndInnerDashes_upTo63() {
    assertThat(KubernetesNames.isDns1123Label("llama-3-1-8b")).isTrue();
    assertThat(KubernetesNames.isDns1123Label("0abc")).isTrue();
    assertThat(KubernetesNames.isDns1123Label("a".repeat(63))).isTrue();
    assertThat(KubernetesNames.isDns1123Label("a".repeat(64))).isFalse();
    assertThat(KubernetesNames.isDns1123Label("-a")).isFalse();
    assertThat(KubernetesNames.isDns1123Label("a-")).isFalse();
    assertThat(KubernetesNames.isDns1123Label("A")).isFalse();
    assertThat(KubernetesNames.isDns1123Label("a.b")).isFalse();
    assertThat(KubernetesNames.isDns1123Label("")).isFalse();
  }

  @Test
  void dns1123Subdomain_joinsLabelsWithDots_upTo253() {
    assertThat(KubernetesNames.isDns1123Subdomain("hf-token.v1")).isTrue();
    assertThat(KubernetesNames.isDns1123Subdomain("a..b")).isFalse();
    String long253 = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
    assertThat(long253).hasSize(253);
    assertThat(KubernetesNames.isDns1123Subdomain(long253)).isTrue();
    assertThat(KubernetesNames.isDns1123Subdomain(long253 + "a")).isFalse();
  }

  @Test
  void dns1035Label_mustStartWithALetter_andRespectsTheShorterLimit() {
    assertThat(KubernetesNames.isDns1035Label("vllm", 63)).isTrue();
    assertThat(KubernetesNames.isDns1035Label("8b", 63)).isFalse();
    assertThat(KubernetesNames.isDns1035Label("a".repeat(41), 40)).isFalse();
    assertThat(KubernetesNames.isDns1035Label("a".repeat(64), 100)).isFalse();
  }

  @Test
  void labels_keysTakeAnOptionalSubdomainPrefix_valuesMayBeEmpty() {
    assertThat(KubernetesNames.isLabelKey("app.kubernetes.io/name")).isTrue();
    assertThat(KubernetesNames.isLabelKey("Model_ID")).isTrue();
    assertThat(KubernetesNames.isLabelKey("/name")).isFalse();
    assertThat(KubernetesNames.isLabelKey("Example.com/name")).isFalse();
    assertThat(KubernetesNames.isLabelKey("a/_x")).isFalse();
    assertThat(KubernetesNames.isLabelValue("")).isTrue();
    assertThat(KubernetesNames.isLabelValue("Llama-3.1_8B")).isTrue();
    assertThat(KubernetesNames.isLabelValue("a/b")).isFalse();
    assertThat(KubernetesNames.isLabelValue("x".repeat(64))).isFalse();
  }
}
