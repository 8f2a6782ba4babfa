package io.github.gkeinference.accelerators.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.container.v1.Cluster;
import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.computeclass.PriorityRule;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.testing.compute.FakeCompute;
import io.github.gkeinference.testing.gke.FakeClusterManager;
import io.github.gkeinference.testing.quotas.FakeCloudQuotas;
import io.github.gkeinference.testing.serviceusage.FakeServiceUsage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreflightTest {
  private static final String P = "my-project";
  private static final String R = "us-central1";

  private FakeCompute compute;
  private FakeCloudQuotas quotas;
  private FakeServiceUsage usage;
  private FakeClusterManager gke;

  @BeforeEach
  void start() {
    compute = FakeCompute.start();
    quotas = FakeCloudQuotas.start();
    usage = FakeServiceUsage.start();
    gke = FakeClusterManager.start();
    compute
        .putRegion(P, R, List.of("us-central1-a", "us-central1-b"))
        .offerAccelerator(P, "us-central1-a", "nvidia-l4")
        .offerAccelerator(P, "us-central1-b", "nvidia-l4")
        .offerAccelerator(P, "europe-west4-a", "nvidia-h200-141gb");
    usage.enable(P, "container.googleapis.com", "compute.googleapis.com");
  }

  @AfterEach
  void stop() {
    compute.close();
    quotas.close();
    usage.close();
    gke.close();
  }

  private Preflight preflight() {
    return Preflight.builder()
        .regions(compute.regionsClient())
        .acceleratorTypes(compute.acceleratorTypesClient())
        .cloudQuotas(quotas.client())
        .serviceUsage(usage.client())
        .clusterManager(gke.client())
        .build();
  }

  private static PreflightRequest.Builder request() {
    return PreflightRequest.builder().project(P).region(R).clusterVersion("1.34.1-gke.1127000");
  }

  private static AcceleratorDemand l4(int min, int max) {
    return AcceleratorDemand.builder()
        .name("vllm")
        .accelerator("nvidia-l4")
        .devices(1)
        .minReplicas(min)
        .maxReplicas(max)
        .build();
  }

  /** An L4 class whose chain is on-demand, then Spot. */
  private static AcceleratorComputeClass onDemandThenSpot() {
    return AcceleratorComputeClass.builder()
        .accelerator("nvidia-l4")
        .devices(1)
        .priorities(List.of(PriorityRule.onDemand(), PriorityRule.spotVms()))
        .build();
  }

  @Test
  void quota_enough_passes() {
    compute.putQuota(P, R, "NVIDIA_L4_GPUS", 8, 2);
    PreflightReport report = preflight().run(request().addDemand(l4(1, 4)).build());
    PreflightCheck row = report.rows("quota").get(0);
    // 8 - 2 = 6 free >= 4 devices for max replicas
    assertThat(row.status()).isEqualTo(CheckStatus.PASS);
    assertThat(row.subject()).isEqualTo("NVIDIA_L4_GPUS for vllm");
    assertThat(row.detail()).contains("limit 8, usage 2, 6 free");
    assertThat(report.failed()).isFalse();
  }

  @Test
  void quota_tooLittle_failsWithIncreaseFix() {
    compute.putQuota(P, R, "NVIDIA_L4_GPUS", 4, 4);
    PreflightReport report = preflight().run(request().addDemand(l4(2, 4)).build());
    PreflightCheck row = report.rows("quota").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.FAIL);
    // usage 4 + 4 devices for the max replicas
    assertThat(row.fix()).contains("request NVIDIA_L4_GPUS >= 8 in us-central1");
    assertThat(row.fix()).contains("add a Spot priority");
    assertThat(report.failed()).isTrue();
  }

  @Test
  void quota_enoughForMinNotMax_warns() {
    compute.putQuota(P, R, "NVIDIA_L4_GPUS", 3, 0);
    PreflightCheck row =
        preflight().run(request().addDemand(l4(1, 4)).build()).rows("quota").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.WARN);
    assertThat(row.detail()).contains("cannot reach 4 replicas");
  }

  @Test
  void quota_preemptibleOnly_chainPassesOnSpot() {
    compute
        .putQuota(P, R, "NVIDIA_L4_GPUS", 0, 0)
        .putQuota(P, R, "PREEMPTIBLE_NVIDIA_L4_GPUS", 8, 0);
    AcceleratorComputeClass cc = onDemandThenSpot();
    PreflightReport report =
        preflight().run(request().addDemand(AcceleratorDemand.of("vllm", cc, 1, 2)).build());
    List<PreflightCheck> quota = report.rows("quota");
    assertThat(quota)
        .extracting(PreflightCheck::subject, PreflightCheck::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("NVIDIA_L4_GPUS for vllm", CheckStatus.WARN),
            org.assertj.core.groups.Tuple.tuple(
                "PREEMPTIBLE_NVIDIA_L4_GPUS for vllm", CheckStatus.PASS));
    PreflightCheck chain = report.rows("fallback-chain").get(0);
    assertThat(chain.status()).isEqualTo(CheckStatus.PASS);
    assertThat(chain.detail()).contains("priority 2 (SPOT, PREEMPTIBLE_NVIDIA_L4_GPUS)");
    assertThat(report.failed()).isFalse();
  }

  @Test
  void quota_noPriorityHasRoom_chainFails() {
    compute
        .putQuota(P, R, "NVIDIA_L4_GPUS", 0, 0)
        .putQuota(P, R, "PREEMPTIBLE_NVIDIA_L4_GPUS", 0, 0);
    AcceleratorComputeClass cc = onDemandThenSpot();
    PreflightReport report =
        preflight().run(request().addDemand(AcceleratorDemand.of("vllm", cc, 1, 1)).build());
    assertThat(report.rows("fallback-chain").get(0).status()).isEqualTo(CheckStatus.FAIL);
    assertThat(report.failed()).isTrue();
  }

  @Test
  void tpuQuota_readFromCloudQuotas() {
    quotas.putRegionalQuota(
        P,
        "compute.googleapis.com",
        "TPU-LITE-PODSLICE-V5-per-project-region",
        "compute.googleapis.com/tpu_lite_podslice_v5",
        R,
        4);
    AcceleratorDemand tpu =
        AcceleratorDemand.builder()
            .name("jetstream")
            .accelerator("tpu-v5-lite-podslice")
            .devices(8)
            .build();
    PreflightReport report = preflight().run(request().addDemand(tpu).build());
    PreflightCheck row = report.rows("quota").get(0);
    // 4 chips of limit < 8 chips for one replica
    assertThat(row.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(row.detail()).contains("limit 4").contains("limit from Cloud Quotas");
    assertThat(quotas.calls()).containsExactly("ListQuotaInfos");
    // a TPU deployment needs the TPU API checked too
    assertThat(report.rows("api"))
        .extracting(PreflightCheck::subject)
        .contains("tpu.googleapis.com");
  }

  @Test
  void api_disabled_failsWithEnableCommand() {
    PreflightReport report = preflight().run(request().addFeature(Feature.ASYNC_PUBSUB).build());
    PreflightCheck pubsub =
        report.rows("api").stream()
            .filter(r -> r.subject().equals("pubsub.googleapis.com"))
            .findFirst()
            .orElseThrow();
    assertThat(pubsub.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(pubsub.fix())
        .isEqualTo("gcloud services enable pubsub.googleapis.com --project my-project");
    assertThat(report.rows("api").get(0).status()).isEqualTo(CheckStatus.PASS);
    assertThat(usage.calls()).containsExactly("BatchGetServices");
  }

  @Test
  void gkeVersion_tooOld_failsWithUpgradeAndSource() {
    PreflightReport report =
        preflight()
            .run(
                request()
                    .clusterVersion("1.33.5-gke.1000")
                    .addFeature(Feature.MULTI_CLUSTER_INFERENCE_GATEWAY)
                    .build());
    PreflightCheck row = report.rows("gke-version").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(row.subject()).isEqualTo("MULTI_CLUSTER_INFERENCE_GATEWAY >= 1.34.1-gke.1127000");
    assertThat(row.fix())
        .contains("--cluster-version 1.34.1-gke.1127000")
        .contains("setup-multicluster-inference-gateway");
  }

  @Test
  void gkeVersion_readFromGke_whenOnlyTheClusterIsNamed() {
    gke.putCluster(
        "projects/my-project/locations/us-central1",
        Cluster.newBuilder()
            .setName("inference")
            .setCurrentMasterVersion("1.28.9-gke.100")
            .build());
    PreflightReport report =
        preflight()
            .run(
                PreflightRequest.builder()
                    .project(P)
                    .region(R)
                    .clusterName("inference")
                    .addFeature(Feature.NATIVE_SIDECARS)
                    .build());
    PreflightCheck row = report.rows("gke-version").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(row.detail()).contains("1.28.9-gke.100");
    assertThat(gke.calls()).containsExactly("GetCluster");
  }

  @Test
  void gkeVersion_newEnough_passes_andPatchlessFloorsCompare() {
    PreflightReport report =
        preflight()
            .run(
                request()
                    .clusterVersion("1.29.0-gke.1")
                    .addFeature(Feature.NATIVE_SIDECARS)
                    .build());
    assertThat(report.rows("gke-version").get(0).status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void accelerator_notOfferedInRegion_fails() {
    AcceleratorDemand h200 =
        AcceleratorDemand.builder().name("big").accelerator("nvidia-h200-141gb").devices(8).build();
    PreflightReport report = preflight().run(request().addDemand(h200).build());
    PreflightCheck row = report.rows("accelerator-offered").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(row.detail()).isEqualTo("not offered in any zone of us-central1");
  }

  @Test
  void accelerator_offered_listsZones() {
    compute.putQuota(P, R, "NVIDIA_L4_GPUS", 8, 0);
    PreflightCheck row =
        preflight().run(request().addDemand(l4(1, 1)).build()).rows("accelerator-offered").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.PASS);
    assertThat(row.detail()).isEqualTo("offered in us-central1-a, us-central1-b");
  }

  @Test
  void permissionDenied_namesThePermission_andOtherChecksGoOn() {
    compute.putQuota(P, R, "NVIDIA_L4_GPUS", 8, 0);
    compute.denyNext("regions.get", "compute.regions.get");
    PreflightReport report = preflight().run(request().addDemand(l4(1, 1)).build());
    PreflightCheck row = report.rows("quota").get(0);
    assertThat(row.status()).isEqualTo(CheckStatus.WARN);
    assertThat(row.missingPermission()).isEqualTo("compute.regions.get");
    assertThat(row.detail()).contains("lacks compute.regions.get").contains("PERMISSION_DENIED");
    // the other checks still ran
    assertThat(report.rows("accelerator-offered").get(0).status()).isEqualTo(CheckStatus.PASS);
    assertThat(report.rows("api")).allMatch(r -> r.status() == CheckStatus.PASS);
  }

  @Test
  void noClients_everyRowSaysWhichPermissionItNeeded() {
    PreflightReport report =
        Preflight.builder()
            .missingClientReason("no Application Default Credentials")
            .build()
            .run(request().clusterVersion("1.34.1-gke.1127000").addDemand(l4(1, 1)).build());
    assertThat(report.checks())
        .filteredOn(r -> !r.check().equals("gke-version"))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(CheckStatus.WARN);
              assertThat(r.missingPermission()).isNotNull();
              assertThat(r.detail()).contains("no Application Default Credentials");
            });
    assertThat(report.rows("quota").get(0).missingPermission()).isEqualTo("compute.regions.get");
    assertThat(report.rows("api").get(0).missingPermission())
        .isEqualTo("serviceusage.services.get");
  }

  @Test
  void request_badInput_listsEveryField() {
    assertThatThrownBy(
            () ->
                PreflightRequest.builder()
                    .project("X")
                    .region("central")
                    .clusterVersion("latest")
                    .addDemand(l4(1, 1).toBuilder().accelerator("nvidia-z9").build())
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .satisfies(
            e ->
                assertThat(((SdkValidationException) e).violations())
                    .extracting(v -> v.path())
                    .containsExactly(
                        "project", "region", "clusterVersion", "demands[0].accelerator"));
  }
}
