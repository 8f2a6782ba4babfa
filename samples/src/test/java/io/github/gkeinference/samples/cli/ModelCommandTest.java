package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.gkeinference.testing.SchemaValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code model download|upload|verify}, in-process, with an in-memory Cloud Storage. */
class ModelCommandTest {
  private static final String TO = "gs://my-models/qwen/qwen3-0.6b";

  @TempDir Path tmp;
  private Storage storage;
  private Path model;
  private CliRun cli;

  @BeforeEach
  void setUp() throws IOException {
    storage = LocalStorageHelper.getOptions().getService();
    model = Files.createDirectories(tmp.resolve("Qwen3-0.6B"));
    Files.writeString(model.resolve("config.json"), "{\"model_type\":\"qwen3\"}");
    Files.write(model.resolve("model.safetensors"), new byte[3000]);
    Files.createDirectories(model.resolve(".cache/huggingface"));
    Files.writeString(model.resolve(".cache/huggingface/lock"), "left out");
    cli = new CliRun();
  }

  /** Runs the CLI with the model command reaching the given storage instead of Cloud Storage. */
  private int run(ModelCommand.StorageOpener opener, String... args) {
    cli = new CliRun();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == ModelCommand.class) {
              return type.cast(new ModelCommand(opener));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
  }

  private int run(String... args) {
    return run(() -> storage, args);
  }

  @Test
  void download_printsTheVerifyingJob_schemaValid() throws IOException {
    int code =
        run(
            "model",
            "download",
            "Qwen/Qwen3-0.6B",
            "--to",
            TO,
            "-n",
            "models",
            "--token-secret",
            "hf-token:token");

    assertThat(code).as(cli.err()).isZero();
    Path printed = Files.writeString(tmp.resolve("job.yaml"), cli.out());
    List<String> problems = new ArrayList<>();
    List<HasMetadata> objects = ManifestReader.read(printed, problems).kubernetesObjects();
    assertThat(problems).isEmpty();
    assertThat(objects).singleElement().isInstanceOf(Job.class);
    Job job = (Job) objects.get(0);
    SchemaValidator.forTests().assertValid(job);
    assertThat(job.getMetadata().getName()).isEqualTo("download-qwen3-0-6b");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("models");
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("model-downloader");
    assertThat(pod.getInitContainers().get(0).getCommand().get(2)).contains("Qwen/Qwen3-0.6B");
    assertThat(pod.getInitContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("HF_TOKEN"));
    assertThat(pod.getContainers().get(0).getCommand().get(2))
        .contains("gcloud storage cp --recursive /scratch/model/* " + TO + "/")
        .contains("verified $checked files in " + TO);
  }

