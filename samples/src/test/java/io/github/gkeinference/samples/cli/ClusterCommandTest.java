package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Cluster;
import com.google.protobuf.util.JsonFormat;
import io.github.gkeinference.testing.gke.FakeClusterManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cluster plan} and {@code cluster create} against the in-process GKE fake. */
class ClusterCommandTest {
  private static final String NAME = "projects/my-project/locations/us-east4/clusters/inference";

  @TempDir Path tmp;
  private FakeClusterManager gke;
  private Path spec;
  private final CliRun cli = new CliRun();

  @BeforeEach
  void start() throws IOException {
    gke = FakeClusterManager.start();
    spec = tmp.resolve("cluster.yaml");
    Files.writeString(
        spec,
        """
        project: my-project
        name: inference
        location: us-east4
        releaseChannel: regular
        acceleratorLimits:
          nvidia-l4: 64
        """);
  }

  @AfterEach
  void stop() {
    gke.close();
  }

  /** Runs the CLI with the cluster command reaching the fake instead of GKE. */
  private int runWithFake(String... args) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == ClusterCommand.class) {
              return type.cast(
                  new ClusterCommand(() -> ClusterManagerClient.create(gke.settings())));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
  }

  @Test
  void clusterPlan_printsAFieldSummaryAndTheCreateRequestAsJson() throws IOException {
    assertThat(cli.run("cluster", "plan", "-f", spec.toString())).isZero();

    String out = cli.out();
    assertThat(out)
        .containsPattern("(?m)^cluster\\s+" + NAME)
        .containsPattern("release channel\\s+REGULAR")
        .containsPattern("node auto-provisioning\\s+on, accelerators: nvidia-l4 <= 64");
    Cluster.Builder parsed = Cluster.newBuilder();
    JsonFormat.parser().merge(out.substring(out.indexOf('{')), parsed);
    assertThat(parsed.getName()).isEqualTo("inference");
    assertThat(parsed.getReleaseChannel().getChannel().name()).isEqualTo("REGULAR");
    assertThat(gke.calls()).isEmpty();
  }

  @Test
  void clusterCreate_createsTheClusterWithAProgressBar() {
    gke.pollsUntilDone(3);

    int code = runWithFake("cluster", "create", "-f", spec.toString(), "--poll-interval", "0s");

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("Creating " + NAME)
        .containsPattern("\\[#{30}\\] 100% CREATE_CLUSTER DONE")
        .contains("Created " + NAME);
    assertThat(cli.out().lines().filter(l -> l.startsWith("[")).count()).isGreaterThanOrEqualTo(2);
    assertThat(gke.cluster(NAME))
        .hasValueSatisfying(c -> assertThat(c.getName()).isEqualTo("inference"));
    assertThat(gke.calls()).contains("CreateCluster");
  }

  @Test
  void clusterCreate_again_comparesWithTheSpec_andChangesNothing() {
    assertThat(runWithFake("cluster", "create", "-f", spec.toString(), "--poll-interval", "0s"))
        .isZero();
    long operations = gke.operations().size();

    int code = runWithFake("cluster", "create", "-f", spec.toString(), "--poll-interval", "0s");

    assertThat(code).as(cli.out()).isZero();
    assertThat(cli.out()).contains("Exists and matches the spec: " + NAME);
    assertThat(gke.operations()).hasSize((int) operations);
  }

  @Test
  void clusterCreate_failedOperation_isOneErrorLine_exit1() {
    gke.failNextOperation(com.google.rpc.Code.RESOURCE_EXHAUSTED, "no quota for nvidia-l4");

    int code = runWithFake("cluster", "create", "-f", spec.toString(), "--poll-interval", "0s");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.err().lines().toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("error: ")
                    .contains("RESOURCE_EXHAUSTED")
                    .contains("no quota for nvidia-l4")
                    .contains(NAME));
  }

  @Test
  void clusterCreate_invalidSpec_printsEveryViolationWithTheFile_andNeverCallsGke()
      throws IOException {
    Files.writeString(
        spec, "project: my-project\nname: Inference\nlocation: us-east4\nzonnal: true\n");

    int code = runWithFake("cluster", "create", "-f", spec.toString());

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).startsWith(spec + ": ERROR zonnal: unknown field");
    assertThat(cli.err()).doesNotContain("Exception");
    assertThat(gke.calls()).isEmpty();
  }

  @Test
  void clusterPlan_theReadmesSpecExample_isValid() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```yaml\n", readme.indexOf("A cluster spec file")) + 8;
    Files.writeString(spec, readme.substring(start, readme.indexOf("```", start)));

    assertThat(cli.run("cluster", "plan", "-f", spec.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).contains("nvidia-h100-80gb <= 16");
  }

  @Test
  void durations_readSimpleAndIsoForms() {
    var c = new ClusterCommand.DurationConverter();
    assertThat(c.convert("500ms")).hasMillis(500);
    assertThat(c.convert("10s")).hasSeconds(10);
    assertThat(c.convert("45m")).hasMinutes(45);
    assertThat(c.convert("PT2H")).hasHours(2);
  }
}
