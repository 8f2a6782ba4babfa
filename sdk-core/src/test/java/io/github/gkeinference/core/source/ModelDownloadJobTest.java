package io.github.gkeinference.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import org.junit.jupiter.api.Test;

class ModelDownloadJobTest {
  private static ModelDownloadJob job() {
    return ModelDownloadJob.builder()
        .name("download-llama-3-1-8b")
        .namespace("models")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .destination(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
        .token(SecretRef.of("hf-token", "token"))
        .serviceAccountName("model-downloader")
        .build();
  }

  private static Job rendered() {
    RenderedSet set = job().render();
    return (Job) set.kubernetesObjects().get(0);
  }

  @Test
  void render_isSchemaValidAndMatchesGolden() {
    SchemaValidator.forTests().assertValid(rendered());
    GoldenFiles.assertMatches(
        "source/model-download-job.yaml", ManifestYaml.toYaml(job().render()));
  }

  @Test
  void render_tokenFromSecret_retries_workloadIdentity_nonRoot() {
    Job j = rendered();
    assertThat(j.getSpec().getBackoffLimit()).isEqualTo(3);
    var pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("model-downloader");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container download = pod.getInitContainers().get(0);
    EnvVar token =
        download.getEnv().stream()
            .filter(e -> e.getName().equals("HF_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    assertThat(pod.getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("HF_TOKEN"));
    assertThat(pod.getContainers().get(0).getCommand().get(2))
        .contains("gs://my-models/meta-llama/llama-3.1-8b-instruct/");
    assertThat(download.getResources().getRequests())
        .containsKeys("cpu", "memory", "ephemeral-storage");
  }

  @Test
  void build_badFields_reportsEveryPath() {
    assertThatThrownBy(
            () ->
                job().toBuilder()
                    .name("Download!")
                    .modelId("nope")
                    .backoffLimit(-1)
                    .scratchSize("lots")
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("name", "modelId", "backoffLimit", "scratchSize"));
  }
}
