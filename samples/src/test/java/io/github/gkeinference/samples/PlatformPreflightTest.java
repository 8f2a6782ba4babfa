package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.preflight.CheckStatus;
import io.github.gkeinference.accelerators.preflight.Preflight;
import io.github.gkeinference.accelerators.preflight.PreflightCheck;
import io.github.gkeinference.accelerators.preflight.PreflightReport;
import io.github.gkeinference.testing.compute.FakeCompute;
import io.github.gkeinference.testing.quotas.FakeCloudQuotas;
import io.github.gkeinference.testing.serviceusage.FakeServiceUsage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The platform's preflight, against fakes of a project set up for it. */
class PlatformPreflightTest {
  @Test
  void preflight_ofAPreparedProject_failsNothing_andSaysWhatItCouldNotCheck() {
    try (FakeCompute compute = FakeCompute.start();
        FakeCloudQuotas quotas = FakeCloudQuotas.start();
        FakeServiceUsage usage = FakeServiceUsage.start()) {
      String p = Platform.PROJECT;
      String r = Platform.REGION;
      compute
          .putRegion(p, r, List.of("us-central1-a", "us-central1-c"))
          // on-demand L4 for every node; H100 only preemptible (Spot and flex-start)
          .putQuota(p, r, "NVIDIA_L4_GPUS", 4, 0)
          .putQuota(p, r, "PREEMPTIBLE_NVIDIA_L4_GPUS", 0, 0)
          .putQuota(p, r, "NVIDIA_H100_GPUS", 0, 0)
          .putQuota(p, r, "PREEMPTIBLE_NVIDIA_H100_GPUS", 64, 0)
          .offerAccelerator(p, "us-central1-a", "nvidia-l4")
          .offerAccelerator(p, "us-central1-c", "nvidia-h100-80gb");
      quotas.putRegionalQuota(
          p,
          "compute.googleapis.com",
          "TPU-LITE-PODSLICE-V5-per-project-region",
          "compute.googleapis.com/tpu_lite_podslice_v5",
          r,
          32);
      quotas.putRegionalQuota(
          p,
          "compute.googleapis.com",
          "PREEMPTIBLE-TPU-LITE-PODSLICE-V5-per-project-region",
          "compute.googleapis.com/preemptible_tpu_lite_podslice_v5",
          r,
          0);
      usage.enable(
          p,
          "container.googleapis.com",
          "compute.googleapis.com",
          "storage.googleapis.com",
          "monitoring.googleapis.com",
          "networkservices.googleapis.com",
          "tpu.googleapis.com");

      PreflightReport report =
          Preflight.builder()
              .regions(compute.regionsClient())
              .acceleratorTypes(compute.acceleratorTypesClient())
              .cloudQuotas(quotas.client())
              .serviceUsage(usage.client())
              .build()
              .run(Platform.preflight(Optional.of("1.34.1-gke.1127000")));

      assertThat(report.failed()).as(report.checks().toString()).isFalse();
      // every chain with known quota has a priority with room: L4 on-demand, H100 Spot and
      // flex-start, v5e on-demand; v6e's quota is unknown (no sourced metric), so only a warning
      assertThat(report.rows("fallback-chain"))
          .extracting(PreflightCheck::subject, PreflightCheck::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("gpu-l4-x1", CheckStatus.PASS),
              org.assertj.core.groups.Tuple.tuple("gpu-h100-80gb-x4", CheckStatus.PASS),
              org.assertj.core.groups.Tuple.tuple("gpu-h100-80gb-x8", CheckStatus.PASS),
              org.assertj.core.groups.Tuple.tuple("tpu-v6e-2x4", CheckStatus.WARN),
              org.assertj.core.groups.Tuple.tuple("tpu-v5e-2x4", CheckStatus.PASS));
      // the catalog has no sourced quota metric for TPU v6e: a warning, not a guess
      assertThat(report.rows("quota"))
          .filteredOn(c -> c.subject().contains("tpu-v6e-slice"))
          .singleElement()
          .satisfies(c -> assertThat(c.status()).isEqualTo(CheckStatus.WARN));
    }
  }
}
