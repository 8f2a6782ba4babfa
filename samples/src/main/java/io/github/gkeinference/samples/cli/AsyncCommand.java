package io.github.gkeinference.samples.cli;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.retry.Sleeper;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.async.AsyncInference;
import io.github.gkeinference.serving.async.PubSubProvisioner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code async provision -f SPEC --project P}: the Pub/Sub side of the {@code AsyncInference}
 * pipelines a spec file holds, created through {@link PubSubProvisioner} (the same resources {@code
 * render} writes as Config Connector objects).
 */
@Command(
    name = "async",
    footerHeading = "%nExamples:%n",
    footer = {"  gke-inference async provision -f async.yaml --project my-project"},
    mixinStandardHelpOptions = true,
    description = {
      "Create the Pub/Sub topics, subscription and IAM bindings of the AsyncInference pipelines a"
          + " spec file holds, through the Pub/Sub admin API.",
      "Credentials: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or 'gcloud"
          + " auth application-default login')."
    },
    subcommands = {AsyncCommand.Provision.class})
final class AsyncCommand implements Callable<Integer> {

  /** The two Pub/Sub admin clients; closing closes both. */
  record Clients(TopicAdminClient topics, SubscriptionAdminClient subscriptions)
      implements AutoCloseable {
    @Override
    public void close() {
      topics.close();
      subscriptions.close();
    }
  }

  /** Opens the clients; the command closes them. */
  interface ClientOpener {
    /** Opens the clients, or fails when no credentials are found. */
    Clients open() throws IOException;
  }

  private final ClientOpener opener;
  private final Clock clock;
  private final Sleeper sleeper;

  @Spec @Nullable CommandSpec spec;

  /** The command as users run it: Pub/Sub through Application Default Credentials. */
  AsyncCommand() {
    this(AsyncCommand::defaultClients, Clock.systemUTC(), Sleeper.system());
  }

