package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.preflight.Preflight;
import io.github.gkeinference.testing.compute.FakeCompute;
import io.github.gkeinference.testing.quotas.FakeCloudQuotas;
import io.github.gkeinference.testing.serviceusage.FakeServiceUsage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PreflightCommandTest {
  private static final String SPEC = "specs/online-inference-gpu.yaml";
  private static final String P = "my-project";
  private static final String R = "us-central1";

  private FakeCompute compute;
  private FakeCloudQuotas quotas;
  private FakeServiceUsage usage;
  private final CliRun cli = new CliRun();

  @BeforeEach
  void start() {
    compute = FakeCompute.start();
    quotas = FakeCloudQuotas.start();
    usage = FakeServiceUsage.start();
    compute
        .putRegion(P, R, List.of("us-central1-a"))
        .putQuota(P, R, "NVIDIA_L4_GPUS", 8, 0)
        .putQuota(P, R, "PREEMPTIBLE_NVIDIA_L4_GPUS", 8, 0)
        .offerAccelerator(P, "us-central1-a", "nvidia-l4");
  }

  @AfterEach
  void stop() {
    compute.close();
    quotas.close();
    usage.close();
  }

  /** Runs the CLI with preflight reaching the fakes (or no clients at all) instead of Google. */
  private int run(boolean clients, String... args) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == PreflightCommand.class) {
              return type.cast(
                  new PreflightCommand(
                      (request, opened) ->
                          clients
                              ? Preflight.builder()
                                  .regions(compute.regionsClient())
                                  .acceleratorTypes(compute.acceleratorTypesClient())
                                  .cloudQuotas(quotas.client())
                                  .serviceUsage(usage.client())
                                  .build()
                              : Preflight.builder()
                                  .missingClientReason("no Application Default Credentials")
                                  .build()));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
  }

  private static String[] args(String... more) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "preflight",
                "-f",
                SPEC,
                "--project",
                P,
                "--region",
                R,
                "--cluster-version",
                "1.34.1-gke.1127000"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void json_everyCheckPasses_whenQuotaApisAndZonesAreThere() {
    // the sample spec uses GCS FUSE (storage) and ModelServerMonitoring (monitoring)
    usage.enable(
        P,
        "container.googleapis.com",
        "compute.googleapis.com",
        "storage.googleapis.com",
        "monitoring.googleapis.com");
    assertThat(run(true, args("-o", "json"))).as(cli.err()).isZero();
    JsonNode json = JsonMapper.builder().build().readTree(cli.out());
    assertThat(json.path("project").asString()).isEqualTo(P);
    assertThat(json.path("failed").asLong()).isZero();
    List<String> checks = new ArrayList<>();
    for (JsonNode c : json.path("checks")) {
      checks.add(c.path("check").asString() + " " + c.path("subject").asString());
      assertThat(c.path("status").asString()).as(c.toString()).isEqualTo("PASS");
      assertThat(c.has("missingPermission")).isFalse();
    }
    // the ComputeClass gpu-l4-x1 uses the STANDARD preset: best-effort reservation and on-demand
    // (on-demand quota), flex-start and Spot (preemptible quota)
    assertThat(checks)
        .containsExactly(
            "api container.googleapis.com",
            "api compute.googleapis.com",
            "api storage.googleapis.com",
            "api monitoring.googleapis.com",
            "accelerator-offered nvidia-l4",
            "quota NVIDIA_L4_GPUS for vllm",
            "quota PREEMPTIBLE_NVIDIA_L4_GPUS for vllm",
            "fallback-chain gpu-l4-x1");
    assertThat(json.path("passed").asLong()).isEqualTo(8);
  }

  @Test
  void json_multiModelGateway_checksTheInferenceGatewayApi() {
    // nothing enabled and no H100 quota: the point is which checks the file's kinds ask for
    int code =
        run(
            true,
            "preflight",
            "-f",
            "specs/multi-model.yaml",
            "--project",
            P,
            "--region",
            R,
            "--cluster-version",
            "1.34.1-gke.1127000",
            "-o",
            "json");

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.FINDINGS);
    List<String> checks = new ArrayList<>();
    for (JsonNode c : JsonMapper.builder().build().readTree(cli.out()).path("checks")) {
      checks.add(c.path("check").asString() + " " + c.path("subject").asString());
    }
    assertThat(checks).contains("api networkservices.googleapis.com");
  }

  @Test
  void table_disabledApi_failsWithExit1AndTheFix() {
    usage.enable(P, "container.googleapis.com", "compute.googleapis.com");
    assertThat(run(true, args())).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out())
        .containsPattern("api\\s+storage.googleapis.com\\s+FAIL")
        .contains("gcloud services enable storage.googleapis.com --project my-project")
        .contains("2 fail");
  }

  @Test
  void noCredentials_rowsNamePermissions_noStackTrace() {
    assertThat(run(false, args("-o", "yaml"))).isZero();
    assertThat(cli.out())
        .contains("missingPermission: \"compute.regions.get\"")
        .contains("missingPermission: \"serviceusage.services.get\"")
        .contains("no Application Default Credentials");
    assertThat(cli.out() + cli.err()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void badInput_exit2_listsEveryField() {
    assertThat(
            run(
                true,
                "preflight",
                "-f",
                SPEC,
                "--project",
                "X",
                "--region",
                "nowhere",
                "--cluster-version",
                "new"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("project").contains("region").contains("clusterVersion");
    assertThat(cli.err()).doesNotContain("\tat ");
  }

  @Test
  void missingRegion_exit2() {
    assertThat(run(true, "preflight", "-f", SPEC, "--project", P))
        .isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: give --project and --region, or --cluster-file");
  }
}
