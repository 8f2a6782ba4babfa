package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.emit.KubernetesApplier;
import io.github.gkeinference.testing.kubernetes.KubernetesTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code apply} and {@code diff} against the fabric8 mock server, reached through a kubeconfig. */
class ApplyDiffCommandTest {
  @TempDir Path tmp;
  private KubernetesTestServer k8s;
  private Path kubeconfig;
  private Path manifests;

  @BeforeEach
  void start() throws IOException {
    k8s = KubernetesTestServer.start();
    kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        contexts:
        - name: mock
          context:
            cluster: mock
            user: mock
        current-context: mock
        users:
        - name: mock
          user:
            token: not-a-secret
        """
            .formatted(k8s.client().getConfiguration().getMasterUrl()));
    manifests = tmp.resolve("online");
    assertThat(new CliRun().run("render", "online-inference-gpu", "--out", manifests.toString()))
        .isZero();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  private CliRun run(String... args) {
    CliRun cli = new CliRun();
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(kubeconfig.toString());
    cli.run(all.toArray(String[]::new));
    return cli;
  }

  private int code(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(kubeconfig.toString());
    return new CliRun().run(all.toArray(String[]::new));
  }

  private long objectFiles() throws IOException {
    try (Stream<Path> files = Files.list(manifests)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
          .count();
    }
  }

  private List<Deployment> deployments() {
    return k8s.client().apps().deployments().inAnyNamespace().list().getItems();
  }

  @Test
  void applyWithPolicy_disallowedAccelerator_appliesNothingAndExits2() throws IOException {
    // the same sample on an A100, which the platform policy does not allow; its other objects
    // (namespace, service account, service) are allowed and must not be applied either
    Path a100 = tmp.resolve("a100");
    assertThat(
            new CliRun()
                .run(
                    "render",
                    "online-inference-gpu",
                    "--accelerator",
                    "nvidia-a100-80gb",
                    "--out",
                    a100.toString()))
        .isZero();

    CliRun cli = run("apply", a100.toString(), "--policy", PolicyOptionTest.PLATFORM.toString());

    assertThat(cli.out()).isEmpty();
    assertThat(cli.err())
        .contains("not an allowed accelerator")
        .contains("(rejected: nvidia-a100-80gb)")
        .contains("error: refused by the policy");
    assertThat(deployments()).isEmpty();
    assertThat(k8s.client().namespaces().list().getItems()).isEmpty();
    assertThat(k8s.client().services().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(code("apply", a100.toString(), "--policy", PolicyOptionTest.PLATFORM.toString()))
        .isEqualTo(GkeInferenceCli.INVALID);
  }

  @Test
  void applyWithPolicy_allowedBundle_appliesEverything() throws IOException {
    CliRun cli =
        run("apply", manifests.toString(), "--policy", PolicyOptionTest.PLATFORM.toString());

    assertThat(cli.out()).as(cli.err()).contains(objectFiles() + " created");
    // the platform policy only warns about the missing cost-center label
    assertThat(cli.err())
        .contains("policy platform:")
        .contains("cost-center")
        .doesNotContain("refused");
    assertThat(deployments()).hasSize(1);
  }

  @Test
  void applyDryRun_printsALinePerObjectAndASummary_andChangesNothing() throws IOException {
    CliRun cli = run("apply", manifests.toString(), "--dry-run");

    assertThat(cli.err().lines())
        .containsExactly(
            "cluster: context mock, API server " + k8s.client().getConfiguration().getMasterUrl());
    List<String> lines = cli.out().lines().toList();
    assertThat(lines.stream().filter(l -> l.endsWith(": created (dry run)")).count())
        .as(cli.out())
        .isEqualTo(objectFiles());
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("Deployment inference/"))
        .last()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(objectFiles() + " objects in apply set online: ")
                    .contains(objectFiles() + " created")
                    .endsWith("(server-side dry run: nothing was changed)"));
    assertThat(deployments()).isEmpty();
  }

  @Test
  void diff_beforeAndAfterApply_showsAddedThenUnchangedThenTheChangedField() throws IOException {
    CliRun before = run("diff", manifests.toString());
    assertThat(before.out().lines().filter(l -> l.startsWith("+ ")).count())
        .isEqualTo(objectFiles());
    assertThat(before.out()).contains(objectFiles() + " to create, 0 to change");

    CliRun apply = run("apply", manifests.toString());
    assertThat(apply.out()).contains(objectFiles() + " created").doesNotContain("dry run");
    assertThat(deployments())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.getMetadata().getLabels())
                    .containsEntry(KubernetesApplier.APPLY_SET_LABEL, "online"));

    CliRun same = run("diff", manifests.toString());
    assertThat(same.out().lines().filter(l -> l.startsWith("= ")).count()).isEqualTo(objectFiles());
    assertThat(code("diff", manifests.toString())).isEqualTo(GkeInferenceCli.OK);

    Path deployment;
    try (Stream<Path> files = Files.list(manifests)) {
      deployment =
          files.filter(f -> f.getFileName().toString().contains("-deployment-")).findFirst().get();
    }
    String yaml = Files.readString(deployment);
    assertThat(yaml).contains("replicas: 1");
    Files.writeString(deployment, yaml.replace("replicas: 1", "replicas: 3"));

    CliRun changed = run("diff", manifests.toString());
    assertThat(changed.out())
        .containsPattern("(?m)^~ Deployment inference/\\S+: .*spec\\.replicas");
    assertThat(changed.out()).contains("0 to create, 1 to change");
    assertThat(code("diff", manifests.toString())).isEqualTo(GkeInferenceCli.FINDINGS);
  }

  @Test
  void applyPrune_deletesTheObjectRemovedFromTheDirectory() throws IOException {
    Path extra = manifests.resolve("99-service-extra.yaml");
    Files.writeString(
        extra,
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: extra
          namespace: inference
        spec:
          ports:
          - port: 80
        """);
    assertThat(code("apply", manifests.toString())).isZero();
    assertThat(k8s.client().services().inNamespace("inference").withName("extra").get())
        .isNotNull();
    Files.delete(extra);