  /** The command with other clients, clock and sleeper (tests: the in-process fake). */
  AsyncCommand(ClientOpener opener, Clock clock, Sleeper sleeper) {
    this.opener = opener;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  private static Clients defaultClients() throws IOException {
    // fails at once, with the library's explanation, when the environment holds no credentials
    GoogleCredentials.getApplicationDefault();
    return new Clients(TopicAdminClient.create(), SubscriptionAdminClient.create());
  }

  @Override
  public Integer call() {
    CommandLine cli = Objects.requireNonNull(spec).commandLine();
    cli.getErr().println("error: choose provision");
    cli.usage(cli.getErr());
    return GkeInferenceCli.INVALID;
  }

  /**
   * One step of {@code async provision}, as printed.
   *
   * @param pipeline the AsyncInference's name
   * @param resource the Pub/Sub resource's full name
   * @param step what was ensured: {@code topic}, {@code subscription} or a role and member
   * @param outcome created, updated, added or unchanged
   * @param attempts rounds it took (more than one after IAM etag conflicts)
   */
  record Step(String pipeline, String resource, String step, String outcome, int attempts) {}

  /** The JSON and YAML result: every step, then the counts. */
  record Report(String project, List<Step> steps, int created, int changed, int unchanged) {}

  /** {@code async provision}. */
  @Command(
      name = "provision",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference async provision -f async.yaml --project my-project",
        "  gke-inference async provision -f async.yaml --project my-project -o json"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Create, for each AsyncInference with a topic in the spec file, its request topic, its"
            + " dead-letter topic, its subscription (ack deadline, dead-letter policy) and the IAM"
            + " bindings of its worker and of the Pub/Sub service agent. A resource already as"
            + " wanted is left alone, so running it again reports every step unchanged; a"
            + " subscription whose settings differ is updated.",
        "Prints one line per step (created, updated, added or unchanged). Exit 0 on success, 1"
            + " when a Pub/Sub call fails or no credentials are found, 2 on invalid input."
      })
  static final class Provision implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable AsyncCommand parent;
    @Mixin OutputFormat output = new OutputFormat();

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "A spec file (as 'render -f' reads) with AsyncInference documents.")
    Path file = Path.of("async.yaml");

    @Option(
        names = "--project",
        required = true,
        paramLabel = "PROJECT",
        description =
            "The Google Cloud project of the topics and subscriptions; must be the specs'"
                + " projectId.")
    String project = "";

    @Override
    public Integer call() {
      CommandSpec command = Objects.requireNonNull(spec);
      PrintWriter out = command.commandLine().getOut();
      PrintWriter err = command.commandLine().getErr();
      Optional<List<AsyncInference>> pipelines = read(err);
      if (pipelines.isEmpty()) {
        return GkeInferenceCli.INVALID;
      }
      AsyncCommand root = Objects.requireNonNull(parent);
      Clients clients;
      try {
        clients = root.opener.open();
      } catch (IOException e) {
        return CloudErrors.noCredentials(e, err);
      }
      List<Step> steps = new ArrayList<>();
      try (Clients c = clients) {
        PubSubProvisioner provisioner =
            PubSubProvisioner.of(
                c.topics(),
                c.subscriptions(),
                Retrier.of(RetryPolicy.defaults(), root.clock, root.sleeper));
        for (AsyncInference a : pipelines.get()) {
          for (PubSubProvisioner.Result r : provisioner.provision(a)) {
            steps.add(
                new Step(
                    a.name(),
                    r.resource(),
                    r.step(),
                    r.outcome().name().toLowerCase(Locale.ROOT),
                    r.attempts()));
          }
        }
      } catch (SdkException e) {
        // what was done before the failure is printed too: a rerun continues from there
        steps.forEach(s -> err.println(line(s)));
        return CloudErrors.report(e, err);
      }
      int created = count(steps, "created");
      int unchanged = count(steps, "unchanged");
      int changed = steps.size() - created - unchanged;
      if (output.table()) {
        Table table = Table.of("PIPELINE", "RESOURCE", "STEP", "RESULT");
        steps.forEach(s -> table.row(s.pipeline(), s.resource(), s.step(), s.outcome()));
        table.print(out);
        out.println(
            "Project "
                + project
                + ": "
                + created
                + " created, "
                + changed
                + " updated or added, "
                + unchanged
                + " unchanged");
        out.flush();
      } else {
        output.print(out, new Report(project, steps, created, changed, unchanged));
      }
      return GkeInferenceCli.OK;
    }

    private static String line(Step s) {
      return s.outcome() + " " + s.resource() + " " + s.step();
    }

    private static int count(List<Step> steps, String outcome) {
      return (int) steps.stream().filter(s -> s.outcome().equals(outcome)).count();
    }

    /** Reads the AsyncInference specs with a topic, or empty after printing every problem. */
    private Optional<List<AsyncInference>> read(PrintWriter err) {
      List<RenderableSpec> specs;
      try {
        specs = SpecFiles.standard().read(InputFiles.read(file));
      } catch (InputFiles.InputException e) {
        err.println("error: " + e.getMessage());
        return Optional.empty();
      } catch (SdkValidationException e) {
        for (Violation v : e.violations()) {
          err.println(file + ": " + v);
        }
        return Optional.empty();
      }
      List<AsyncInference> pipelines = new ArrayList<>();
      boolean ok = true;
      for (RenderableSpec s : specs) {
        if (!(s instanceof AsyncInference a) || a.topic().isEmpty()) {
          continue;
        }
        if (!a.projectId().equals(project)) {
          err.println(
              file
                  + ": AsyncInference "
                  + a.name()
                  + ": projectId is "
                  + a.projectId()
                  + ", not --project "
                  + project
                  + " (its Config Connector objects and grants name that project)");
          ok = false;
        }
        pipelines.add(a);
      }
      if (pipelines.isEmpty()) {
        err.println("error: " + file + " holds no AsyncInference with a topic to provision");
        return Optional.empty();
      }
      return ok ? Optional.of(pipelines) : Optional.empty();
    }
  }
}
