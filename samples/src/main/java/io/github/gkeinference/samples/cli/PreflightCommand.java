package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.preflight.AcceleratorDemand;
import io.github.gkeinference.accelerators.preflight.CheckStatus;
import io.github.gkeinference.accelerators.preflight.Feature;
import io.github.gkeinference.accelerators.preflight.Preflight;
import io.github.gkeinference.accelerators.preflight.PreflightCheck;
import io.github.gkeinference.accelerators.preflight.PreflightReport;
import io.github.gkeinference.accelerators.preflight.PreflightRequest;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.observability.scrape.ModelServerMonitoring;
import io.github.gkeinference.serving.JetStreamServer;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.VllmTpuServer;
import io.github.gkeinference.serving.async.AsyncInference;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import io.github.gkeinference.serving.gateway.MultiModelGateway;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code preflight -f SPEC}: checks quota, enabled APIs, GKE version floors, the accelerator's
 * zones and the ComputeClass fallback chains of a spec file's services before deploying them.
 */
@Command(
    name = "preflight",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference preflight -f samples/specs/online-inference-gpu.yaml --project my-project"
          + " --region us-central1 --cluster-version 1.34.1-gke.1127000",
      "  gke-inference preflight -f services.yaml --cluster-file cluster.yaml -o json",
      "  gke-inference preflight -f services.yaml --project my-project --region us-central1"
          + " --cluster inf-dev --feature NATIVE_SIDECARS"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Check, before deploying the services of a spec file: (a) regional GPU/TPU quota, on-demand"
          + " and preemptible (Compute Engine regions.get; TPU limits from the Cloud Quotas API),"
          + " (b) the APIs the services need are enabled (Service Usage), (c) the cluster's GKE"
          + " version against each feature's floor (given, or read from GKE with --cluster),"
          + " (d) the accelerator is offered in the region's zones (Compute Engine"
          + " acceleratorTypes), (e) each ComputeClass fallback chain has a priority quota"
          + " allows. Prints one row per check with pass/warn/fail and the fix.",
      "Credentials: Application Default Credentials. Without them, or without a permission, each"
          + " row says which permission it lacked and the other checks go on.",
      "Exit 0 when nothing failed (warnings allowed), 1 when any check failed, 2 on invalid input."
    })
final class PreflightCommand implements Callable<Integer> {
  /** Creates the preflight over the clients it needs; tests hand in the fakes' clients. */
  interface Connector {
    /**
     * Returns a preflight.
     *
     * @param request the request
     * @param opened receives what the command must close afterwards
     * @return the preflight
     */
    Preflight connect(PreflightRequest request, List<AutoCloseable> opened);
  }