    CliRun cli = run("apply", manifests.toString(), "--prune");

    assertThat(cli.out()).containsPattern("(?m)^Service inference/extra: pruned$");
    assertThat(k8s.client().services().inNamespace("inference").withName("extra").get()).isNull();
    assertThat(k8s.client().services().inNamespace("inference").list().getItems()).hasSize(1);
  }

  @Test
  void apply_notAKubernetesObject_exits2_beforeTalkingToTheCluster() throws IOException {
    Files.writeString(manifests.resolve("zz-extra.yaml"), "apiVersion: v1\nmetadata:\n  name: x\n");
    int before = k8s.requests().size();

    CliRun cli = run("apply", manifests.toString());

    assertThat(cli.err().strip())
        .isEqualTo(manifests.resolve("zz-extra.yaml") + ": not a Kubernetes object: missing kind");
    assertThat(k8s.requests()).hasSize(before);
  }

  @Test
  void diff_clusterUnreachable_exits2_notTheExitForDifferences() throws IOException {
    k8s.close(); // the kubeconfig now names a server nobody answers
    CliRun cli = new CliRun();

    int exit = cli.run("diff", manifests.toString(), "--kubeconfig", kubeconfig.toString());

    assertThat(exit).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("error: ").doesNotContain("\tat ");
  }

  @Test
  void diff_missingKubeconfig_isInvalidInput_withOneLine() {
    CliRun cli = new CliRun();

    int code =
        cli.run("diff", manifests.toString(), "--kubeconfig", tmp.resolve("nope").toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err().strip())
        .isEqualTo("error: kubeconfig " + tmp.resolve("nope") + " does not exist");
  }

  @Test
  void describe_namesTheRootCause_onOneLine() {
    var e =
        new io.github.gkeinference.core.SdkException(
            "get Deployment inference/vllm failed\n after 6 attempts",
            new IllegalStateException("io", new java.net.ConnectException("Connection refused")));

    assertThat(KubeOptions.describe(e))
        .isEqualTo(
            "get Deployment inference/vllm failed after 6 attempts"
                + " (ConnectException: Connection refused)");
  }

  @Test
  void diff_json_listsEveryObjectToCreate_withTheCounts() throws IOException {
    CliRun cli = run("diff", manifests.toString(), "-o", "json");

    JsonNode root = cli.json();
    assertThat(root.path("objects").size()).isEqualTo((int) objectFiles());
    assertThat(root.path("objects").valueStream().map(o -> o.path("change").asString()))
        .containsOnly("create");
    assertThat(root.path("summary").path("create").asLong()).isEqualTo(objectFiles());
    assertThat(root.path("summary").path("change").asInt()).isZero();
    assertThat(root.path("objects").valueStream().map(o -> o.path("kind").asString()))
        .contains("Deployment");
    assertThat(code("diff", manifests.toString(), "-o", "yaml"))
        .isEqualTo(GkeInferenceCli.FINDINGS);
  }

  @Test
  void applyWithWait_reportsAWorkloadThatNeverBecomesReady_exit1() throws IOException {
    // the mock server runs no controllers: a Deployment never reports ready replicas
    CliRun cli = run("apply", manifests.toString(), "--wait", "1s");

    assertThat(code("apply", manifests.toString())).isZero();
    List<String> lines = cli.out().lines().toList();
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l).startsWith("Deployment inference/").endsWith(": created, not ready"));
    assertThat(lines.get(lines.size() - 1)).contains("; 0 ready, 1 not ready");
    assertThat(code("apply", manifests.toString(), "--wait", "1s"))
        .isEqualTo(GkeInferenceCli.FINDINGS);
    // no progress text without a terminal
    assertThat(cli.out() + cli.err()).doesNotContain("\r", "waiting for readiness");
  }
}
