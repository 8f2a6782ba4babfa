package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.Speculative;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LoRA adapters and speculative drafts: their mounts, flags, grants, rules and planner memory. */
class LoraAndSpeculativeTest {
  private static final String MODEL_BUCKET = "my-project-inf-dev-hf-hub-models";

  /**
   * The 70B H100 server with three adapters (model bucket, own bucket, Hub) and an EAGLE-3 head.
   */
  private static VllmServer withAdapters() {
    return VllmServerTest.h100Llama70b().toBuilder()
        .addLoraAdapter(LoraAdapter.inModelBucket("sql", "adapters/sql-lora"))
        .addLoraAdapter(
            LoraAdapter.of(
                "chat",
                GcsFuseSource.builder().location(GcsLocation.of("team-adapters", "chat")).build()))
        .addLoraAdapter(
            LoraAdapter.of(
                "hub",
                HuggingFaceSource.builder()
                    .modelId("org/hub-lora")
                    .token(SecretRef.of("hf-token", "token"))
                    .build()))
        .maxLoraRank(16)
        .maxLoras(2)
        .maxCpuLoras(4)
        .speculative(
            Speculative.builder()
                .method("eagle3")
                .modelBucketPath("yuhuili/eagle3-llama3.3-instruct-70b")
                .numSpeculativeTokens(3)
                .draftTensorParallelism(1)
                .build())
        .build();
  }

