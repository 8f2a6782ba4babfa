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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * A stand-in for {@code gcloud} with the two commands the uploader runs: {@code storage cp
   * --recursive SRC... DEST} copies into a folder that plays the bucket ({@code
   * $FAKE_GCS/bucket/...}) and can corrupt or drop one object on the way ({@code FAKE_CORRUPT},
   * {@code FAKE_DROP}); {@code storage hash --skip-crc32c --hex --format=value(md5_hash) URL}
   * prints the MD5 of a local file or of the object, and fails for a missing object, as gcloud
   * does.
   */
  private static final String FAKE_GCLOUD =
      """
      #!/bin/sh
      set -eu
      map() { case "$1" in gs://*) echo "$FAKE_GCS/${1#gs://}";; *) echo "$1";; esac; }
      if [ "$1 $2 $3" = "storage cp --recursive" ]; then
        shift 3
        eval "dest=\\${$#}"
        d=$(map "$dest")
        mkdir -p "$d"
        while [ $# -gt 1 ]; do cp -R "$1" "$d"; shift; done
        if [ -n "${FAKE_CORRUPT:-}" ]; then echo corrupted >> "$d/$FAKE_CORRUPT"; fi
        if [ -n "${FAKE_DROP:-}" ]; then rm "$d/$FAKE_DROP"; fi
        exit 0
      fi
      if [ "$1 $2 $3 $4 $5" = "storage hash --skip-crc32c --hex --format=value(md5_hash)" ]; then
        f=$(map "$6")
        [ -f "$f" ] || { echo "ERROR: $6 not found" >&2; exit 1; }
        md5sum "$f" | cut -d' ' -f1
        exit 0
      fi
      echo "unexpected gcloud call: $*" >&2
      exit 2
      """;

  /** Runs the upload container's script against the fake, with the scratch folder in tmp. */
  private static Run runUploader(Path tmp, Map<String, String> env)
      throws IOException, InterruptedException {
    Path scratch = tmp.resolve("scratch");
    Files.createDirectories(scratch.resolve("model/.cache/huggingface"));
    Files.createDirectories(scratch.resolve("model/original"));
    Files.writeString(scratch.resolve("model/config.json"), "{\"model_type\":\"llama\"}");
    Files.write(scratch.resolve("model/model.safetensors"), new byte[4096]);
    Files.writeString(scratch.resolve("model/original/params.json"), "{}");
    Files.writeString(scratch.resolve("model/.cache/huggingface/lock"), "not uploaded");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path gcloud = bin.resolve("gcloud");
    Files.writeString(gcloud, FAKE_GCLOUD);
    gcloud.toFile().setExecutable(true);
    String script =
        rendered().getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(2);
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", script.replace(ModelDownloadJob.SCRATCH, scratch.toString()))
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TMPDIR", scratch.resolve("tmp").toString());
    pb.environment().put("FAKE_GCS", tmp.resolve("gcs").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), output);
  }

  private record Run(int exitCode, String output) {}

  @Test
  void uploader_copiesThenVerifiesEveryFile_andSucceedsWhenAllMatch(@TempDir Path tmp)
      throws Exception {
    Run run = runUploader(tmp, Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("verified 3 files in gs://my-models/meta-llama/llama-3.1-8b-instruct (MD5)");
    assertThat(tmp.resolve("gcs/my-models/meta-llama/llama-3.1-8b-instruct/original/params.json"))
        .exists();
    assertThat(tmp.resolve("gcs/my-models/meta-llama/llama-3.1-8b-instruct/.cache")).doesNotExist();
  }

  @Test
  void uploader_corruptedObject_failsTheJobNamingIt(@TempDir Path tmp) throws Exception {
    Run run = runUploader(tmp, Map.of("FAKE_CORRUPT", "model.safetensors"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "checksum mismatch: gs://my-models/meta-llama/llama-3.1-8b-instruct/model.safetensors")
        .contains("verification failed: 1 of 3 files differ")
        .doesNotContain("verified 3 files");
  }

  @Test
  void uploader_missingObject_failsTheJobNamingIt(@TempDir Path tmp) throws Exception {
    Run run = runUploader(tmp, Map.of("FAKE_DROP", "original/params.json"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "checksum mismatch: gs://my-models/meta-llama/llama-3.1-8b-instruct/original/params.json"
                + " has MD5 ''")
        .contains("verification failed: 1 of 3 files differ");
  }

  @Test
  void uploader_uploadsWholeObjects_soEachHasAnMd5() {
    assertThat(rendered().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName())
                  .isEqualTo("CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_ENABLED");
              assertThat(e.getValue()).isEqualTo("False");
            });
  }
}
