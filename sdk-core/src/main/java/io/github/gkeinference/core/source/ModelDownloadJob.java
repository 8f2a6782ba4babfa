package io.github.gkeinference.core.source;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A Kubernetes Job that copies a model from the Hugging Face hub into a Cloud Storage folder, so
 * that servers can load it with {@link GcsFuseSource} or {@link GcsStreamingSource}.
 *
 * <pre>{@code
 * RenderedSet job = ModelDownloadJob.builder()
 *     .name("download-llama-3-1-8b")
 *     .namespace("models")
 *     .modelId("meta-llama/Llama-3.1-8B-Instruct")
 *     .destination(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
 *     .token(SecretRef.of("hf-token", "token"))
 *     .serviceAccountName("model-downloader")
 *     .build()
 *     .render();
 * }</pre>
 *
 * <p>Follows the reference architecture's download Job
 * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/model-download/huggingface)
 * with two changes: it runs as non-root with a read-only root file system, and it splits the work
 * in two containers: an init container ({@value #DEFAULT_DOWNLOADER_IMAGE}) installs {@code
 * huggingface_hub} into the scratch volume and runs {@code hf download}; the main container
 * ({@value #DEFAULT_UPLOADER_IMAGE}, the reference architecture's image) runs {@code gcloud storage
 * cp}, then verifies the copy: for every downloaded file (hidden top-level entries such as {@code
 * .cache} are neither uploaded nor checked) it compares the MD5 that Cloud Storage keeps for the
 * object with the local file's, both through {@code gcloud storage hash --skip-crc32c --hex} (which
 * reads local files and cloud objects alike:
 * https://cloud.google.com/sdk/gcloud/reference/storage/hash), lists every object that differs or
 * is missing, and fails the Job when any does. Parallel composite uploads are switched off ({@code
 * CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_ENABLED=False}) because composite objects have no MD5
 * (https://cloud.google.com/storage/docs/composite-objects); MD5 rather than CRC32C because
 * gcloud's CRC32C of local files is very slow without a compiled {@code google-crc32c} (same page),
 * which the slim image does not promise. The token reaches the downloader only as {@code HF_TOKEN}
 * from a Secret; the uploader authenticates with Workload Identity through {@link
 * #serviceAccountName()}, which needs write access to the bucket. Failed Pods are retried {@link
 * #backoffLimit()} times; a retry skips files already downloaded and {@code gcloud storage cp}
 * overwrites, so retries are safe (a failed verification retries the upload too). Nothing is
 * deleted from the bucket.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableModelDownloadJob.class)
public interface ModelDownloadJob extends RenderableSpec {
  /** The downloader image: the official Python image, pinned. */
  String DEFAULT_DOWNLOADER_IMAGE = "python:3.12-slim";

  /**
   * The uploader image the reference architecture uses
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/model-download/huggingface).
   */
  String DEFAULT_UPLOADER_IMAGE = "gcr.io/google.com/cloudsdktool/cloud-sdk:570.0.0-slim";

  /** The user and group the containers run as. */
  long RUN_AS = 1000;

  /** Where the scratch volume is mounted. */
  String SCRATCH = "/scratch";

  /** DNS-1123 labels. */
  Pattern LABEL = KubernetesNames.DNS_1123_LABEL;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The Job's name. */
  String name();

  /** The namespace; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** The hub repository id. */
  String modelId();

  /** A branch, tag or commit to download; empty for the default branch. */
  Optional<String> revision();

  /** The bucket folder to copy the files into. */
  GcsLocation destination();

  /** The Secret key with a hub token (read scope); needed for gated models. */
  Optional<SecretRef> token();

  /** The Kubernetes service account bound to a Google identity that may write to the bucket. */
  String serviceAccountName();

  /** Pod retries before the Job fails; default 3. */
  @Value.Default
  default int backoffLimit() {
    return 3;
  }

  /** Parallel downloads ({@code --max-workers}); default 8, the {@code hf download} default. */
  @Value.Default
  default int maxWorkers() {
    return 8;
  }

  /** The scratch volume's size: at least the model's size; default {@code 200Gi}. */
  @Value.Default
  default String scratchSize() {
    return "200Gi";
  }

  /**
   * CPU request; default {@code 2} (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/model-download/huggingface).
   */
  @Value.Default
  default String cpu() {
    return "2";
  }

  /**
   * Memory request and limit; default {@code 10Gi}
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/model-download/huggingface).
   */
  @Value.Default
  default String memory() {
    return "10Gi";
  }

  /** The downloader image; default {@link #DEFAULT_DOWNLOADER_IMAGE}. */
  @Value.Default
  default String downloaderImage() {
    return DEFAULT_DOWNLOADER_IMAGE;
  }

  /** The uploader image; default {@link #DEFAULT_UPLOADER_IMAGE}. */
  @Value.Default
  default String uploaderImage() {
    return DEFAULT_UPLOADER_IMAGE;
  }

  /**
   * Renders the Job.
   *
   * @return a set with the Job
   */
  @Override
  default String kind() {
    return "ModelDownloadJob";
  }

  @Override
  default RenderedSet render() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "model-download");
    labels.put("app.kubernetes.io/instance", name());
    labels.put("app.kubernetes.io/managed-by", "gke-inference-sdk");
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(cpu()));
    requests.put("memory", new Quantity(memory()));
    requests.put("ephemeral-storage", new Quantity(scratchSize())); // the scratch emptyDir
    Map<String, Quantity> limits = Map.of("memory", new Quantity(memory()));

    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name())
            .withNamespace(namespace())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(backoffLimit())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withServiceAccountName(serviceAccountName())
            .withNodeSelector(Map.of("iam.gke.io/gke-metadata-server-enabled", "true"))
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(RUN_AS)
            .withRunAsGroup(RUN_AS)
            .withFsGroup(RUN_AS)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addToInitContainers(downloader(requests, limits))
            .addToContainers(uploader(requests, limits))
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .withSizeLimit(new Quantity(scratchSize()))
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    return RenderedSet.of(job);
  }

  private Container downloader(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    String download =
        "\"$HOME/.local/bin/hf\" download "
            + modelId()
            + revision().map(r -> " --revision " + r).orElse("")
            + " --local-dir "
            + SCRATCH
            + "/model --max-workers "
            + maxWorkers();
    String script =
        "set -eu\n"
            + "python -m pip install --user --no-cache-dir --quiet 'huggingface_hub>=0.34'\n"
            + download
            + "\n";
    List<EnvVar> env = new ArrayList<>(commonEnv());
    env.add(new EnvVarBuilder().withName("HF_HOME").withValue(SCRATCH + "/hf-home").build());
    env.add(new EnvVarBuilder().withName("PIP_DISABLE_PIP_VERSION_CHECK").withValue("1").build());
    token().ifPresent(t -> env.add(t.toEnvVar("HF_TOKEN")));
    return new ContainerBuilder()
        .withName("download")
        .withImage(downloaderImage())
        .withCommand("sh", "-c", script)
        .withEnv(env)
        .withVolumeMounts(scratchMount())
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .withSecurityContext(containerSecurity())
        .build();
  }

  private Container uploader(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    String dest = destination().uri();
    String hash = "gcloud storage hash --skip-crc32c --hex --format='value(md5_hash)' ";
    String script =
        "set -eu\n"
            + "gcloud storage cp --recursive "
            + SCRATCH
            + "/model/* "
            + dest
            + "/\n"
            // verify: the MD5 of every uploaded object against the local file's
            + "mkdir -p \"$TMPDIR\"\n"
            + "cd "
            + SCRATCH
            + "/model\n"
            + "find . -type f ! -path './.*' | sed 's|^\\./||' | sort > \"$TMPDIR/files\"\n"
            + "checked=0\n"
            + "bad=0\n"
            + "while IFS= read -r f; do\n"
            + "  local_md5=$("
            + hash
            + "\"$f\")\n"
            + "  remote_md5=$("
            + hash
            + "\""
            + dest
            + "/$f\" || true)\n"
            + "  checked=$((checked + 1))\n"
            + "  if [ -z \"$remote_md5\" ] || [ \"$local_md5\" != \"$remote_md5\" ]; then\n"
            + "    echo \"checksum mismatch: "
            + dest
            + "/$f has MD5 '$remote_md5', the downloaded file '$local_md5'\" >&2\n"
            + "    bad=$((bad + 1))\n"
            + "  fi\n"
            + "done < \"$TMPDIR/files\"\n"
            + "if [ \"$checked\" -eq 0 ] || [ \"$bad\" -ne 0 ]; then\n"
            + "  echo \"verification failed: $bad of $checked files differ from "
            + dest
            + "\" >&2\n"
            + "  exit 1\n"
            + "fi\n"
            + "echo \"verified $checked files in "
            + dest
            + " (MD5)\"\n";
    List<EnvVar> env = new ArrayList<>(commonEnv());
    env.add(new EnvVarBuilder().withName("CLOUDSDK_CONFIG").withValue(SCRATCH + "/gcloud").build());
    // composite objects carry no MD5 (https://cloud.google.com/storage/docs/composite-objects):
    // upload each file as one object so that every object has an MD5 to compare
    env.add(
        new EnvVarBuilder()
            .withName("CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_ENABLED")
            .withValue("False")
            .build());
    return new ContainerBuilder()
        .withName("upload")
        .withImage(uploaderImage())
        .withCommand("sh", "-c", script)
        .withEnv(env)
        .withVolumeMounts(scratchMount())
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .withSecurityContext(containerSecurity())
        .build();
  }

  private static List<EnvVar> commonEnv() {
    return List.of(
        new EnvVarBuilder().withName("HOME").withValue(SCRATCH + "/home").build(),
        new EnvVarBuilder().withName("TMPDIR").withValue(SCRATCH + "/tmp").build());
  }

  private static VolumeMount scratchMount() {
    return new VolumeMountBuilder().withName("scratch").withMountPath(SCRATCH).build();
  }

  private static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        LABEL.matcher(name()).matches() && name().length() <= 63,
        "name",
        name(),
        "must be a DNS-1123 label of at most 63 characters");
    v.require(
        LABEL.matcher(namespace()).matches() && namespace().length() <= 63,
        "namespace",
        namespace(),
        "must be a DNS-1123 label");
    v.require(
        HuggingFaceSource.MODEL_ID.matcher(modelId()).matches(),
        "modelId",
        modelId(),
        "must be a Hugging Face repository id: owner/name");
    revision()
        .ifPresent(
            r ->
                v.require(
                    r.matches("[A-Za-z0-9._/-]{1,255}"),
                    "revision",
                    r,
                    "must be a branch, tag or commit hash"));
    destination().validate(v.at("destination"));
    token().ifPresent(t -> t.validate(v.at("token")));
    v.require(
        SecretRef.NAME.matcher(serviceAccountName()).matches(),
        "serviceAccountName",
        serviceAccountName(),
        "must be a Kubernetes service account name");
    v.require(backoffLimit() >= 0, "backoffLimit", backoffLimit(), "must be zero or more");
    v.require(
        maxWorkers() >= 1 && maxWorkers() <= 64,
        "maxWorkers",
        maxWorkers(),
        "must be between 1 and 64");
    String quantity = "[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?";
    v.require(scratchSize().matches(quantity), "scratchSize", scratchSize(), "must be a quantity");
    v.require(cpu().matches(quantity), "cpu", cpu(), "must be a quantity");
    v.require(memory().matches(quantity), "memory", memory(), "must be a quantity");
    v.require(
        !downloaderImage().isBlank(), "downloaderImage", downloaderImage(), "must not be empty");
    v.require(!uploaderImage().isBlank(), "uploaderImage", uploaderImage(), "must not be empty");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableModelDownloadJob.Builder {}
}