  private final @Nullable Connector connector;

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "SPEC",
      description =
          "The services' spec file (as 'render -f' reads it): VllmServer, VllmTpuServer and"
              + " JetStreamServer give the accelerator, devices and replicas; the"
              + " AcceleratorComputeClass a server's placement names gives the fallback chain.")
  Path file = Path.of("spec.yaml");

  @Option(
      names = "--cluster-file",
      paramLabel = "FILE",
      description =
          "The cluster spec (as 'cluster create -f' reads it): project, region and cluster name.")
  @Nullable Path clusterFile;

  @Option(names = "--project", paramLabel = "PROJECT", description = "The project id.")
  @Nullable String project;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The region whose quota and zones are checked, for example us-central1.")
  @Nullable String region;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "The cluster, to read its GKE version from GKE (container.clusters.get).")
  @Nullable String cluster;

  @Option(
      names = "--cluster-version",
      paramLabel = "VERSION",
      description = "The cluster's GKE version, for example 1.34.1-gke.1127000 (no GKE call).")
  @Nullable String clusterVersion;

  @Option(
      names = "--feature",
      paramLabel = "FEATURE",
      description =
          "A feature the spec file does not show (repeatable): ${COMPLETION-CANDIDATES}. The file"
              + " gives GCS_FUSE (gcsFuse sources), MONITORING (ModelServerMonitoring),"
              + " ASYNC_PUBSUB (AsyncInference), INFERENCE_GATEWAY (InferenceGateway, MultiModelGateway) and TPU.")
  List<Feature> features = new ArrayList<>();

  @Mixin OutputFormat output = new OutputFormat();

  /** The command as users run it: Google APIs through Application Default Credentials. */
  PreflightCommand() {
    this.connector = null;
  }

  /** The command with another way to reach Google (tests: the fakes). */
  PreflightCommand(Connector connector) {
    this.connector = connector;
  }

  /**
   * {@code -o json}: the project and region checked, every row and the counts.
   *
   * @param project the project
   * @param region the region
   * @param clusterVersion the version given, if any
   * @param checks the rows
   * @param passed rows that passed
   * @param warnings rows that warn
   * @param failed rows that failed
   */
  record Result(
      String project,
      String region,
      @Nullable String clusterVersion,
      List<PreflightCheck> checks,
      long passed,
      long warnings,
      long failed) {}

  @Override
  public Integer call() {
    var cli = Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    PreflightRequest request;
    try {
      Optional<PreflightRequest> built = request(err);
      if (built.isEmpty()) {
        return GkeInferenceCli.INVALID;
      }
      request = built.get();
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    }
    List<AutoCloseable> opened = new ArrayList<>();
    PreflightReport report;
    try {
      Preflight preflight =
          connector != null
              ? connector.connect(request, opened)
              : PreflightClients.connect(request, opened);
      report = preflight.run(request);
    } finally {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception e) {
          err.println("warning: closing a client failed: " + e.getMessage());
        }
      }
    }
    long passed = count(report, CheckStatus.PASS);
    long warnings = count(report, CheckStatus.WARN);
    long failed = count(report, CheckStatus.FAIL);
    if (output.table()) {
      Table table = Table.of("CHECK", "SUBJECT", "STATUS", "DETAIL", "FIX");
      for (PreflightCheck c : report.checks()) {
        table = table.row(c.check(), c.subject(), c.status().name(), c.detail(), c.fix());
      }
      table.print(out);
      out.println(
          report.checks().size()
              + " checks in "
              + report.project()
              + "/"
              + report.region()
              + ": "
              + passed
              + " pass, "
              + warnings
              + " warn, "
              + failed
              + " fail");
      out.flush();
    } else {
      output.print(
          out,
          new Result(
              report.project(),
              report.region(),
              request.clusterVersion().orElse(null),
              report.checks(),
              passed,
              warnings,
              failed));
    }
    return report.failed() ? GkeInferenceCli.FINDINGS : GkeInferenceCli.OK;
  }

  private static long count(PreflightReport report, CheckStatus status) {
    return report.checks().stream().filter(c -> c.status() == status).count();
  }

  /** Reads the files and options into a request; prints what is wrong and returns empty. */
  private Optional<PreflightRequest> request(PrintWriter err) {
    String text;
    try {
      text = InputFiles.read(file);
    } catch (InputFiles.InputException e) {
      err.println("error: " + e.getMessage());
      return Optional.empty();
    }
    PreflightRequest.Builder b = PreflightRequest.builder();
    String p = project;
    String r = region;
    String name = cluster;
    if (clusterFile != null) {
      Optional<ClusterSpec> c = ClusterCommand.read(clusterFile, err);
      if (c.isEmpty()) {
        return Optional.empty();
      }
      p = p != null ? p : c.get().project();
      r = r != null ? r : regionOf(c.get());
      name = name != null ? name : c.get().name();
      if (c.get().zonal()) {
        b.clusterLocation(c.get().location());
      }
    }
    if (p == null || r == null) {
      err.println("error: give --project and --region, or --cluster-file");
      return Optional.empty();
    }
    b.project(p).region(r);
    if (name != null) {
      b.clusterName(name);
    }
    if (clusterVersion != null) {
      b.clusterVersion(clusterVersion);
    }
    List<RenderableSpec> specs = SpecFiles.standard().read(text);
    Map<String, AcceleratorComputeClass> classes = new LinkedHashMap<>();
    for (RenderableSpec s : specs) {
      if (s instanceof AcceleratorComputeClass cc) {
        classes.put(cc.name(), cc);
      }
    }
    Set<Feature> found = EnumSet.noneOf(Feature.class);
    found.addAll(features);
    for (RenderableSpec s : specs) {
      if (s instanceof VllmServer v) {
        b.addDemand(demand(v.name(), v.placement(), 1, v.resolvedMaxReplicas(), classes));
        if (v.source() instanceof GcsFuseSource) {
          found.add(Feature.GCS_FUSE);
        }
      } else if (s instanceof VllmTpuServer v) {
        b.addDemand(demand(v.name(), v.placement(), v.replicas(), v.replicas(), classes));
        if (v.source() instanceof GcsFuseSource) {
          found.add(Feature.GCS_FUSE);
        }
      } else if (s instanceof JetStreamServer j) {
        b.addDemand(demand(j.name(), j.placement(), j.replicas(), j.replicas(), classes));
      } else if (s instanceof ModelServerMonitoring) {
        found.add(Feature.MONITORING);
      } else if (s instanceof AsyncInference) {
        found.add(Feature.ASYNC_PUBSUB);
      } else if (s instanceof InferenceGateway || s instanceof MultiModelGateway) {
        found.add(Feature.INFERENCE_GATEWAY);
      }
    }
    b.features(found);
    return Optional.of(b.build());
  }

  /** The region of a cluster: its location, or the region of its zone. */
  private static String regionOf(ClusterSpec c) {
    String location = c.location();
    return c.zonal() ? location.substring(0, location.lastIndexOf('-')) : location;
  }

  private static AcceleratorDemand demand(
      String name,
      AcceleratorPlacement placement,
      int minReplicas,
      int maxReplicas,
      Map<String, AcceleratorComputeClass> classes) {
    Optional<AcceleratorComputeClass> cc = placement.computeClass().map(classes::get);
    if (cc.isPresent()) {
      return AcceleratorDemand.of(name, cc.get(), minReplicas, maxReplicas);
    }
    return AcceleratorDemand.builder()
        .name(name)
        .accelerator(placement.accelerator())
        .devices(placement.devices())
        .minReplicas(minReplicas)
        .maxReplicas(Math.max(1, maxReplicas))
        .build();
  }
}
