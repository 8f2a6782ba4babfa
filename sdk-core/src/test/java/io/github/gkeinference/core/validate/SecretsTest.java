package io.github.gkeinference.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.github.gkeinference.core.emit.YamlDocuments;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SecretsTest {
  // Made-up values in the documented shapes (see Secrets' Javadoc for the sources).
  private static final String HF = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  private static final String SK = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa";
  private static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  private static final String YA29 = "ya29.a0AfH6SMBx3kq9ZpL2mN7vQwErTy";

  @Test
  void mask_eachTokenShape_keepsOnlyItsPrefix() {
    assertThat(Secrets.mask("--hf-token=" + HF)).isEqualTo("--hf-token=hf_****");
    assertThat(Secrets.mask("key " + SK + " end")).isEqualTo("key sk-**** end");
    assertThat(Secrets.mask("Bearer " + JWT)).isEqualTo("Bearer ****");
    assertThat(Secrets.mask(YA29)).isEqualTo("ya29.****");
    assertThat(Secrets.mask("token: \"" + HF + "\", other: " + HF))
        .isEqualTo("token: \"hf_****\", other: hf_****");
  }

  @Test
  void mask_privateKeyBlock_keepsTheFirstLineOnly_alsoWhenTheEndIsMissing() {
    String pem =
        "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE"
            + " KEY-----\nafter";
    assertThat(Secrets.mask(pem)).isEqualTo("key: -----BEGIN RSA PRIVATE KEY-----****\nafter");
    assertThat(Secrets.mask("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg"))
        .isEqualTo("-----BEGIN PRIVATE KEY-----****");
  }

  @Test
  void mask_namesThatOnlyLookSimilar_areLeftAlone() {
    for (String text :
        List.of(
            "hf_token",
            "HF_TOKEN",
            "sk-learn-serving",
            "task-abcdefghijklmnopqrstuvwxyz",
            "meta-llama/Llama-3.1-8B-Instruct",
            "my_hf_AbCdEfGhIjKlMnOpQrStUv", // part of a longer identifier
            "-----BEGIN CERTIFICATE-----")) {
      assertThat(Secrets.mask(text)).as(text).isEqualTo(text);
      assertThat(Secrets.containsToken(text)).as(text).isFalse();
    }
  }

  @Test
  void lineMasker_masksTheBodyOfAKeyPrintedLineByLine() {
    UnaryOperator<String> masker = Secrets.lineMasker();
    List<String> lines =
        List.of(
                "tls.key: |",
                "  -----BEGIN EC PRIVATE KEY-----",
                "  MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49",
                "  -----END EC PRIVATE KEY-----",
                "name: " + HF)
            .stream()
            .map(masker)
            .toList();

    assertThat(lines)
        .containsExactly(
            "tls.key: |", "  -----BEGIN EC PRIVATE KEY-----****", "****", "****", "name: hf_****");
  }

  @Test
  void requireNoLiterals_tree_reportsEveryLiteralWithItsPath_masked() {
    JsonNode doc =
        YamlDocuments.read(
                """
        spec:
          args: [--port=8000, "--api-key=%s"]
          env:
          - {name: A, value: "%s"}
          labels: {"%s": x}
        """
                    .formatted(SK, HF, HF))
            .get(0);
    Violations v = Violations.root();

    Secrets.requireNoLiterals(doc, v);

    assertThat(v.all())
        .extracting(Violation::path)
        .containsExactly("spec.args[1]", "spec.env[0].value", "spec.labels.hf_****");
    assertThat(v.all()).allSatisfy(x -> assertThat(x.isError()).isTrue());
    assertThat(v.all().get(0).message()).contains("SecretRef");
    assertThat(v.all().toString()).doesNotContain(HF, SK);
  }

  @Test
  void requireNoLiterals_objects_throwsWithTheObjectsPath() {
    var cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .endMetadata()
            .addToData("token", HF)
            .build();

    SdkValidationException e =
        catchThrowableOfType(
            SdkValidationException.class, () -> Secrets.requireNoLiterals(List.of(cm)));

    assertThat(e.violations())
        .extracting(Violation::path)
        .containsExactly("ConfigMap/settings.data.token");
    assertThat(e.getMessage()).doesNotContain(HF);
  }

  @Test
  void violation_masksTokensInPathValueAndMessage() {
    Violation v = Violation.error("env." + HF, "--x=" + HF, "bad value " + SK);

    assertThat(v.toString()).doesNotContain(HF, SK).contains("hf_****", "sk-****");
  }
}
