package io.github.gkeinference.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcsFuseSourceTest {
  private static final SchemaValidator SCHEMAS = SchemaValidator.forTests();

  /** A minimal server Deployment whose Pod template the source completes with applyTo. */
  static Deployment deployment(ModelSource source) {
    List<String> args = new ArrayList<>();
    args.add("--model=" + source.modelArgument());
    args.addAll(source.serverArgs());
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .withLabels(Map.of("app", "server"))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("model-reader")
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(1000L)
            .withRunAsGroup(1000L)
            .endSecurityContext()
            .addToContainers(
                new ContainerBuilder()
                    .withName("vllm")
                    .withImage("vllm/vllm-openai:v0.11.2")
                    .withArgs(args)
                    .build())
            .endSpec()
            .build();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("server")
        .withNamespace("models")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(Map.of("app", "server"))
        .endSelector()
        .withTemplate(source.applyTo(template, "vllm"))
        .endSpec()
        .build();
  }

  @Test
  void applyTo_doesNotModifyTheTemplate_andNeedsTheContainer() {
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .addNewContainer()
            .withName("vllm")
            .endContainer()
            .endSpec()
            .build();
    PodTemplateSpec applied = llama().applyTo(template, "vllm");
    assertThat(template.getSpec().getVolumes()).isEmpty();
    assertThat(template.getMetadata()).isNull();
    assertThat(applied.getSpec().getVolumes()).hasSize(4);
    assertThat(applied.getSpec().getContainers().get(0).getVolumeMounts()).hasSize(1);
    assertThatThrownBy(() -> llama().applyTo(template, "other"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static GcsFuseSource llama() {
    return GcsFuseSource.builder()
        .location("my-models", "meta-llama/llama-3.1-8b-instruct")
        .uid(1000)
        .gid(1000)
        .prefetch(true)
        .build();
  }

  @Test
  void render_modelServing_isSchemaValidAndMatchesGolden() {
    Deployment d = deployment(llama());
    SCHEMAS.assertValid(d);
    GoldenFiles.assertMatches("source/gcsfuse-model-serving.yaml", ManifestYaml.toYaml(d));
  }

  @Test
  void render_lowMemoryNode_isSchemaValidAndMatchesGolden() {
    Deployment d =
        deployment(
            llama().toBuilder().options(GcsFuseOptions.lowMemoryNode()).prefetch(false).build());
    SCHEMAS.assertValid(d);
    GoldenFiles.assertMatches("source/gcsfuse-low-memory.yaml", ManifestYaml.toYaml(d));
  }

  @Test
  void prefetch_asInitContainer_readsOnceAndExits() {
    Container c = llama().initContainers().get(0);
    assertThat(c.getRestartPolicy()).isNull();
    assertThat(c.getCommand().get(2)).doesNotContain("sleep");
  }

  @Test
  void prefetch_asSidecar_isNativeSidecarThatStaysAfterReading() {
    GcsFuseSource sidecar =
        llama().toBuilder().prefetchMode(GcsFuseSource.PrefetchMode.SIDECAR).build();
    Deployment d = deployment(sidecar);
    SCHEMAS.assertValid(d);
    Container c = d.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    // restartPolicy Always on an init container makes it a sidecar that runs beside the server
    assertThat(c.getRestartPolicy()).isEqualTo("Always");
    assertThat(c.getCommand().get(2))
        .contains("dd if={} of=/dev/null")
        .endsWith("; exec sleep infinity");
    assertThat(c.getVolumeMounts().get(0).getReadOnly()).isTrue();
  }

  @Test
  void volume_isReadOnlyCsiWithOnlyDirAndTunedOptions() {
    Volume v = llama().volumes().get(0);
    assertThat(v.getCsi().getDriver()).isEqualTo("gcsfuse.csi.storage.gke.io");
    assertThat(v.getCsi().getReadOnly()).isTrue();
    assertThat(v.getCsi().getVolumeAttributes())
        .containsEntry("bucketName", "my-models")
        .containsEntry("skipCSIBucketAccessCheck", "true");
    assertThat(v.getCsi().getVolumeAttributes().get("mountOptions").split(","))
        .startsWith("only-dir:meta-llama/llama-3.1-8b-instruct", "uid=1000", "gid=1000")
        .contains(
            "metadata-cache:ttl-secs:-1",
            "file-cache:max-size-mb:-1",
            "file-cache:enable-parallel-downloads:true");
    assertThat(llama().volumeMounts().get(0).getReadOnly()).isTrue();
    assertThat(llama().modelArgument()).isEqualTo("/gcs/meta-llama/llama-3.1-8b-instruct");
  }

  @Test
  void podAnnotations_enableSidecarAndLiftItsLimits() {
    assertThat(llama().podAnnotations())
        .containsEntry("gke-gcsfuse/volumes", "true")
        .containsEntry("gke-gcsfuse/cpu-limit", "0")
        .containsEntry("gke-gcsfuse/memory-limit", "0")
        .containsEntry("gke-gcsfuse/ephemeral-storage-limit", "0");
  }

  @Test
  void modelServing_declaresRamCacheVolumes_lowMemoryDoesNot() {
    assertThat(llama().volumes())
        .extracting(Volume::getName)
        .containsExactly(
            "model-weights", "gke-gcsfuse-cache", "gke-gcsfuse-tmp", "gke-gcsfuse-buffer");
    assertThat(llama().volumes().get(1).getEmptyDir().getMedium()).isEqualTo("Memory");
    GcsFuseSource low = llama().toBuilder().options(GcsFuseOptions.lowMemoryNode()).build();
    assertThat(low.volumes()).extracting(Volume::getName).containsExactly("model-weights");
    assertThat(low.mountOptions())
        .contains("file-cache:max-size-mb:0", "read:enable-buffered-read:true")
        .doesNotContain("file-cache:enable-parallel-downloads:true");
  }

  @Test
  void withoutUidGid_noOwnershipOptions() {
    GcsFuseSource root = GcsFuseSource.builder().location("my-models", "m").build();
    assertThat(root.mountOptions()).noneMatch(o -> o.startsWith("uid=") || o.startsWith("gid="));
    assertThat(root.initContainers()).isEmpty();
  }

  @Test
  void location_badBucket_isAViolationAtLocationBucket() {
    assertThatThrownBy(() -> GcsFuseSource.builder().location("My_Bucket!", "m"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("location.bucket"));
  }

  @Test
  void options_parallelDownloadsWithoutFileCache_isAViolation() {
    assertThatThrownBy(() -> GcsFuseOptions.builder().fileCacheMaxSizeMb(0).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("parallelDownloads"));
  }

  @Test
  void startupEstimate_isBytesOverAssumedThroughput() {
    StartupEstimate e = llama().startupEstimate(16_060_000_000L);
    // 16.06 GB / 1 GB/s = 16.06 s, rounded up to 17 s
    assertThat(e.duration().getSeconds()).isEqualTo(17);
    assertThat(e.assumption()).contains("assumed 1000 MB/s");
    GcsFuseSource low = llama().toBuilder().options(GcsFuseOptions.lowMemoryNode()).build();
    // 16.06 GB / 0.5 GB/s = 32.12 s -> 33 s
    assertThat(low.startupEstimate(16_060_000_000L).duration().getSeconds()).isEqualTo(33);
  }
}
