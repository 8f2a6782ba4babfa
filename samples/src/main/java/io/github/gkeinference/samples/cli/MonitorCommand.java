package io.github.gkeinference.samples.cli;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceClient;
import com.google.cloud.monitoring.v3.AlertPolicyServiceClient;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceClient;
import com.google.monitoring.v3.Point;
import com.google.monitoring.v3.TimeSeries;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.observability.InferenceMonitoring;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.MonitoringProvisionResult;
import io.github.gkeinference.observability.MonitoringProvisioner;
import io.github.gkeinference.observability.Signal;
import io.github.gkeinference.observability.monitoring.MonitoringResources;
import io.github.gkeinference.observability.query.MetricQuery;
import io.github.gkeinference.observability.query.MetricQueryClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code monitor provision|query -f SPEC --project P}: the Cloud Monitoring side of the servers a
 * spec file renders, through {@link MonitoringProvisioner} and {@link MetricQueryClient}.
 */
@Command(
    name = "monitor",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference monitor provision -f samples/specs/online-inference-gpu.yaml \\",
      "      --project my-project",
      "  gke-inference monitor query -f service.yaml --project my-project -o json"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Create the dashboards, alert policies and SLOs of the model servers a spec file renders,"
          + " or read their requests per second, latency and accelerator use from Cloud"
          + " Monitoring.",
      "Credentials: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or 'gcloud"
          + " auth application-default login')."
    },
    subcommands = {MonitorCommand.Provision.class, MonitorCommand.Query.class})
final class MonitorCommand implements Callable<Integer> {

  /** The four Cloud Monitoring clients the commands use; closing closes them all. */
  record Clients(
      AlertPolicyServiceClient alerts,
      DashboardsServiceClient dashboards,
      ServiceMonitoringServiceClient services,
      MetricServiceClient metrics)
      implements AutoCloseable {
    @Override
    public void close() {
      alerts.close();
      dashboards.close();
      services.close();
      metrics.close();
    }
  }

  /** Opens the clients; the command closes them. */
  interface ClientOpener {
    /** Opens the clients, or fails when no credentials are found. */
    Clients open() throws IOException;
  }

  private final ClientOpener opener;
  private final Clock clock;

  @Spec @Nullable CommandSpec spec;

  /** The command as users run it: Cloud Monitoring through Application Default Credentials. */
  MonitorCommand() {
    this(MonitorCommand::defaultClients, Clock.systemUTC());
  }

  /** The command with other clients and clock (tests: the in-process fake). */
  MonitorCommand(ClientOpener opener, Clock clock) {
    this.opener = opener;
    this.clock = clock;
  }

  private static Clients defaultClients() throws IOException {
    // fails at once, with the library's explanation, when the environment holds no credentials
    GoogleCredentials.getApplicationDefault();
    return new Clients(
        AlertPolicyServiceClient.create(),
        DashboardsServiceClient.create(),
        ServiceMonitoringServiceClient.create(),
        MetricServiceClient.create());
  }

  @Override
  public Integer call() {
    CommandLine cli = Objects.requireNonNull(spec).commandLine();
    cli.getErr().println("error: choose provision or query");
    cli.usage(cli.getErr());
    return GkeInferenceCli.INVALID;
  }

  /** The options both subcommands share. */
  static final class Target {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description =
            "A spec file (as 'render -f' reads) whose vLLM or JetStream servers to monitor.")
    Path file = Path.of("service.yaml");

    @Option(
        names = "--project",
        required = true,
        paramLabel = "PROJECT",
        description = "The Google Cloud project that holds the dashboards, alerts and metrics.")
    String project = "";

    @Option(
        names = "--latency-objective",
        paramLabel = "DURATION",
        converter = ClusterCommand.DurationConverter.class,
        description = "The p99 time-to-first-token objective, e.g. 2s, 500ms; default 2s.")
    @Nullable Duration latencyObjective;

    @Option(
        names = "--notification-channel",
        paramLabel = "NAME",
        description =
            "A notification channel for the alerts, projects/P/notificationChannels/ID"
                + " (repeatable).")
    List<String> channels = new ArrayList<>();

