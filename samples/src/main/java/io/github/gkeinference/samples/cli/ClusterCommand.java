package io.github.gkeinference.samples.cli;

import com.google.cloud.container.v1.ClusterManagerClient;
import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.cluster.ClusterProvisioner;
import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.cluster.OperationUpdate;
import io.github.gkeinference.core.cluster.ProvisionResult;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.spec.SpecBinder;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code cluster plan|create -f cluster.yaml}: shows or creates a GKE cluster from a spec file. */
@Command(
    name = "cluster",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference cluster plan -f cluster.yaml",
      "  gke-inference cluster create -f cluster.yaml"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Show (plan) or create the GKE cluster described by a spec file.",
      "The file (YAML or JSON) has the fields of the SDK's ClusterSpec: project, name, location"
          + " (required), zonal, autopilot, releaseChannel, nodeLocations, network, subnetwork,"
          + " masterIpv4CidrBlock, acceleratorLimits (a map of GKE accelerator type to limit),"
          + " nodePools (GKE NodePool messages in their JSON mapping), resourceLabels, and the"
          + " add-on switches; unknown fields are rejected with their path."
    },
    subcommands = {ClusterCommand.Plan.class, ClusterCommand.Create.class})
final class ClusterCommand implements Callable<Integer> {

  /** Opens the GKE client; the command closes it. */
  interface ClientOpener {
    /** Opens a client. */
    ClusterManagerClient open() throws IOException;
  }

  private final ClientOpener opener;

  @Spec @Nullable CommandSpec spec;

  /** The command as users run it: GKE through Application Default Credentials. */
  ClusterCommand() {
    this(ClusterManagerClient::create);
  }

  /** The command with another way to reach GKE (tests: the fake). */
  ClusterCommand(ClientOpener opener) {
    this.opener = opener;
  }

  @Override
  public Integer call() {
    CommandLine cli = Objects.requireNonNull(spec).commandLine();
    cli.getErr().println("error: choose plan or create");
    cli.usage(cli.getErr());
    return GkeInferenceCli.INVALID;
  }

  /** Reads and binds the spec file; prints every problem and returns empty when invalid. */
  static Optional<ClusterSpec> read(Path file, PrintWriter err) {
    JsonNode node;
    try {
      // the one YAML reader: aliases within their limits, duplicate keys refused, one line
      List<JsonNode> docs = YamlDocuments.read(InputFiles.read(file));
      if (docs.size() != 1) {
        err.println(file + ": must hold one cluster spec document, not " + docs.size());
        return Optional.empty();
      }
      node = docs.get(0);
    } catch (InputFiles.InputException e) {
      err.println("error: " + e.getMessage());
      return Optional.empty();
    } catch (SdkException e) {
      err.println(file + ": not valid YAML or JSON: " + e.getMessage());
      return Optional.empty();
    }
    Violations v = Violations.root();
    Optional<ClusterSpec> spec = SpecBinder.bind(node, ClusterSpec.class, v);
    // NAP limits name accelerators; only the catalog knows which exist (nvidia-z9000 does not)
    spec.ifPresent(
        c ->
            c.acceleratorLimits()
                .keySet()
                .forEach(
                    a ->
                        Accelerators.catalog()
                            .checkLabel(v.at("acceleratorLimits[" + a + "]"), "", a)));
    for (Violation violation : v.all()) {
      err.println(file + ": " + violation);
    }
    return v.hasErrors() ? Optional.empty() : spec;
  }

