package io.github.gkeinference.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.SchemaValidator;
import org.junit.jupiter.api.Test;

class OtherSourcesTest {
  private static final SchemaValidator SCHEMAS = SchemaValidator.forTests();

  @Test
  void huggingFace_tokenComesFromSecretOnly() {
    HuggingFaceSource hf =
        HuggingFaceSource.builder()
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .token("hf-token", "token")
            .revision("0e9e39f")
            .build();
    EnvVar token =
        hf.env().stream().filter(e -> e.getName().equals("HF_TOKEN")).findFirst().orElseThrow();
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(hf.modelArgument()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(hf.serverArgs()).containsExactly("--revision=0e9e39f");
    Deployment d = GcsFuseSourceTest.deployment(hf);
    SCHEMAS.assertValid(d);
  }

  @Test
  void huggingFace_literalToken_isAMaskedViolationAtTokenName() {
    String literal = "hf_abcdefghijklmnopqrstuvwxyz0123456789";
    assertThatThrownBy(() -> HuggingFaceSource.builder().modelId("a/b").token(literal, "token"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> {
              assertThat(e.violations()).extracting(Violation::path).containsExactly("token.name");
              assertThat(e.violations().get(0).rejectedValue()).isEqualTo(SdkStyle.REDACTED);
              assertThat(e.getMessage()).doesNotContain(literal);
            });
  }

  @Test
  void huggingFace_badModelId_isAViolation() {
    assertThatThrownBy(() -> HuggingFaceSource.builder().modelId("not an id").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.violations()).extracting(Violation::path).containsExactly("modelId"));
  }

  @Test
  void streaming_rendersRunaiStreamerArgs() {
    GcsStreamingSource s =
        GcsStreamingSource.builder()
            .location("my-models", "qwen/qwen3-32b")
            .distributed(true)
            .concurrency(16)
            .build();
    assertThat(s.modelArgument()).isEqualTo("gs://my-models/qwen/qwen3-32b");
    assertThat(s.serverArgs())
        .containsExactly(
            "--load-format=runai_streamer",
            "--model-loader-extra-config={\"concurrency\":16,\"distributed\":true}");
    assertThat(s.volumes()).isEmpty();
    assertThat(s.podAnnotations()).isEmpty();
    SCHEMAS.assertValid(GcsFuseSourceTest.deployment(s));
    // 64 GB at an assumed 2 GB/s = 32 s
    assertThat(s.startupEstimate(64_000_000_000L).duration().getSeconds()).isEqualTo(32);
  }

  @Test
  void gcsLocation_rejectsEveryBadPartAtOnce() {
    assertThatThrownBy(() -> GcsLocation.of("goog-bucket", "/models/"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("bucket", "path"));
    assertThat(GcsLocation.of("a.b-c_d", "").uri()).isEqualTo("gs://a.b-c_d");
    assertThatThrownBy(() -> GcsLocation.of("ab", "")).isInstanceOf(SdkValidationException.class);
    assertThatThrownBy(() -> GcsLocation.of("my-google-bucket", ""))
        .isInstanceOf(SdkValidationException.class);
  }

  @Test
  void secretRef_toStringShowsOnlyTheReference() {
    SecretRef ref = SecretRef.of("hf-token", "token");
    assertThat(ref.toString()).contains("hf-token").contains("token");
    assertThatThrownBy(() -> SecretRef.of("Bad Name", "k"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.violations()).extracting(Violation::path).containsExactly("name"));
  }
}