    /**
     * Reads the file and returns one monitoring spec per monitored server, or empty after printing
     * every problem.
     */
    Optional<List<InferenceMonitoring>> read(PrintWriter err) {
      RenderedSet set;
      try {
        set = SpecFiles.standard().render(InputFiles.read(file));
      } catch (InputFiles.InputException e) {
        err.println("error: " + e.getMessage());
        return Optional.empty();
      } catch (SdkValidationException e) {
        for (Violation v : e.violations()) {
          err.println(file + ": " + v);
        }
        return Optional.empty();
      } catch (RuntimeException e) {
        err.println(file + ": " + e.getMessage());
        return Optional.empty();
      }
      List<InferenceMonitoring> specs = new ArrayList<>();
      try {
        for (WorkloadFacts w : set.workloads()) {
          Optional<ModelServer> server =
              w.server().flatMap(ModelServer::fromLabel).filter(ModelServer::monitored);
          if (server.isEmpty()) {
            continue;
          }
          InferenceMonitoring.Builder b =
              InferenceMonitoring.builder()
                  .projectId(project)
                  .server(server.get())
                  .workload(w)
                  .notificationChannels(channels);
          if (latencyObjective != null) {
            b.latencyObjective(latencyObjective);
          }
          specs.add(b.build());
        }
      } catch (SdkValidationException e) {
        e.violations().forEach(err::println);
        return Optional.empty();
      }
      if (specs.isEmpty()) {
        err.println(
            "error: "
                + file
                + " renders no model server with the metrics to monitor (vLLM or JetStream)");
        return Optional.empty();
      }
      return Optional.of(specs);
    }
  }

  /** Opens the clients and runs the work, turning failures into one error line each. */
  private int withClients(PrintWriter err, java.util.function.Function<Clients, Integer> work) {
    Clients clients;
    try {
      clients = opener.open();
    } catch (IOException e) {
      return CloudErrors.noCredentials(e, err);
    }
    try (Clients c = clients) {
      return work.apply(c);
    } catch (SdkException e) {
      return CloudErrors.report(e, err);
    }
  }

  /** {@code monitor provision}. */
  @Command(
      name = "provision",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference monitor provision -f samples/specs/online-inference-gpu.yaml \\",
        "      --project my-project --notification-channel \\",
        "      projects/my-project/notificationChannels/123"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Create or update, for each vLLM or JetStream server the spec file renders, its Cloud"
            + " Monitoring dashboard, alert policies (latency, errors, KV cache, queue, replicas),"
            + " custom service and availability and latency SLOs. Only resources labelled"
            + " managed-by=gke-inference-sdk are read or changed; a resource already as rendered is"
            + " left alone, so running it again reports every resource unchanged.",
        "Prints one line per resource (created, updated or unchanged). Exit 0 on success, 1 when"
            + " a Cloud Monitoring call fails, 2 on invalid input."
      })
  static final class Provision implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable MonitorCommand parent;
    @Mixin Target target = new Target();

    @Override
    public Integer call() {
      CommandSpec command = Objects.requireNonNull(spec);
      PrintWriter out = command.commandLine().getOut();
      PrintWriter err = command.commandLine().getErr();
      Optional<List<InferenceMonitoring>> specs = target.read(err);
      if (specs.isEmpty()) {
        return GkeInferenceCli.INVALID;
      }
      return Objects.requireNonNull(parent)
          .withClients(
              err,
              c -> {
                MonitoringProvisioner provisioner =
                    MonitoringProvisioner.of(
                        target.project, c.alerts(), c.dashboards(), c.services());
                int created = 0;
                int updated = 0;
                int unchanged = 0;
                try (Progress progress = Progress.of(command)) {
                  for (InferenceMonitoring s : specs.get()) {
                    String what = s.workload().namespace() + "/" + s.workload().name();
                    Supplier<MonitoringProvisionResult> apply =
                        () -> provisioner.apply(MonitoringResources.render(s));
                    MonitoringProvisionResult r =
                        progress.ticking("provisioning monitoring of " + what, apply);
                    for (String id : r.created()) {
                      progress.println(out, "created   " + id);
                    }
                    for (String id : r.updated()) {
                      progress.println(out, "updated   " + id);
                    }
                    for (String id : r.unchanged()) {
                      progress.println(out, "unchanged " + id);
                    }
                    created += r.created().size();
                    updated += r.updated().size();
                    unchanged += r.unchanged().size();
                  }
                }
                out.println(
                    "Project "
                        + target.project
                        + ": "
                        + created
                        + " created, "
                        + updated
                        + " updated, "
                        + unchanged
                        + " unchanged");
                out.flush();
                return GkeInferenceCli.OK;
              });
    }
  }

  /**
   * One query of {@code monitor query}: its newest value when it was read ({@code source}
   * timeSeries and Cloud Monitoring held data), and its PromQL ({@code source} promQl: only PromQL
   * computes it).
   */
  record QueryRow(
      String server,
      String query,
      @Nullable Double value,
      String unit,
      String source,
      String promQl) {}

  /** {@code monitor query}. */
  @Command(
      name = "query",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference monitor query -f samples/specs/online-inference-gpu.yaml \\",
        "      --project my-project",
        "  gke-inference monitor query -f service.yaml --project my-project --since 1h -o json"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Read requests per second, queue length, KV cache usage and accelerator duty cycle and"
            + " memory of each vLLM or JetStream server the spec file renders from Cloud"
            + " Monitoring (the newest aligned value within --since), and print the PromQL of"
            + " each, with the latency percentiles that only PromQL can compute (run those in"
            + " Cloud Monitoring's PromQL editor or the Managed Prometheus API).",
        "A value is empty when Cloud Monitoring holds no data for it in the window."
      })
  static final class Query implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable MonitorCommand parent;
    @Mixin Target target = new Target();
    @Mixin OutputFormat output = new OutputFormat();

    @Option(
        names = "--since",
        paramLabel = "DURATION",
        converter = ClusterCommand.DurationConverter.class,
        description = "How far back to read, e.g. 10m, 1h; default 10m.")
    Duration since = Duration.ofMinutes(10);

    @Override
    public Integer call() {
      CommandSpec command = Objects.requireNonNull(spec);
      PrintWriter out = command.commandLine().getOut();
      PrintWriter err = command.commandLine().getErr();
      if (since.compareTo(Duration.ofMinutes(1)) < 0) {
        err.println("error: --since must be at least 1m (the alignment period), was " + since);
        return GkeInferenceCli.INVALID;
      }
      Optional<List<InferenceMonitoring>> specs = target.read(err);
      if (specs.isEmpty()) {
        return GkeInferenceCli.INVALID;
      }
      MonitorCommand monitor = Objects.requireNonNull(parent);
      Instant end = monitor.clock.instant();
      Instant start = end.minus(since);
      return monitor.withClients(
          err,
          c -> {
            List<QueryRow> rows = new ArrayList<>();
            try (Progress progress = Progress.of(command)) {
              for (InferenceMonitoring s : specs.get()) {
                String server = s.workload().namespace() + "/" + s.workload().name();
                MetricQueryClient q = MetricQueryClient.of(s);
                List<Row> queries = new ArrayList<>();
                queries.add(new Row(q.requestsPerSecond(), "1/s", Reduce.SUM));
                queries.add(
                    new Row(q.latencyPercentile(Signal.TIME_TO_FIRST_TOKEN, 0.99), "s", null));
                if (s.server().metric(Signal.TIME_PER_OUTPUT_TOKEN).isPresent()) {
                  queries.add(
                      new Row(q.latencyPercentile(Signal.TIME_PER_OUTPUT_TOKEN, 0.99), "s", null));
                }
                queries.add(new Row(q.queueLength(), "requests", Reduce.SUM));
                if (s.server().metric(Signal.KV_CACHE_USAGE).isPresent()) {
                  queries.add(new Row(q.kvCacheUsage(), "fraction", Reduce.MAX));
                }
                queries.add(new Row(q.acceleratorDutyCycle(), "%", Reduce.MEAN));
                queries.add(new Row(q.acceleratorMemoryUsed(), "bytes", Reduce.SUM));
                for (Row r : queries) {
                  Double value = null;
                  if (r.reduce() != null) {
                    progress.status("reading " + r.query().title() + " of " + server);
                    value =
                        r.reduce()
                            .apply(
                                q.run(c.metrics(), r.query(), start, end, Duration.ofMinutes(1)));
                  }
                  rows.add(
                      new QueryRow(
                          server,
                          r.query().title(),
                          value,
                          r.unit(),
                          r.reduce() == null ? "promQl" : "timeSeries",
                          r.query().promQl()));
                }
              }
            }
            if (!output.table()) {
              output.print(out, rows);
              return GkeInferenceCli.OK;
            }
            Table t = Table.of("SERVER", "QUERY", "VALUE", "UNIT").rightAlign(2);
            for (QueryRow r : rows) {
              t.row(
                  r.server(),
                  r.query(),
                  r.value() != null
                      ? number(r.value())
                      : r.source().equals("promQl") ? "(PromQL)" : "-",
                  r.unit());
            }
            t.print(out);
            out.println();
            out.println("PromQL (Cloud Monitoring's PromQL editor or the Managed Prometheus API):");
            for (QueryRow r : rows) {
              out.println("  " + r.query() + ": " + r.promQl());
            }
            out.flush();
            return GkeInferenceCli.OK;
          });
    }

    private static String number(double v) {
      return Math.abs(v) >= 1000 || v == Math.rint(v)
          ? String.format(Locale.ROOT, "%.0f", v)
          : String.format(Locale.ROOT, "%.3f", v);
    }
  }

  /** A query, its unit and how its series' newest values combine; no reduce: PromQL only. */
  private record Row(MetricQuery query, String unit, @Nullable Reduce reduce) {}

  /** How the newest value of each series combines into one, as the query's PromQL combines. */
  enum Reduce {
    SUM,
    MAX,
    MEAN;

    /** Returns the combined newest values, or null when no series holds a point. */
    @Nullable Double apply(List<TimeSeries> series) {
      List<Double> newest = new ArrayList<>();
      for (TimeSeries s : series) {
        if (s.getPointsCount() > 0) {
          // Cloud Monitoring returns points newest first
          Point p = s.getPoints(0);
          newest.add(
              p.getValue().hasDoubleValue()
                  ? p.getValue().getDoubleValue()
                  : (double) p.getValue().getInt64Value());
        }
      }
      if (newest.isEmpty()) {
        return null;
      }
      return switch (this) {
        case SUM -> newest.stream().mapToDouble(Double::doubleValue).sum();
        case MAX -> newest.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        case MEAN -> newest.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      };
    }
  }
}
