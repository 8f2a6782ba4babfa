package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import io.github.gkeinference.testing.pubsub.FakePubSub;
import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code async provision} against the in-process Pub/Sub fake. */
class AsyncCommandTest {
  private static final Path SPEC = Path.of("specs/async-inference.yaml");
  private static final String SUBSCRIPTION = "projects/my-project/subscriptions/prompts-sub";

  @TempDir Path tmp;
  private FakePubSub pubsub;
  private CliRun cli = new CliRun();

  @BeforeEach
  void start() {
    pubsub = FakePubSub.start();
  }

  @AfterEach
  void stop() {
    pubsub.close();
  }

  private int run(AsyncCommand.ClientOpener opener, String... args) {
    cli = new CliRun();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == AsyncCommand.class) {
              return type.cast(
                  new AsyncCommand(
                      opener,
                      Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC),
                      d -> {}));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return GkeInferenceCli.run(
        new PrintWriter(cli.out, true), new PrintWriter(cli.err, true), factory, args);
  }

  /** Runs against the fake with fresh clients (the command closes the ones it opened). */
  private int run(String... args) {
    return run(
        () ->
            new AsyncCommand.Clients(
                TopicAdminClient.create(pubsub.topicAdminSettings()),
                SubscriptionAdminClient.create(pubsub.subscriptionAdminSettings())),
        args);
  }

  @Test
  void provision_createsTopicsSubscriptionAndGrants_thenRerunReportsUnchanged() {
    int first = run("async", "provision", "-f", SPEC.toString(), "--project", "my-project");

    assertThat(first).as(cli.err()).isZero();
    assertThat(pubsub.topics())
        .containsExactlyInAnyOrder(
            "projects/my-project/topics/prompts", "projects/my-project/topics/prompts-dead-letter");
    assertThat(pubsub.subscription(SUBSCRIPTION)).isNotNull();
    assertThat(pubsub.members(SUBSCRIPTION, "roles/pubsub.subscriber"))
        .contains("serviceAccount:async-worker@my-project.iam.gserviceaccount.com");
    assertThat(cli.out().lines().filter(l -> l.startsWith("async-worker")))
        .anySatisfy(l -> assertThat(l).contains("created"))
        .noneSatisfy(l -> assertThat(l).contains("unchanged"));
    long steps = cli.out().lines().filter(l -> l.startsWith("async-worker")).count();
    assertThat(steps).isGreaterThanOrEqualTo(5);

    int again = run("async", "provision", "-f", SPEC.toString(), "--project", "my-project");

    assertThat(again).as(cli.err()).isZero();
    assertThat(cli.out().lines().filter(l -> l.startsWith("async-worker")))
        .hasSize((int) steps)
        .allSatisfy(l -> assertThat(l).contains("unchanged"));
    assertThat(cli.out()).contains("0 created, 0 updated or added, " + steps + " unchanged");
  }

  @Test
  void provision_json_listsEveryStepWithItsOutcome() {
    int code =
        run("async", "provision", "-f", SPEC.toString(), "--project", "my-project", "-o", "json");

    assertThat(code).as(cli.err()).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(cli.out());
    assertThat(report.get("project").asString()).isEqualTo("my-project");
    assertThat(report.get("steps").get(0).get("resource").asString())
        .isEqualTo("projects/my-project/topics/prompts");
    assertThat(report.get("steps").get(0).get("outcome").asString()).isEqualTo("created");
    assertThat(report.get("created").asInt()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void provision_yaml_printsTheSameReport() {
    int code =
        run("async", "provision", "-f", SPEC.toString(), "--project", "my-project", "-o", "yaml");

    assertThat(code).as(cli.err()).isZero();
    JsonNode report = cli.yaml();
    assertThat(report.get("project").asString()).isEqualTo("my-project");
    assertThat(report.get("steps").get(0).get("outcome").asString()).isEqualTo("created");
  }

  @Test
  void provision_withoutCredentials_isOneErrorLineAndExitOne() {
    int code =
        run(
            () -> {
              throw new IOException("Your default credentials were not found.\nmore lines");
            },
            "async",
            "provision",
            "-f",
            SPEC.toString(),
            "--project",
            "my-project");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.err())
        .contains("error: no Google credentials: Your default credentials were not found.")
        .doesNotContain("more lines")
        .doesNotContain("\tat ");
    assertThat(pubsub.topics()).isEmpty();
  }

  @Test
  void provision_permissionDenied_namesTheResourceWithoutStackTrace() {
    pubsub.failNextCall("CreateTopic", Status.Code.PERMISSION_DENIED, "denied");

    int code = run("async", "provision", "-f", SPEC.toString(), "--project", "my-project");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.err()).contains("projects/my-project/topics/prompts").doesNotContain("\tat ");
  }

  @Test
  void provision_otherProjectOrNoPipeline_isInvalidInput() throws IOException {
    assertThat(run("async", "provision", "-f", SPEC.toString(), "--project", "other-project"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("projectId is my-project, not --project other-project");

    Path server = Path.of("specs/online-inference-gpu.yaml");
    assertThat(run("async", "provision", "-f", server.toString(), "--project", "my-project"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("holds no AsyncInference with a topic");

    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "kind: AsyncInference\nspec: {}\n");
    assertThat(run("async", "provision", "-f", bad.toString(), "--project", "my-project"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(pubsub.topics()).isEmpty();
  }
}
