package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.gkerecommender.v1.Amount;
import com.google.cloud.gkerecommender.v1.Cost;
import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartClient;
import com.google.cloud.gkerecommender.v1.ModelServerInfo;
import com.google.cloud.gkerecommender.v1.PerformanceStats;
import com.google.cloud.gkerecommender.v1.Profile;
import com.google.cloud.gkerecommender.v1.ResourcesUsed;
import io.github.gkeinference.testing.giq.FakeGkeInferenceQuickstart;
import java.io.IOException;
import java.io.PrintWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code plan --profiles giq} against the in-process GIQ fake. */
class PlanGiqProfilesTest {
  private static final String LLAMA_70B = "meta-llama/Llama-3.3-70B-Instruct";
  private static final String H100 = "nvidia-h100-80gb";

  private FakeGkeInferenceQuickstart giq;
  private final CliRun cli = new CliRun();

  @BeforeEach
  void start() {
    giq = FakeGkeInferenceQuickstart.start();
  }

  @AfterEach
  void stop() {
    giq.close();
  }

  private int run(PlanCommand.GiqOpener opener, String... args) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == PlanCommand.class) {
              return type.cast(new PlanCommand(opener));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
  }

  private int runAgainstFake(String... args) {
    return run(() -> GkeInferenceQuickstartClient.create(giq.settings()), args);
  }

  private static PerformanceStats point(float qps, int tokens, int ntpot, int ttft, long usd) {
    return PerformanceStats.newBuilder()
        .setQueriesPerSecond(qps)
        .setOutputTokensPerSecond(tokens)
        .setNtpotMilliseconds(ntpot)
        .setTtftMilliseconds(ttft)
        .addCost(
            Cost.newBuilder()
                .setPricingModel("on-demand")
                .setCostPerMillionOutputTokens(Amount.newBuilder().setUnits(usd)))
        .build();
  }

  @Test
  void plan_profilesGiq_printsTheFastestMeasuredPointWithinTheSlo() {
    giq.addProfile(
        Profile.newBuilder()
            .setModelServerInfo(
                ModelServerInfo.newBuilder()
                    .setModel(LLAMA_70B)
                    .setModelServer("vllm")
                    .setModelServerVersion("v0.7.2"))
            .setAcceleratorType(H100)
            .setInstanceType("a3-highgpu-4g")
            .setResourcesUsed(ResourcesUsed.newBuilder().setAcceleratorCount(4))
            // Default goal: TTFT 2,000 ms, NTPOT 100 ms; the second point is the fastest within.
            .addPerformanceStats(point(1.5f, 700, 30, 250, 9))
            .addPerformanceStats(point(4.25f, 1900, 90, 1500, 4))
            .addPerformanceStats(point(8f, 3100, 160, 5200, 3))
            .build());

    int code =
        runAgainstFake("plan", "--model", LLAMA_70B, "--accelerator", H100, "--profiles", "giq");

    assertThat(code).as(cli.err()).isZero();
    String giqSection = cli.out().substring(cli.out().indexOf("Measured by GKE Inference"));
    String row =
        giqSection
            .lines()
            .filter(l -> l.trim().startsWith(H100 + " ") && l.contains("vllm v0.7.2"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(cli.out()));
    assertThat(row.trim().split(" +"))
        .containsSubsequence(
            H100, "4", "a3-highgpu-4g", "vllm", "v0.7.2", "4.25", "1,900", "1500", "90", "4.00");
    assertThat(cli.out()).contains("Measured by GKE Inference Quickstart (GIQ): 1 profile(s)");
    // The plan table ranks the 4 x H100 option on the measurement, the others on the estimate.
    String option =
        cli.out()
            .lines()
            .filter(l -> l.startsWith(H100 + " x4 a3-highgpu-4g"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(cli.out()));
    assertThat(option).contains("4.25").contains("1,900").endsWith("measured (GIQ)");
    assertThat(cli.out().lines().filter(l -> l.startsWith(H100 + " x8 ")))
        .allMatch(l -> l.endsWith("estimate") || l.endsWith("-"));
    assertThat(cli.out()).contains("Ranked by $/hour of one replica");
  }

  @Test
  void plan_profilesGiq_withoutCredentials_isOneLineAndExit2() {
    int code =
        run(
            () -> {
              throw new IOException(
                  "Your default credentials were not found.\nTo set up Application Default"
                      + " Credentials, see the docs.");
            },
            "plan",
            "--model",
            LLAMA_70B,
            "--profiles",
            "giq");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.err())
        .contains("--profiles giq needs Google Cloud credentials")
        .contains("Your default credentials were not found.");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void plan_profilesGiq_permissionDenied_namesThePermission_exit2() {
    giq.denyPermission("serviceusage.services.use");

    int code =
        runAgainstFake("plan", "--model", LLAMA_70B, "--accelerator", H100, "--profiles", "giq");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("lacks the IAM permission 'serviceusage.services.use'");
  }

  @Test
  void plan_unknownProfileSource_exit2() {
    int code = runAgainstFake("plan", "--model", LLAMA_70B, "--profiles", "gcp");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("unknown --profiles 'gcp'; use estimate or giq");
    assertThat(giq.requests()).isEmpty();
  }
}
