package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.StorageOptions;
import com.google.storage.control.v2.StorageControlClient;
import com.sun.net.httpserver.HttpServer;
import io.github.gkeinference.testing.storagecontrol.FakeStorageControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code storage check|cache create|cache list} with the real Cloud Storage clients: the bucket's
 * metadata from a loopback JSON API server ({@code GET /storage/v1/b/BUCKET}, which {@code
 * LocalStorageHelper} does not implement), Anywhere Caches from the in-process Storage control
 * fake.
 */
class StorageCommandTest {
  @TempDir Path tmp;
  private FakeStorageControl control;
  private HttpServer json;
  private Path cluster;
  private int lastExit;

  /** The buckets the JSON API server knows: name to its location fields. */
  private static final Map<String, String> BUCKETS =
      Map.of(
          "models",
              "{\"name\":\"models\",\"location\":\"US-CENTRAL1\",\"locationType\":\"region\"}",
          "far", "{\"name\":\"far\",\"location\":\"EUROPE-WEST4\",\"locationType\":\"region\"}");

  @BeforeEach
  void start() throws IOException {
    control = FakeStorageControl.start().pollsUntilDone(2);
    json = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    json.createContext(
        "/storage/v1/b/",
        exchange -> {
          try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/storage/v1/b/".length());
            String body =
                BUCKETS.getOrDefault(
                    name,
                    "{\"error\":{\"code\":404,\"message\":\"The specified bucket does not exist.\"}}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(BUCKETS.containsKey(name) ? 200 : 404, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    json.start();
    cluster = tmp.resolve("cluster.yaml");
    Files.writeString(
        cluster,
        """
        project: my-project
        name: inference
        location: us-central1
        nodeLocations: [us-central1-a, us-central1-b]
        """);
  }

  @AfterEach
  void stop() {
    control.close();
    json.stop(0);
  }

  private CliRun run(String... args) {
    CliRun cli = new CliRun();
    String host = "http://127.0.0.1:" + json.getAddress().getPort();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == StorageCommand.class) {
              return type.cast(
                  new StorageCommand(
                      () ->
                          StorageOptions.newBuilder()
                              .setHost(host)
                              .setProjectId("my-project")
                              .setCredentials(NoCredentials.getInstance())
                              .setRetrySettings(ServiceOptions.getNoRetrySettings())
                              .build()
                              .getService(),
                      () -> StorageControlClient.create(control.settings()),
                      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
                      d -> {}));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    lastExit =
        GkeInferenceCli.run(
            new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
    return cli;
  }

  private int code(String... args) {
    CliRun cli = new CliRun();
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), args);
  }

  @Test
  void check_sameRegion_passes() {
    CliRun cli = run("storage", "check", "-f", cluster.toString(), "--bucket", "gs://models");
    assertThat(cli.out()).as(cli.err()).contains("us-central1").contains("PASS");
    assertThat(cli.out()).doesNotContain("fix:");
  }

  @Test
  void check_otherRegion_warnsWithTheFix_andExit1OnlyWithStrict() {
    CliRun cli = run("storage", "check", "-f", cluster.toString(), "--bucket", "gs://far");
    assertThat(cli.out())
        .contains(
            "bucket in europe-west4, cluster in us-central1: cross-region reads are slower"
                + " and billed")
        .contains("fix: copy the model to a bucket in us-central1");
    CliRun json =
        run("storage", "check", "-f", cluster.toString(), "--bucket", "gs://far", "-o", "json");
    JsonNode report = json.json();
    assertThat(report.path("severity").asString()).isEqualTo("WARNING");
    assertThat(report.path("outcome").asString()).isEqualTo("OTHER_REGION");

    // exit codes: 0 without --strict, 1 with it
    assertThat(exit("storage", "check", "-f", cluster.toString(), "--bucket", "gs://far")).isZero();
    assertThat(
            exit("storage", "check", "-f", cluster.toString(), "--bucket", "gs://far", "--strict"))
        .isEqualTo(GkeInferenceCli.FINDINGS);
  }

  private int exit(String... args) {
    run(args);
    return lastExit;
  }

  @Test
  void cacheCreate_twice_createsInEachZoneThenNothing_andListShowsThem() {
    CliRun first =
        run(
            "storage",
            "cache",
            "create",
            "-f",
            cluster.toString(),
            "--bucket",
            "gs://models",
            "--ttl",
            "2h");
    assertThat(first.out())
        .as(first.err())
        .containsPattern("us-central1-a +created +RUNNING +2h +admit-on-first-miss")
        .containsPattern("us-central1-b +created +RUNNING");
    // progress: one line per poll of each create
    assertThat(first.err()).contains("Anywhere Cache us-central1-a: 100% done");

    CliRun second =
        run("storage", "cache", "create", "-f", cluster.toString(), "--bucket", "gs://models");
    assertThat(second.out())
        .containsPattern("us-central1-a +unchanged")
        .containsPattern("us-central1-b +unchanged")
        .doesNotContain("created");
    assertThat(control.calls().stream().filter(c -> c.equals("CreateAnywhereCache"))).hasSize(2);

    JsonNode list = run("storage", "cache", "list", "--bucket", "gs://models", "-o", "json").json();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("zone").asString()).isEqualTo("us-central1-a");
    assertThat(list.get(0).path("ttlSeconds").asLong()).isEqualTo(7200);
  }

  @Test
  void cacheCreate_zoneOutsideTheBucketsRegion_exits2WithItsPath() {
    CliRun cli =
        run(
            "storage",
            "cache",
            "create",
            "--region",
            "us-central1",
            "--zones",
            "us-central1-a,europe-west4-a",
            "--bucket",
            "gs://models");
    assertThat(cli.err()).contains("cache.zones[1]").contains("europe-west4-a");
    assertThat(control.calls()).isEmpty();
    assertThat(
            exit(
                "storage",
                "cache",
                "create",
                "--region",
                "us-central1",
                "--zones",
                "europe-west4-a",
                "--bucket",
                "gs://models"))
        .isEqualTo(GkeInferenceCli.INVALID);
  }

  @Test
  void badInput_exits2() {
    assertThat(exit("storage", "check", "--bucket", "gs://models"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(
            exit(
                "storage",
                "cache",
                "create",
                "-f",
                cluster.toString(),
                "--bucket",
                "gs://models",
                "--ttl",
                "10m"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(
            exit(
                "storage",
                "cache",
                "create",
                "-f",
                cluster.toString(),
                "--bucket",
                "gs://models",
                "--admission-policy",
                "always"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(exit("storage", "cache", "list", "--bucket", "gs://a/b"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(control.calls()).isEmpty();
    // without the fakes the default command is built, but bad input is refused before any client
    assertThat(code("storage", "check", "--bucket", "gs://a/b", "--region", "us-central1"))
        .isEqualTo(GkeInferenceCli.INVALID);
  }
}