  @Test
  void download_outDir_writesTheJobAndAKustomization() {
    Path out = tmp.resolve("job");

    int code = run("model", "download", "Qwen/Qwen3-0.6B", "--to", TO, "--out", out.toString());

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).startsWith("Wrote ");
    assertThat(out.resolve("kustomization.yaml")).exists();
  }

  @Test
  void download_badInput_listsEveryField_exit2() {
    int code =
        run(
            "model",
            "download",
            "not-a-repo-id",
            "--to",
            TO,
            "--name",
            "Bad_Name",
            "--service-account",
            "Bad SA");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err())
        .contains("modelId")
        .contains("name")
        .contains("serviceAccountName")
        .doesNotContain("Exception");
  }

  @Test
  void download_notAGsUri_isOneUsageError_exit2() {
    int code = run("model", "download", "Qwen/Qwen3-0.6B", "--to", "s3://bucket/x");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err())
        .startsWith(
            "error: Invalid value for option '--to': 's3://bucket/x' is not a Cloud Storage")
        .doesNotContain("Exception");
  }

  @Test
  void upload_thenAgain_uploadsOnceAndVerifies() {
    int first = run("model", "upload", model.toString(), "--to", TO);

    assertThat(first).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("Uploaded 2 files (3.0 KiB) to " + TO + "; skipped 0 already there (0 B)")
        .contains("Complete: " + TO + " holds 2 objects");
    assertThat(storage.get(BlobId.of("my-models", "qwen/qwen3-0.6b/model.safetensors")).getSize())
        .isEqualTo(3000);
    assertThat(storage.get(BlobId.of("my-models", "qwen/qwen3-0.6b/.cache/huggingface/lock")))
        .isNull();
    // off the terminal (tests) progress prints nothing at all
    assertThat(cli.err()).isEmpty();

    int again = run("model", "upload", model.toString(), "--to", TO, "-j", "2");

    assertThat(again).as(cli.err()).isZero();
    assertThat(cli.out()).contains("Uploaded 0 files (0 B) to " + TO + "; skipped 2 already there");
  }

  @Test
  void upload_withoutWeights_reportsTheModelIncomplete_exit1() throws IOException {
    Files.delete(model.resolve("model.safetensors"));

    int code = run("model", "upload", model.toString(), "--to", TO);

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out()).contains("Uploaded 1 files").contains("Incomplete: " + TO);
    assertThat(cli.err()).contains("missing: " + TO + "/model.safetensors");
  }

  @Test
  void verify_listsEveryMissingShard_exit1_andJsonHasTheSameFindings() {
    put("config.json", "{}");
    put(
        "model.safetensors.index.json",
        "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
            + "\"b\":\"model-00002-of-00002.safetensors\"}}");
    put("model-00001-of-00002.safetensors", "");

    int code = run("model", "verify", TO);

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.err())
        .contains("missing: " + TO + "/model-00002-of-00002.safetensors")
        .contains("problem: qwen/qwen3-0.6b/model-00001-of-00002.safetensors is empty");

    assertThat(run("model", "verify", TO, "-o", "json")).isEqualTo(GkeInferenceCli.FINDINGS);
    JsonNode json = cli.json();
    assertThat(json.get("location").asString()).isEqualTo(TO);
    assertThat(json.get("missingObjects").get(0).asString())
        .isEqualTo("qwen/qwen3-0.6b/model-00002-of-00002.safetensors");
    assertThat(json.get("problems")).hasSize(1);
    assertThat(json.get("objectCount").asInt()).isEqualTo(3);
    assertThat(json.get("complete").asBoolean()).isFalse();
  }

  @Test
  void verify_completeModel_exit0() {
    assertThat(run("model", "upload", model.toString(), "--to", TO)).isZero();

    assertThat(run("model", "verify", TO + "/")).as(cli.err()).isZero();
    assertThat(cli.out()).isEqualTo("Complete: " + TO + " holds 2 objects (3.0 KiB)\n");
  }

  @Test
  void withoutCredentials_isOneClearErrorLine_noStackTrace() {
    ModelCommand.StorageOpener none =
        () -> {
          throw new IOException(
              "Your default credentials were not found. To set up Application Default"
                  + " Credentials, see https://cloud.google.com/docs/authentication.\n\tat ...");
        };

    int code = run(none, "model", "verify", TO);

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    cli.assertOneErrorLine("error: no Google credentials: Your default credentials were not found");
    assertThat(cli.err()).contains("gcloud auth application-default login");
  }

  @Test
  void defaultName_isADns1123Label() {
    assertThat(ModelCommand.Download.defaultName("meta-llama/Llama-3.1-8B-Instruct"))
        .isEqualTo("download-llama-3-1-8b-instruct");
    assertThat(ModelCommand.Download.defaultName("x/" + "A".repeat(80)))
        .hasSize(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void size_usesBinaryUnits() {
    assertThat(ModelCommand.size(512)).isEqualTo("512 B");
    assertThat(ModelCommand.size(1536)).isEqualTo("1.5 KiB");
    assertThat(ModelCommand.bytes(15L << 30, 60L << 30)).isEqualTo("15.0 GiB / 60.0 GiB (25%)");
  }

  private void put(String file, String content) {
    storage.create(
        BlobInfo.newBuilder("my-models", "qwen/qwen3-0.6b/" + file).build(),
        content.getBytes(StandardCharsets.UTF_8));
  }
}