  /** {@code cluster plan -f FILE}. */
  @Command(
      name = "plan",
      footerHeading = "%nExamples:%n",
      footer = {"  gke-inference cluster plan -f cluster.yaml"},
      mixinStandardHelpOptions = true,
      description =
          "Print a summary of the cluster and the GKE create request (container.v1.Cluster) as"
              + " JSON, without calling GKE.")
  static final class Plan implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "The cluster spec (YAML or JSON).")
    Path file = Path.of("cluster.yaml");

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      Optional<ClusterSpec> cluster = read(file, cli.getErr());
      if (cluster.isEmpty()) {
        return GkeInferenceCli.INVALID;
      }
      summary(cluster.get()).print(out);
      out.println();
      out.print(ManifestYaml.toJson(cluster.get().render().cloudResources().get(0)));
      out.flush();
      return GkeInferenceCli.OK;
    }

    static Table summary(ClusterSpec s) {
      Table t = Table.of("FIELD", "VALUE");
      t.row("cluster", s.resourceName());
      t.row(
          "mode",
          (s.autopilot() ? "Autopilot" : "Standard")
              + ", "
              + (s.zonal() ? "zonal" : "regional")
              + (s.nodeLocations().isEmpty()
                  ? ""
                  : " (" + String.join(", ", s.nodeLocations()) + ")"));
      t.row("release channel", s.releaseChannel().name());
      t.row(
          "network",
          s.network().orElse("default")
              + (s.subnetwork().isPresent() ? " / " + s.subnetwork().get() : ""));
      t.row(
          "control plane",
          (s.privateEndpoint() ? "private endpoint" : "public endpoint")
              + (s.dnsEndpoint() ? ", DNS endpoint" : "")
              + s.masterIpv4CidrBlock().map(c -> ", " + c).orElse(""));
      t.row("nodes", s.privateNodes() ? "private" : "public IPs");
      t.row("features", String.join(", ", features(s)));
      t.row(
          "HPA / autoscaling profile",
          s.hpaProfile().name() + " / " + s.autoscalingProfile().name());
      t.row(
          "node auto-provisioning",
          s.nodeAutoProvisioning() ? "on, accelerators: " + limits(s.acceleratorLimits()) : "off");
      List<String> pools = new ArrayList<>();
      if (s.systemNodePool()) {
        pools.add("system");
      }
      s.nodePools()
          .forEach(
              p ->
                  pools.add(
                      p.getName()
                          + (p.getConfig().getMachineType().isEmpty()
                              ? ""
                              : " (" + p.getConfig().getMachineType() + ")")));
      t.row("node pools", pools.isEmpty() ? "-" : String.join(", ", pools));
      return t;
    }

    private static List<String> features(ClusterSpec s) {
      List<String> on = new ArrayList<>();
      add(on, s.workloadIdentity(), "Workload Identity");
      add(on, s.dataplaneV2(), "Dataplane V2");
      add(on, s.gcsFuseCsiDriver(), "GCS FUSE CSI");
      add(on, s.filestoreCsiDriver(), "Filestore CSI");
      add(on, s.persistentDiskCsiDriver(), "PD CSI");
      add(on, s.lustreCsiDriver(), "Lustre CSI");
      add(on, s.rayOperator(), "Ray operator");
      add(on, s.httpLoadBalancing(), "HTTP LB");
      add(on, s.gatewayApi(), "Gateway API");
      add(on, s.managedPrometheus(), "Managed Prometheus");
      add(on, s.automaticApplicationMonitoring(), "auto app monitoring");
      add(on, s.secretManager(), "Secret Manager");
      add(on, s.imageStreaming(), "image streaming");
      return on;
    }

    private static void add(List<String> on, boolean enabled, String name) {
      if (enabled) {
        on.add(name);
      }
    }

    private static String limits(Map<String, Long> limits) {
      if (limits.isEmpty()) {
        return "none listed";
      }
      List<String> parts = new ArrayList<>();
      limits.forEach((k, v) -> parts.add(k + (v == ClusterSpec.UNLIMITED ? "" : " <= " + v)));
      return String.join(", ", parts);
    }
  }

  /** {@code cluster create -f FILE}. */
  @Command(
      name = "create",
      footerHeading = "%nExamples:%n",
      footer = {"  gke-inference cluster create -f cluster.yaml --timeout 45m"},
      mixinStandardHelpOptions = true,
      description = {
        "Create the cluster with the GKE API (credentials: Application Default Credentials) and"
            + " wait for the operation, with a progress bar. An existing cluster is compared with"
            + " the spec, not changed.",
        "Exit 0 when created or already as specified, 1 when it differs or GKE fails, 2 on invalid"
            + " input."
      })
  static final class Create implements Callable<Integer> {
    private static final int BAR = 30;

    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable ClusterCommand parent;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "The cluster spec (YAML or JSON).")
    Path file = Path.of("cluster.yaml");

    @Option(
        names = "--poll-interval",
        paramLabel = "DURATION",
        description = "Time between two polls of the operation, e.g. 10s, 500ms; default 10s.",
        converter = DurationConverter.class)
    Duration pollInterval = ClusterProvisioner.DEFAULT_POLL_INTERVAL;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "How long the operation may take, e.g. 45m; default 45m.",
        converter = DurationConverter.class)
    Duration timeout = ClusterProvisioner.DEFAULT_OPERATION_TIMEOUT;

    private @Nullable String lastLine;

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      PrintWriter err = cli.getErr();
      Optional<ClusterSpec> cluster = read(file, err);
      if (cluster.isEmpty()) {
        return GkeInferenceCli.INVALID;
      }
      boolean tty = CliSettings.terminal();
      out.println("Creating " + cluster.get().resourceName());
      out.flush();
      ProvisionResult result;
      try (ClusterManagerClient gke = Objects.requireNonNull(parent).opener.open()) {
        ClusterProvisioner provisioner =
            ClusterProvisioner.builder(gke)
                .pollInterval(pollInterval)
                .operationTimeout(timeout)
                .progress(u -> progress(out, u, tty))
                .build();
        result = provisioner.create(cluster.get());
      } catch (IOException e) {
        err.println(
            "error: cannot reach GKE: "
                + e.getMessage()
                + " (set up Application Default Credentials: gcloud auth application-default"
                + " login)");
        return GkeInferenceCli.FINDINGS;
      } catch (SdkValidationException e) {
        e.violations().forEach(err::println);
        return GkeInferenceCli.INVALID;
      } catch (SdkException e) {
        if (tty) {
          out.println();
        }
        err.println("error: " + e.getMessage());
        return GkeInferenceCli.FINDINGS;
      }
      if (tty) {
        out.println();
      }
      out.println(outcome(result));
      out.flush();
      return result.outcome() == ProvisionResult.Outcome.DIFFERS
          ? GkeInferenceCli.FINDINGS
          : GkeInferenceCli.OK;
    }

    private void progress(PrintWriter out, OperationUpdate u, boolean tty) {
      String line = bar(u);
      if (line.equals(lastLine)) {
        return;
      }
      lastLine = line;
      if (tty) {
        out.print("\r" + line + "\u001b[K");
      } else {
        out.println(line);
      }
      out.flush();
    }

    /** One progress line: {@code [#########-----] 60% CREATE_CLUSTER RUNNING stage}. */
    static String bar(OperationUpdate u) {
      int percent = Math.max(0, u.percent());
      int filled = percent * BAR / 100;
      String shown = u.percent() < 0 ? " ?%" : String.format(Locale.ROOT, "%3d%%", percent);
      return "["
          + "#".repeat(filled)
          + "-".repeat(BAR - filled)
          + "] "
          + shown
          + " "
          + u.type()
          + " "
          + u.status()
          + (u.stage().isEmpty() ? "" : " " + u.stage());
    }

    private static String outcome(ProvisionResult r) {
      return switch (r.outcome()) {
        case CREATED ->
            "Created "
                + r.cluster()
                + (r.createdNodePools().isEmpty()
                    ? ""
                    : " with node pools " + String.join(", ", r.createdNodePools()));
        case UNCHANGED -> "Exists and matches the spec: " + r.cluster();
        case DIFFERS ->
            "Exists and differs from the spec (not changed): "
                + r.cluster()
                + "; fields: "
                + String.join(", ", r.changedFields())
                + (r.needsRecreation().isEmpty()
                    ? ""
                    : "; need re-creation: " + String.join(", ", r.needsRecreation()));
        case UPDATED -> "Updated " + r.cluster() + ": " + String.join(", ", r.changedFields());
      };
    }
  }

  /** Reads {@code 500ms}, {@code 10s}, {@code 45m}, {@code 1h} or ISO-8601 ({@code PT10S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      Matcher m = SIMPLE.matcher(value.trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      try {
        return Duration.parse(value.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration; use for example 500ms, 10s, 45m or PT10S");
      }
    }
  }
}