  /**
   * Asserts that building fails with exactly one violation, at {@code path}, naming {@code parts}.
   */
  private static void assertSingleViolation(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable build, String path, String... parts) {
    assertThatThrownBy(build)
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .singleElement()
                    .satisfies(
                        v -> {
                          assertThat(v.path()).isEqualTo(path);
                          assertThat(v.message()).contains(parts);
                        }));
  }

  /** Llama-3.1-8B on one L4, downloaded from the Hub (no bucket). */
  private static VllmServer hubModel() {
    return VllmServer.builder()
        .name("llama")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
        .build();
  }

  private static PodSpec pod(VllmServer server) {
    return server
        .render()
        .find(Deployment.class, server.name())
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static VolumeMount mount(Container c, String name) {
    return c.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void render_adaptersAndDraft_renderFlagsThatNameTheirMountsOrHubIds() {
    Container c = pod(withAdapters()).getContainers().get(0);

    assertThat(c.getArgs())
        .containsSubsequence(
            "--enable-lora",
            "--max-lora-rank=16",
            "--max-loras=2",
            "--max-cpu-loras=4",
            "--lora-modules",
            "sql=/adapters/sql",
            "chat=/adapters/chat",
            "hub=org/hub-lora")
        .contains(
            "--speculative-config={\"method\":\"eagle3\",\"model\":\"/draft\","
                + "\"num_speculative_tokens\":3,\"draft_tensor_parallel_size\":1}");
  }

  @Test
  void render_bucketAdaptersAndDraft_mountEachFolderReadOnlyWithItsOwnOnlyDir() {
    VllmServer server = withAdapters();
    PodSpec pod = pod(server);
    Container c = pod.getContainers().get(0);

    Map<String, String> sql = volume(pod, "lora-0").getCsi().getVolumeAttributes();
    assertThat(sql.get("bucketName")).isEqualTo(MODEL_BUCKET);
    // the model's mount options follow the adapter's own only-dir
    assertThat(sql.get("mountOptions")).startsWith("only-dir:adapters/sql-lora,");
    assertThat(volume(pod, "lora-0").getCsi().getReadOnly()).isTrue();
    assertThat(volume(pod, "lora-1").getCsi().getVolumeAttributes())
        .containsEntry("bucketName", "team-adapters");
    assertThat(volume(pod, "lora-1").getCsi().getVolumeAttributes().get("mountOptions"))
        .startsWith("only-dir:chat");
    assertThat(volume(pod, "draft-model").getCsi().getVolumeAttributes().get("mountOptions"))
        .startsWith("only-dir:yuhuili/eagle3-llama3.3-instruct-70b");
    assertThat(pod.getVolumes()).noneMatch(v -> v.getName().startsWith("lora-2"));

    assertThat(mount(c, "lora-0").getMountPath()).isEqualTo("/adapters/sql");
    assertThat(mount(c, "lora-1").getMountPath()).isEqualTo("/adapters/chat");
    assertThat(mount(c, "draft-model").getMountPath()).isEqualTo("/draft");
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("lora-") || m.getName().equals("draft-model"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    // no prefetch step for adapters: the model's source renders none either
    assertThat(pod.getInitContainers()).isEmpty();
    BundleAssertions.assertSchemaValid(server.render());
  }

  @Test
  void render_hubAdapterWithToken_takesHfTokenFromItsSecretOnly() {
    Container c = pod(withAdapters()).getContainers().get(0);

    EnvVar token =
        c.getEnv().stream().filter(e -> e.getName().equals("HF_TOKEN")).findFirst().orElseThrow();
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
  }

  @Test
  void bucketGrants_coverTheModelBucketAndEachAdapterBucketOnce() {
    assertThat(withAdapters().bucketGrants())
        .extracting(BucketGrant::bucket)
        .containsExactly(MODEL_BUCKET, "team-adapters");
  }

  @Test
  void render_hubModelWithBucketAdapter_addsTheFuseAnnotationAndRoomForTheSidecar() {
    VllmServer hub = hubModel();
    VllmServer withBucketAdapter =
        hub.toBuilder()
            .addLoraAdapter(
                LoraAdapter.of(
                    "sql",
                    GcsFuseSource.builder().location(GcsLocation.of("adapters", "sql")).build()))
            .maxLoraRank(8)
            .build();

    var annotations =
        withBucketAdapter
            .render()
            .find(Deployment.class, "llama")
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    assertThat(annotations).containsEntry("gke-gcsfuse/volumes", "true");
    long without = cpuMillis(pod(hub).getContainers().get(0));
    long with = cpuMillis(pod(withBucketAdapter).getContainers().get(0));
    // PodScheduling rounds the request down to whole 100m, so the 250m may cost up to 349m
    assertThat(without - with)
        .isBetween(ModelVolumes.FUSE_SIDECAR_CPU_MILLIS, ModelVolumes.FUSE_SIDECAR_CPU_MILLIS + 99);
  }

  private static long cpuMillis(Container c) {
    Quantity cpu = c.getResources().getRequests().get("cpu");
    return Quantity.getAmountInBytes(cpu).movePointRight(3).longValueExact();
  }

  @Test
  void build_badAdapters_reportEveryViolationWithItsPath() {
    assertThatThrownBy(
            () ->
                VllmServerTest.h100Llama70b().toBuilder()
                    .servedModelName("llama")
                    .addLoraAdapter(LoraAdapter.inModelBucket("sql", "adapters/sql"))
                    .addLoraAdapter(LoraAdapter.inModelBucket("sql", "adapters/sql-2"))
                    .addLoraAdapter(LoraAdapter.inModelBucket("llama", "adapters/llama"))
                    .addLoraAdapter(
                        LoraAdapter.of(
                            "stream",
                            GcsStreamingSource.builder()
                                .location(GcsLocation.of("streamed", "stream"))
                                .build()))
                    .addLoraAdapter(
                        LoraAdapter.of(
                            "pinned",
                            HuggingFaceSource.builder()
                                .modelId("org/pinned")
                                .revision("v1")
                                .token(SecretRef.of("a", "token"))
                                .build()))
                    .addLoraAdapter(
                        LoraAdapter.of(
                            "other-token",
                            HuggingFaceSource.builder()
                                .modelId("org/other")
                                .token(SecretRef.of("b", "token"))
                                .build()))
                    .addLoraAdapter(LoraAdapter.builder().name("none").build())
                    .maxLoraRank(12)
                    .maxLoras(0)
                    .maxCpuLoras(-1)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "loraAdapters[1].name",
                        "loraAdapters[2].name",
                        "loraAdapters[3].source.type",
                        "loraAdapters[4].source.revision",
                        "loraAdapters[5].source.token",
                        "loraAdapters[6].source",
                        "maxLoraRank",
                        "maxLoras",
                        "maxCpuLoras"));
  }

  @Test
  void build_modelBucketPathWithoutABucketModel_andLimitsWithoutAdapters_areRejected() {
    VllmServer hub = hubModel();

    assertThatThrownBy(
            () ->
                hub.toBuilder()
                    .addLoraAdapter(LoraAdapter.inModelBucket("sql", "adapters/sql"))
                    .maxLoraRank(16)
                    .speculative(
                        Speculative.builder()
                            .method("eagle")
                            .modelBucketPath("eagle")
                            .numSpeculativeTokens(2)
                            .build())
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "loraAdapters[0].modelBucketPath", "speculative.modelBucketPath"));
    assertThatThrownBy(() -> hub.toBuilder().maxLoras(2).maxCpuLoras(2).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("maxLoras", "maxCpuLoras"));
  }

  @Test
  void build_adapterMountedOverTheModel_isRejectedAtItsMountPath() {
    assertSingleViolation(
        () ->
            VllmServerTest.h100Llama70b().toBuilder()
                .addLoraAdapter(
                    LoraAdapter.of(
                        "sql",
                        GcsFuseSource.builder()
                            .location(GcsLocation.of("team-adapters", "sql"))
                            .mountPath("/gcs/meta-llama/llama-3.3-70b-instruct")
                            .build()))
                .maxLoraRank(16)
                .build(),
        "loraAdapters[0].mountPath",
        "source.mountPath");
  }

  @Test
  void build_draftModelOnTheDefaultImage_isRejectedAtItsMethod() {
    assertSingleViolation(
        () ->
            VllmServerTest.h100Llama70b().toBuilder()
                .speculative(
                    Speculative.draftModel(
                        HuggingFaceSource.builder()
                            .modelId("meta-llama/Llama-3.1-8B-Instruct")
                            .build(),
                        4))
                .build(),
        "speculative.method",
        "0.11.2",
        "NotImplementedError");
  }

  @Test
  void build_draftModelOfAnotherTokenizer_isRejected() {
    // Qwen3-8B's vocabulary (151,936) is not Llama 3's (128,256)
    assertSingleViolation(
        () ->
            VllmServerTest.h100Llama70b().toBuilder()
                .image("vllm/vllm-openai:v0.14.0")
                .speculative(
                    Speculative.builder()
                        .method("draft_model")
                        .modelBucketPath("qwen/qwen3-8b")
                        .modelId("Qwen/Qwen3-8B")
                        .numSpeculativeTokens(4)
                        .build())
                .build(),
        "speculative.modelId",
        "151936",
        "128256");
  }

  @Test
  void loraSlotsAndDraftModel_feedThePlannersMemorySplit() {
    VllmServer server =
        withAdapters().toBuilder()
            .image("vllm/vllm-openai:v0.14.0")
            .speculative(
                Speculative.builder()
                    .method("draft_model")
                    .modelBucketPath("meta-llama/llama-3.1-8b-instruct")
                    .modelId("meta-llama/Llama-3.1-8B-Instruct")
                    .numSpeculativeTokens(4)
                    .build())
            .build();
    FitRequest base =
        FitRequest.builder()
            .architecture(server.architecture().orElseThrow())
            .maxModelLen(8192)
            .build();
    FitRequest withAdapters =
        base.toBuilder().lora(server.loraSlots()).draft(server.draftModel()).build();

    FitPlan plain = FitPlanner.planOn(base, "nvidia-h100-80gb", 4);
    FitPlan planned = FitPlanner.planOn(withAdapters, "nvidia-h100-80gb", 4);

    assertThat(server.loraSlots().orElseThrow().maxLoras()).isEqualTo(2);
    assertThat(server.loraSlots().orElseThrow().maxLoraRank()).isEqualTo(16);
    assertThat(planned.memory().loraAdapters()).isPositive();
    assertThat(planned.memory().draftWeights()).isPositive();
    assertThat(planned.memory().kvCache())
        .isEqualTo(
            plain.memory().kvCache()
                - planned.memory().loraAdapters()
                - planned.memory().draftWeights());
    assertThat(planned.kvTokens()).isLessThan(plain.kvTokens());
    assertThat(
            VllmServerTest.h100Llama70b().toBuilder()
                .speculative(Speculative.ngram(4, 3))
                .build()
                .draftModel())
        .isEmpty();
  }
}
