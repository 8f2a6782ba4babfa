package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.policy.PolicyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** {@code --policy FILE} on render and validate, with the platform sample's policy file. */
class PolicyOptionTest {
  /** The sample policy file, from the module directory Maven runs the tests in. */
  static final Path PLATFORM = Path.of("policies", "platform.yaml");

  @TempDir Path tmp;

  @Test
  void platformPolicy_validatesAgainstSchema_andReads() throws IOException {
    String text = Files.readString(PLATFORM);
    var schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(JsonMapper.shared().readTree(PolicyFile.schema()));
    assertThat(schema.validate(YamlDocuments.read(text).get(0))).isEmpty();
    assertThat(PolicyFile.read(text).policies()).hasSize(10);
  }

  @Test
  void render_allowedAccelerator_emits() {
    CliRun r = new CliRun();
    int code =
        r.run(
            "render",
            "online-inference-gpu",
            "--label",
            "cost-center=ml",
            "--policy",
            PLATFORM.toString());
    assertThat(code).as(r.err()).isZero();
    assertThat(r.out()).contains("kind: Deployment");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void render_disallowedAccelerator_isRefusedWithExit2AndNothingEmitted() {
    CliRun r = new CliRun();
    int code =
        r.run(
            "render",
            "online-inference-gpu",
            "--accelerator",
            "nvidia-a100-80gb",
            "--label",
            "cost-center=ml",
            "--policy",
            PLATFORM.toString());
    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("not an allowed accelerator")
        .contains("(rejected: nvidia-a100-80gb)")
        .contains("error: refused by the policy");
  }

  @Test
  void render_invalidPolicyFile_listsEveryProblemWithExit2() throws IOException {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad, "kind: Policy\nrules:\n  allowedGpus: {x: 1}\n  maxReplicas: {max: many}\n");
    CliRun r = new CliRun();
    assertThat(r.run("render", "online-inference-gpu", "--policy", bad.toString()))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("rules.allowedGpus").contains("rules.maxReplicas.max");
  }

  @Test
  void bundledPrices_l4_isPositiveAndSpotIsCheaper() {
    var prices = PolicyOption.bundledPrices("us-central1");
    double onDemand = prices.usdPerDeviceHour("nvidia-l4", false).orElseThrow();
    assertThat(onDemand).isPositive();
    assertThat(prices.usdPerDeviceHour("nvidia-l4", true).orElseThrow()).isLessThan(onDemand);
    assertThat(prices.usdPerDeviceHour("no-such-gpu", false)).isEmpty();
  }

  @Test
  void render_aboveBudget_isRefused() throws IOException {
    // one cent an hour: any GPU server is above it
    Path cheap = tmp.resolve("cheap.yaml");
    Files.writeString(cheap, "kind: Policy\nrules:\n  maxHourlyUsd: {usd: 0.01}\n");
    CliRun r = new CliRun();
    assertThat(r.run("render", "online-inference-gpu", "--policy", cheap.toString()))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("estimatedUsdPerHour").contains("budget of 0.01");
  }

  @Test
  void plan_recommendationOnDisallowedAccelerator_isRefusedWithExit2() throws IOException {
    Path onlyTpu = tmp.resolve("tpu-only.yaml");
    Files.writeString(
        onlyTpu, "kind: Policy\nrules:\n  allowedAccelerators: {accelerators: [tpu-v6e-slice]}\n");
    CliRun r = new CliRun();
    int code =
        r.run(
            "plan",
            "--model",
            "meta-llama/Llama-3.1-8B-Instruct",
            "--accelerator",
            "nvidia-l4",
            "--policy",
            onlyTpu.toString());
    assertThat(code).as(r.err()).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(r.err()).contains("not an allowed accelerator").contains("(rejected: nvidia-l4)");
    // the same plan without the policy succeeds: the refusal is the policy's
    assertThat(
            new CliRun()
                .run(
                    "plan",
                    "--model",
                    "meta-llama/Llama-3.1-8B-Instruct",
                    "--accelerator",
                    "nvidia-l4"))
        .isZero();
  }

  @Test
  void validate_foreignYamlWithExternalGateway_isRefused() throws IOException {
    Path yaml = tmp.resolve("gateway.yaml");
    Files.writeString(
        yaml,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: public, namespace: ml}
        spec:
          gatewayClassName: gke-l7-global-external-managed
          listeners: [{name: http, protocol: HTTP, port: 80}]
        """);
    CliRun r = new CliRun();
    int code = r.run("validate", yaml.toString(), "--policy", PLATFORM.toString());
    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(r.out()).contains("Gateway/ml/public.spec.gatewayClassName");
  }
}
