package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.Speculative;
import io.github.gkeinference.serving.vllm.StartupBudget;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VllmServerTest {
  private static final WorkloadIdentityPool POOL =
      WorkloadIdentityPool.of("my-project", 123456789012L);

  /** Llama-3.1-8B-Instruct on one L4, weights from a GCS bucket through GCS FUSE. */
  static VllmServer l4Llama8b() {
    return VllmServer.builder()
        .name("llama-3-1-8b")
        .namespace("inference")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("my-project-models", "meta-llama/llama-3.1-8b-instruct"))
                .build())
        // g2-standard-16: the GCS FUSE file cache is kept in RAM and holds the whole model
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
        .maxModelLen(8192)
        .gpuMemoryUtilization(0.9)
        .workloadIdentity(POOL)
        .build();
  }

  /**
   * The seed's online H100 case (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm,
   * h100-llama-3-3-70b-instruct): 4 H100, TP 4, max-model-len 131072, gpu-memory-utilization 0.95,
   * weights through GCS FUSE.
   */
  static VllmServer h100Llama70b() {
    return VllmServer.builder()
        .name("vllm-h100-llama-3-3-70b-instruct")
        .namespace("inf-dev-online-gpu")
        .modelId("meta-llama/Llama-3.3-70B-Instruct")
        .source(
            GcsFuseSource.builder()
                .location(
                    GcsLocation.of(
                        "my-project-inf-dev-hf-hub-models", "meta-llama/llama-3.3-70b-instruct"))
                .build())
        .placement(p -> p.accelerator("nvidia-h100-80gb").devices(4))
        .maxModelLen(131072)
        .gpuMemoryUtilization(0.95)
        .googleServiceAccount("vllm-online@my-project.iam.gserviceaccount.com")
        .build();
  }

  private static Container container(VllmServer server) {
    return deployment(server).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Deployment deployment(VllmServer server) {
    return server.render().find(Deployment.class, server.name()).orElseThrow();
  }

  @Test
  void render_l4Llama8bFromGcsFuse_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(l4Llama8b().render(), "vllm/l4-llama-3-1-8b-gcsfuse.yaml");
  }

  @Test
  void render_h100Llama70b_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(h100Llama70b().render(), "vllm/h100-llama-3-3-70b.yaml");
  }

  @Test
  void render_seedH100Llama70b_fixesTheSeedsGaps() {
    VllmServer server = h100Llama70b();
    Container c = container(server);
    PodSpec pod = deployment(server).getSpec().getTemplate().getSpec();

    // the seed has only a readiness probe with failureThreshold 6000 (about 16.7 h)
    assertThat(c.getStartupProbe()).isNotNull();
    assertThat(c.getLivenessProbe()).isNotNull();
    // 70.6e9 parameters x 2 bytes (bf16) = 141.2e9 bytes; GCS FUSE with a file cache is assumed
    // to give 1e9 bytes/s: ceil(141.2e9 / 1e9) = 142 s, plus 300 s overhead = 442 s; the budget
    // is twice that, 884 s, which a 10 s probe period covers with ceil(884 / 10) = 89 failures
    long weightBytes = 70_600_000_000L * 2;
    long estimate = (weightBytes + 1_000_000_000L - 1) / 1_000_000_000L + 300;
    assertThat(estimate).isEqualTo(442);
    assertThat(server.startupEstimate()).map(StartupBudget::seconds).contains(estimate);
    assertThat(c.getStartupProbe().getPeriodSeconds()).isEqualTo(10);
    assertThat(c.getStartupProbe().getFailureThreshold()).isEqualTo(89);
    assertThat(c.getReadinessProbe().getFailureThreshold()).isLessThan(10);

    // the seed requests only nvidia.com/gpu: no CPU or memory
    assertThat(c.getResources().getRequests())
        .containsKeys("cpu", "memory")
        .containsEntry("nvidia.com/gpu", new Quantity("4"));
    assertThat(c.getResources().getLimits()).containsKey("memory");

    // the seed sets LD_LIBRARY_PATH=${LD_LIBRARY_PATH}:..., which Kubernetes never expands
    assertThat(c.getEnv())
        .extracting(EnvVar::getValue)
        .noneMatch(v -> v != null && v.contains("${"));

    // /dev/shm has a size limit, the model mount is read-only, the container is restricted
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("dshm"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Gi")));
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("model-weights"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getArgs()).contains("--tensor-parallel-size=4", "--max-model-len=131072");
    ServiceAccount sa = server.render().find(ServiceAccount.class, server.name()).orElseThrow();
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry(
            "iam.gke.io/gcp-service-account", "vllm-online@my-project.iam.gserviceaccount.com");
  }

  /** Asserts one replica at a time without surging, spread over zones by the server's labels. */
  private static void assertRollsOneAtATimeAndSpreads(Deployment d) {
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
              assertThat(t.getLabelSelector().getMatchLabels())
                  .isEqualTo(l4Llama8b().selectorLabels());
            });
  }

  @Test
  void render_severalReplicas_spreadsOverZonesAndRollsWithoutSurge() {
    assertRollsOneAtATimeAndSpreads(deployment(l4Llama8b().toBuilder().replicas(3).build()));
  }

  @Test
  void render_fixedSingleReplica_recreatesWithoutSpreading() {
    Deployment d = deployment(l4Llama8b());
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate()).isNull();
    assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).isEmpty();
  }

  @Test
  void render_oneReplicaAutoscaledToFour_rollsOneAtATimeAndSpreads() {
    // the HPA takes the Deployment from 1 to 4: Recreate would take all four down in a rollout
    Deployment d = deployment(l4Llama8b().toBuilder().replicas(1).maxReplicas(4).build());
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertRollsOneAtATimeAndSpreads(d);
  }

  @Test
  void build_maxReplicasBelowReplicas_isRejectedWithItsPath() {
    assertThatThrownBy(() -> l4Llama8b().toBuilder().replicas(3).maxReplicas(2).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("maxReplicas"));
  }

  @Test
  void render_hubSourceWithToken_readsTokenFromSecretOnly() {
    VllmServer server =
        l4Llama8b().toBuilder()
            .source(
                HuggingFaceSource.builder()
                    .modelId("meta-llama/Llama-3.1-8B-Instruct")
                    .token(SecretRef.of("hf-token", "token"))
                    .build())
            .build();
    EnvVar token =
        container(server).getEnv().stream()
            .filter(e -> e.getName().equals("HF_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    BundleAssertions.assertSchemaValid(server.render());
  }

  @Test
  void render_modelledFeatures_becomeFlags() {
    VllmServer server =
        h100Llama70b().toBuilder()
            .source(
                GcsStreamingSource.builder()
                    .location(GcsLocation.of("models", "meta-llama/llama-3.3-70b-instruct"))
                    .build())
            .maxNumSeqs(128)
            .kvCacheDtype("fp8")
            .prefixCaching(true)
            .blockSize(32)
            .speculative(Speculative.ngram(5, 4))
            .kvOffloadingGib(120)
            .addLoraAdapter(
                LoraAdapter.of("sql", HuggingFaceSource.builder().modelId("org/sql-lora").build()))
            .maxLoraRank(16)
            .imageDigest("sha256:" + "a".repeat(64))
            .build();
    Container c = container(server);
    assertThat(c.getArgs())
        .contains(
            "--model=gs://models/meta-llama/llama-3.3-70b-instruct",
            "--load-format=runai_streamer",
            "--max-num-seqs=128",
            "--kv-cache-dtype=fp8",
            "--enable-prefix-caching",
            "--block-size=32",
            "--speculative-config={\"method\":\"ngram\",\"num_speculative_tokens\":5,"
                + "\"prompt_lookup_max\":4}",
            "--kv-offloading-size=120",
            "--enable-lora",
            "--max-lora-rank=16",
            "sql=org/sql-lora");
    assertThat(c.getImage()).isEqualTo("vllm/vllm-openai:v0.11.2@sha256:" + "a".repeat(64));
    BundleAssertions.assertSchemaValid(server.render());
  }

  @Test
  void plan_fromFitPlanner_setsPlacementParallelismAndMemoryFlags() {
    // Llama-3.3-70B in bf16 (141 GB of weights) cannot fit on fewer than two 80 GB H100s
    FitPlan plan =
        FitPlanner.planOn(
            FitRequest.builder()
                .architecture(
                    ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
                .maxModelLen(32768)
                .build(),
            "nvidia-h100-80gb",
            4);
    assertThat(plan.feasible()).isTrue();
    VllmServer server = h100Llama70b().toBuilder().plan(plan).build();
    Container c = container(server);
    assertThat(server.placement().devices()).isEqualTo(plan.devices());
    assertThat(c.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity(String.valueOf(plan.devices())));
    assertThat(c.getArgs())
        .contains(
            "--tensor-parallel-size=" + plan.tensorParallelism(),
            "--max-model-len=32768",
            "--kv-cache-dtype=" + plan.kvCacheDtype().flag(),
            "--block-size=" + plan.blockSize());
    BundleAssertions.assertSchemaValid(server.render());
  }

  @Test
  void plan_withFp8Weights_rendersAnFp8Server() {
    FitRequest bf16 =
        FitRequest.builder()
            .architecture(ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
            .maxModelLen(32768)
            .build();
    FitRequest fp8 = bf16.toBuilder().weightDtype(DataType.FP8_E4M3).build();

    VllmServer plain =
        h100Llama70b().toBuilder().plan(FitPlanner.planOn(bf16, "nvidia-h100-80gb", 4)).build();
    VllmServer quantized =
        h100Llama70b().toBuilder().plan(FitPlanner.planOn(fp8, "nvidia-h100-80gb", 4)).build();

    assertThat(container(plain).getArgs()).noneMatch(a -> a.startsWith("--quantization"));
    assertThat(quantized.quantization()).contains("fp8");
    assertThat(container(quantized).getArgs()).contains("--quantization=fp8");
    assertThat(quantized.render().workload().flags()).containsEntry("--quantization", "fp8");
    BundleAssertions.assertSchemaValid(quantized.render());
  }

  @Test
  void defaultImage_runsTheReleaseThePlannerAssumes() {
    // the planner sizes the KV cache with the default utilization of VllmVersion.PINNED; a plan
    // for the default image must assume the release that image runs
    VllmServer server =
        l4Llama8b().toBuilder().gpuMemoryUtilization(java.util.OptionalDouble.empty()).build();
    assertThat(server.image()).isEqualTo(VllmServer.DEFAULT_IMAGE);
    assertThat(server.vllmVersion()).contains(VllmVersion.PINNED);
    assertThat(
            FitRequest.builder()
                .architecture(server.architecture().orElseThrow())
                .build()
                .gpuMemoryUtilization())
        .isEqualTo(VllmVersion.PINNED.defaultGpuMemoryUtilization());
    // without an explicit share the flag is left to the image's own vLLM default
    assertThat(container(server).getArgs())
        .noneMatch(a -> a.startsWith("--gpu-memory-utilization"));
    assertThat(server.toBuilder().image("vllm/vllm-openai:v0.21.0").build().vllmVersion())
        .contains(VllmVersion.CUDA_GRAPH_PROFILING);
  }

  @Test
  void build_unpinnedOrInjectedImage_isRejectedAtImage() {
    for (String image :
        java.util.List.of(
            "vllm/vllm-openai", "vllm/vllm-openai:latest", "vllm/vllm-openai:v0.1;curl x|sh")) {
      assertThatThrownBy(() -> l4Llama8b().toBuilder().image(image).build())
          .as(image)
          .isInstanceOfSatisfying(
              SdkValidationException.class,
              e -> assertThat(e.violations()).extracting(Violation::path).containsExactly("image"));
    }
  }

  @Test
  void build_tensorParallelismAboveGpus_isRejected() {
    assertThatThrownBy(() -> l4Llama8b().toBuilder().tensorParallelism(4).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("tensorParallelism"));
  }

  @Test
  void build_manyBadFields_reportsEveryPathAtOnce() {
    assertThatThrownBy(
            () ->
                l4Llama8b().toBuilder()
                    .name("Bad_Name")
                    .maxModelLen(1_000_000)
                    .gpuMemoryUtilization(1.5)
                    .kvCacheDtype("int3")
                    .addExtraArgs("--max-model-len=4096")
                    .putEnv("LD_LIBRARY_PATH", "${LD_LIBRARY_PATH}:/usr/local/nvidia/lib64")
                    .addLoraAdapter(LoraAdapter.inModelBucket("a", "adapters/a"))
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder(
                        "name",
                        "maxModelLen",
                        "gpuMemoryUtilization",
                        "kvCacheDtype",
                        "extraArgs[0]",
                        "env.LD_LIBRARY_PATH",
                        "maxLoraRank"));
  }

  @Test
  void build_ramFileCacheLeavingTooLittleMemory_isRejected() {
    // g2-standard-4 has 16 GB; the 16 GB of Llama-3.1-8B weights in the RAM file cache leave
    // less than the 8 GiB the SDK requires for the server
    assertThatThrownBy(
            () ->
                l4Llama8b().toBuilder()
                    .placement(
                        p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-4"))
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("placement.machineType"));
  }

  @Test
  void build_tpuAccelerator_isRejected() {
    assertThatThrownBy(
            () ->
                l4Llama8b().toBuilder()
                    .placement(p -> p.accelerator("tpu-v6e-slice").devices(4).tpuTopology("2x2"))
                    .tensorParallelism(4)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("placement.accelerator"));
  }

  @Test
  void build_literalTokensInArgsEnvAndServedName_areErrorsAtTheirPaths_masked() {
    String hf = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    String sk = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa";

    assertThatThrownBy(
            () ->
                l4Llama8b().toBuilder()
                    .addExtraArgs("--hf-token=" + hf)
                    .putEnv("OPENAI_API_KEY", sk)
                    .putEnv("HUGGING_FACE_HUB_TOKEN", hf)
                    .servedModelName(hf)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> {
              assertThat(e.violations())
                  .extracting(Violation::path)
                  .containsExactlyInAnyOrder(
                      "extraArgs[0]",
                      "servedModelName",
                      "env.OPENAI_API_KEY",
                      "env.HUGGING_FACE_HUB_TOKEN");
              assertThat(e.violations())
                  .allSatisfy(v -> assertThat(v.message()).contains("SecretRef"));
              assertThat(e.getMessage()).doesNotContain(hf, sk);
            });
  }

  @Test
  void render_withWorkloadIdentity_grantsTheKsaReadOnlyAccessToExactlyTheModelBucket() {
    VllmServer server = l4Llama8b();
    RenderedSet set = server.render();
    List<IamPolicyMember> grants = set.kubernetesObjects(IamPolicyMember.class);
    assertThat(grants)
        .singleElement()
        .satisfies(
            g -> {
              SchemaValidator.forTests().assertValid(g);
              assertThat(g.getMetadata().getName()).isEqualTo("llama-3-1-8b-model-reader");
              assertThat(g.getMetadata().getNamespace()).isEqualTo("inference");
              assertThat(g.spec().role()).isEqualTo("roles/storage.objectViewer");
              assertThat(g.spec().member())
                  .isEqualTo(POOL.principal("inference", "llama-3-1-8b"))
                  .endsWith("/subject/ns/inference/sa/llama-3-1-8b");
              assertThat(g.spec().resourceRef().kind()).isEqualTo("StorageBucket");
              assertThat(g.spec().resourceRef().external()).isEqualTo("my-project-models");
            });
    assertThat(deployment(server).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("llama-3-1-8b");
  }

  @Test
  void render_withoutIdentityOrFromTheHub_rendersNoGrant() {
    VllmServer anonymous = l4Llama8b().toBuilder().workloadIdentity(Optional.empty()).build();
    assertThat(anonymous.render().kubernetesObjects(IamPolicyMember.class)).isEmpty();
    VllmServer hub =
        l4Llama8b().toBuilder()
            .source(HuggingFaceSource.builder().modelId("meta-llama/Llama-3.1-8B-Instruct").build())
            .workloadIdentity(POOL)
            .build();
    assertThat(hub.bucketGrants()).isEmpty();
  }

  @Test
  void render_withGoogleServiceAccount_grantsThatAccount() {
    VllmServer server =
        l4Llama8b().toBuilder()
            .googleServiceAccount("vllm-online@my-project.iam.gserviceaccount.com")
            .workloadIdentity(POOL)
            .build();
    assertThat(server.bucketGrants())
        .singleElement()
        .satisfies(
            g ->
                assertThat(g.member())
                    .isEqualTo("serviceAccount:vllm-online@my-project.iam.gserviceaccount.com"));
  }

  @Test
  void render_existingServiceAccount_rendersNoneAndTheGrantNamesIt() {
    VllmServer server =
        l4Llama8b().toBuilder().serviceAccountName("model-readers").workloadIdentity(POOL).build();
    RenderedSet set = server.render();
    assertThat(set.kubernetesObjects(ServiceAccount.class)).isEmpty();
    assertThat(deployment(server).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("model-readers");
    assertThat(set.kubernetesObjects(IamPolicyMember.class))
        .singleElement()
        .satisfies(g -> assertThat(g.spec().member()).endsWith("/ns/inference/sa/model-readers"));
  }

  @Test
  void build_existingServiceAccountWithGoogleAccount_isRejected() {
    assertThatThrownBy(
            () ->
                l4Llama8b().toBuilder()
                    .serviceAccountName("Model_Readers")
                    .googleServiceAccount("vllm-online@my-project.iam.gserviceaccount.com")
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("serviceAccountName", "googleServiceAccount"));
  }

  @Test
  void render_imagePullPolicy_isTheSpecs() {
    assertThat(container(l4Llama8b()).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(
            container(l4Llama8b().toBuilder().imagePullPolicy("Always").build())
                .getImagePullPolicy())
        .isEqualTo("Always");
    assertThatThrownBy(() -> l4Llama8b().toBuilder().imagePullPolicy("always").build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("imagePullPolicy");
  }

  @Test
  void render_explicitRequestsAndLimits_replaceTheNodeShareAndKeepTheGpus() {
    VllmServer server =
        l4Llama8b().toBuilder()
            .cpuRequest("8")
            .memoryRequest("32Gi")
            .cpuLimit("12")
            .memoryLimit("40Gi")
            .build();
    var r = container(server).getResources();
    assertThat(r.getRequests())
        .containsEntry("cpu", new Quantity("8"))
        .containsEntry("memory", new Quantity("32Gi"))
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(r.getLimits())
        .containsEntry("cpu", new Quantity("12"))
        .containsEntry("memory", new Quantity("40Gi"))
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    // without a stated memory limit, the limit follows the request
    var onlyMemory =
        container(l4Llama8b().toBuilder().memoryRequest("32Gi").build()).getResources();
    assertThat(onlyMemory.getLimits()).containsEntry("memory", new Quantity("32Gi"));
    assertThat(onlyMemory.getLimits()).doesNotContainKey("cpu");
  }

  @Test
  void build_requestsAboveWhatTheMachineLeaves_andBadQuantities_areRejected() {
    // g2-standard-16 has 16 vCPUs and 64 GB: all of it is more than any pod can get
    assertThatThrownBy(() -> l4Llama8b().toBuilder().cpuRequest("16").memoryRequest("64Gi").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> {
              assertThat(e.violations())
                  .extracting(Violation::path)
                  .containsExactly("cpuRequest", "memoryRequest");
              assertThat(e.getMessage()).contains("g2-standard-16");
            });
    assertThatThrownBy(
            () -> l4Llama8b().toBuilder().cpuRequest("8 cores").memoryRequest("32GB").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("cpuRequest", "memoryRequest"));
    assertThatThrownBy(() -> l4Llama8b().toBuilder().cpuRequest("8").cpuLimit("4").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations()).extracting(Violation::path).containsExactly("cpuLimit"));
  }

  @Test
  void render_defaultRequests_leaveTheSystemPodHeadroomFree() {
    // the server alone on its g2-standard-16: its requests plus the FUSE sidecar and RAM cache fit
    // in what NodeAllocatable leaves after kube-reserved, eviction and system DaemonSets
    VllmServer server = l4Llama8b();
    var requests = container(server).getResources().getRequests();
    long cpu = (long) (Quantity.getAmountInBytes(requests.get("cpu")).doubleValue() * 1000);
    VllmRendering.NodeRoom room = new VllmRendering(server).nodeRoom();
    assertThat(cpu).isLessThanOrEqualTo(room.cpuMillis()).isGreaterThan(room.cpuMillis() - 100);
  }

  @Test
  void render_prefetchSidecar_takesItsRequestsFromTheServersShare() {
    GcsFuseSource fuse = (GcsFuseSource) l4Llama8b().source();
    VllmServer init =
        l4Llama8b().toBuilder().source(fuse.toBuilder().prefetch(true).build()).build();
    VllmServer sidecar =
        l4Llama8b().toBuilder()
            .source(
                fuse.toBuilder()
                    .prefetch(true)
                    .prefetchMode(GcsFuseSource.PrefetchMode.SIDECAR)
                    .build())
            .build();
    long initCpu = new VllmRendering(init).resources().cpuRequestMillis();
    long sidecarCpu = new VllmRendering(sidecar).resources().cpuRequestMillis();
    // the sidecar's 500m run beside the server for the pod's life; an init container's do not
    assertThat(initCpu - sidecarCpu).isEqualTo(GcsFuseSource.PREFETCH_CPU_MILLIS);
    PodSpec pod = deployment(sidecar).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers())
        .anySatisfy(
            c -> {
              assertThat(c.getName()).isEqualTo("gcsfuse-prefetch");
              assertThat(c.getRestartPolicy()).isEqualTo("Always");
            });
  }
}
