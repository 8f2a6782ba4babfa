package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.Metric;
import com.google.api.MonitoredResource;
import com.google.monitoring.v3.Point;
import com.google.monitoring.v3.ProjectName;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import com.google.monitoring.v3.TypedValue;
import com.google.protobuf.Timestamp;
import io.github.gkeinference.testing.monitoring.FakeCloudMonitoring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code monitor provision|query} against the in-process Cloud Monitoring fake. */
class MonitorCommandTest {
  private static final Path SPEC = Path.of("specs/online-inference-gpu.yaml");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path tmp;
  private FakeCloudMonitoring cloud;
  private CliRun cli = new CliRun();

  @BeforeEach
  void start() {
    cloud = FakeCloudMonitoring.start();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private int run(MonitorCommand.ClientOpener opener, String... args) {
    cli = new CliRun();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == MonitorCommand.class) {
              return type.cast(new MonitorCommand(opener, Clock.fixed(NOW, ZoneOffset.UTC)));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
  }

  private int run(String... args) {
    return run(
        () ->
            new MonitorCommand.Clients(
                cloud.alertPolicyClient(),
                cloud.dashboardsClient(),
                cloud.serviceMonitoringClient(),
                cloud.metricClient()),
        args);
  }

  private List<String> lines(String prefix) {
    return cli.out().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void provision_createsEverything_thenRerunReportsEveryResourceUnchanged() {
    int first = run("monitor", "provision", "-f", SPEC.toString(), "--project", "my-project");

    assertThat(first).as(cli.err()).isZero();
    List<String> created = lines("created ");
    assertThat(created)
        .anySatisfy(l -> assertThat(l).startsWith("created   Dashboard "))
        .anySatisfy(l -> assertThat(l).startsWith("created   AlertPolicy "))
        .anySatisfy(l -> assertThat(l).startsWith("created   Service inference-vllm"))
        .anySatisfy(l -> assertThat(l).startsWith("created   ServiceLevelObjective "));
    assertThat(cli.out())
        .contains("Project my-project: " + created.size() + " created, 0 updated, 0 unchanged");
    assertThat(cloud.dashboards().dashboards()).hasSize(1);
    assertThat(cloud.serviceMonitoring().services())
        .containsOnlyKeys("projects/my-project/services/inference-vllm");
    cloud.requests().clear();

    int again = run("monitor", "provision", "-f", SPEC.toString(), "--project", "my-project");

    assertThat(again).as(cli.err()).isZero();
    assertThat(lines("unchanged ")).hasSameSizeAs(created);
    assertThat(lines("created ")).isEmpty();
    assertThat(cli.out())
        .contains("Project my-project: 0 created, 0 updated, " + created.size() + " unchanged");
    assertThat(cloud.requests().writes()).isEmpty();
  }

  @Test
  void provision_changedObjective_updatesOnlyWhatDepends() {
    assertThat(run("monitor", "provision", "-f", SPEC.toString(), "--project", "my-project"))
        .isZero();
    cloud.requests().clear();

    int code =
        run(
            "monitor",
            "provision",
            "-f",
            SPEC.toString(),
            "--project",
            "my-project",
            "--latency-objective",
            "500ms");

    assertThat(code).as(cli.err()).isZero();
    assertThat(lines("updated ")).isNotEmpty();
    assertThat(lines("created ")).isEmpty();
    assertThat(cloud.requests().writes()).isNotEmpty().doesNotContain("CreateAlertPolicy");
  }

  @Test
  void query_readsTheServersSeries_andListsThePromQl() {
    seed("prometheus.googleapis.com/vllm:kv_cache_usage_perc/gauge", 0.42);
    seed("prometheus.googleapis.com/vllm:kv_cache_usage_perc/gauge", "vllm-1", 0.61);
    // the fake returns the points as stored (it does not align): this one stands for the rate
    seed("prometheus.googleapis.com/vllm:request_success_total/counter", 3.5);

    int code = run("monitor", "query", "-f", SPEC.toString(), "--project", "my-project");

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out())
        .containsPattern("inference/vllm\\s+Requests per second\\s+3\\.500\\s+1/s")
        .containsPattern("inference/vllm\\s+KV cache usage\\s+0\\.610\\s+fraction")
        .containsPattern("inference/vllm\\s+Time to first token p99\\s+\\(PromQL\\)\\s+s")
        .containsPattern("inference/vllm\\s+Accelerator duty cycle\\s+-\\s+%")
        .contains("  Time to first token p99: histogram_quantile(0.99");
    assertThat(cloud.metrics().lastListRequest().getInterval().getEndTime().getSeconds())
        .isEqualTo(NOW.getEpochSecond());
    assertThat(cloud.metrics().lastListRequest().getInterval().getStartTime().getSeconds())
        .isEqualTo(NOW.getEpochSecond() - 600);
  }

  @Test
  void query_json_hasOneRowPerQuery_valuesOnlyWhereRead() {
    seed("prometheus.googleapis.com/vllm:kv_cache_usage_perc/gauge", 0.42);

    assertThat(
            run(
                "monitor",
                "query",
                "-f",
                SPEC.toString(),
                "--project",
                "my-project",
                "--since",
                "1h",
                "-o",
                "json"))
        .as(cli.err())
        .isZero();

    JsonNode rows = cli.json();
    List<String> queries = new ArrayList<>();
    for (JsonNode r : rows) {
      queries.add(r.get("query").asString());
      assertThat(r.get("server").asString()).isEqualTo("inference/vllm");
      assertThat(r.get("promQl").asString()).contains("inference");
      if (r.get("query").asString().equals("KV cache usage")) {
        assertThat(r.get("value").asDouble()).isEqualTo(0.42);
        assertThat(r.get("source").asString()).isEqualTo("timeSeries");
      } else {
        assertThat(r.has("value")).as(r.toString()).isFalse();
      }
      if (r.get("query").asString().endsWith("p99")) {
        assertThat(r.get("source").asString()).isEqualTo("promQl");
      }
    }
    assertThat(queries)
        .contains(
            "Requests per second",
            "Time to first token p99",
            "KV cache usage",
            "Accelerator duty cycle",
            "Accelerator memory used");
    assertThat(cloud.metrics().lastListRequest().getInterval().getStartTime().getSeconds())
        .isEqualTo(NOW.getEpochSecond() - 3600);
  }

  @Test
  void badProject_listsTheField_exit2_andCallsNothing() {
    int code = run("monitor", "provision", "-f", SPEC.toString(), "--project", "My_Project");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("projectId").doesNotContain("Exception");
    assertThat(cloud.requests().writes()).isEmpty();
  }

  @Test
  void specWithoutAServer_isOneErrorLine_exit2() throws IOException {
    Path file =
        Files.writeString(
            tmp.resolve("class.yaml"),
            """
            kind: AcceleratorComputeClass
            spec:
              name: gpu-l4-x1
              accelerator: nvidia-l4
              devices: 1
            """);

    int code = run("monitor", "query", "-f", file.toString(), "--project", "my-project");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: " + file + " renders no model server");
  }

  @Test
  void withoutCredentials_isOneClearErrorLine() {
    int code =
        run(
            () -> {
              throw new IOException("Your default credentials were not found.");
            },
            "monitor",
            "provision",
            "-f",
            SPEC.toString(),
            "--project",
            "my-project");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    cli.assertOneErrorLine("error: no Google credentials: Your default credentials were not found");
  }

  private void seed(String type, double value) {
    seed(type, "vllm-0", value);
  }

  private void seed(String type, String pod, double value) {
    try (var client = cloud.metricClient()) {
      client.createTimeSeries(
          ProjectName.of("my-project"),
          List.of(
              TimeSeries.newBuilder()
                  .setMetric(Metric.newBuilder().setType(type).putLabels("pod", pod))
                  .setResource(MonitoredResource.newBuilder().setType("prometheus_target"))
                  .addPoints(
                      Point.newBuilder()
                          .setInterval(
                              TimeInterval.newBuilder()
                                  .setEndTime(
                                      Timestamp.newBuilder().setSeconds(NOW.getEpochSecond())))
                          .setValue(TypedValue.newBuilder().setDoubleValue(value)))
                  .build()));
    }
  }
}
