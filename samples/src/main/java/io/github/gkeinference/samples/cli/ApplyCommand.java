package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.emit.ApplyAction;
import io.github.gkeinference.core.emit.ApplyReport;
import io.github.gkeinference.core.emit.KubernetesApplier;
import io.github.gkeinference.core.emit.ResourceResult;
import io.github.gkeinference.core.render.RenderedSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code apply <dir>}: server-side applies a directory of YAML to the current cluster. */
@Command(
    name = "apply",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference apply manifests --dry-run",
      "  gke-inference apply manifests --prune --context my-cluster",
      "  gke-inference apply manifests --policy samples/policies/platform.yaml"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Server-side apply a directory of Kubernetes YAML (as 'render --out' writes it) to the"
          + " cluster of the current kubeconfig context, in dependency order, with a progress"
          + " line per object and a summary.",
      "Every object gets the ownership labels app.kubernetes.io/managed-by=gke-inference-sdk and"
          + " gkeinference.github.io/apply-set=<instance>; --prune deletes objects with both labels"
          + " that are no longer in the directory.",
      "With --policy FILE the platform's rules are checked over the whole directory first: when"
          + " any rule finds an error, nothing is applied (no object, not even the allowed ones)"
          + " and the command exits 2 listing every violation.",
      "Exit 0 when every object was applied (and, with --wait, every workload became ready), 1"
          + " when one failed or was not ready, 2 on invalid input."
    })
final class ApplyCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory (or one file).")
  Path dir = Path.of(".");

  @Option(
      names = "--dry-run",
      description =
          "Send every apply as a server-side dry run: the server validates, nothing changes.")
  boolean dryRun;

  @Option(
      names = "--prune",
      description = "Delete objects of this apply set that are no longer in the directory.")
  boolean prune;

  @Option(
      names = "--force-conflicts",
      description = "Take over fields another field manager owns instead of failing.")
  boolean forceConflicts;

  @Option(
      names = "--wait",
      paramLabel = "TIMEOUT",
      arity = "0..1",
      fallbackValue = "15m",
      converter = ClusterCommand.DurationConverter.class,
      description =
          "After applying, wait until each Deployment, StatefulSet and LeaderWorkerSet is ready,"
              + " at most TIMEOUT each (e.g. 10m; 15m when given without a value), with a"
              + " progress line on a terminal. Exit 1 when one is not ready.")
  @Nullable Duration wait;

  @Option(
      names = "--instance",
      paramLabel = "NAME",
      description = "The apply set's name (a label value); default: the directory's name.")
  @Nullable String instance;

  @Mixin KubeOptions kube = new KubeOptions();

  @Mixin PolicyOption policy = new PolicyOption();

  @Override
  public Integer call() {
    var cli = Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    RenderedSet set = ManifestReader.readOrReport(dir, err);
    if (set == null) {
      return GkeInferenceCli.INVALID;
    }
    if (set.kubernetesResources().isEmpty()) {
      err.println("error: no Kubernetes objects in " + dir);
      return GkeInferenceCli.INVALID;
    }
    // before the cluster is reached: a refused directory is not applied at all, so nothing of it
    // is half-applied
    Integer refused = policy.refusal(set, err);
    if (refused != null) {
      return refused;
    }
    String name = instance != null ? instance : KubeOptions.defaultInstance(dir);
    String suffix = dryRun ? " (dry run)" : "";
    KubeOptions.Outcome<ApplyReport> outcome;
    try (Progress progress = Progress.of(cli.getCommandSpec())) {
      String status =
          wait != null && !dryRun
              ? "applying "
                  + set.kubernetesResources().size()
                  + " objects, then waiting for"
                  + " readiness (at most "
                  + wait
                  + " each)"
              : "applying " + set.kubernetesResources().size() + " objects";
      outcome =
          kube.run(
              err,
              client ->
                  progress.ticking(
                      status,
                      () -> {
                        KubernetesApplier.Builder applier =
                            KubernetesApplier.builder(client, name)
                                .dryRun(dryRun)
                                .prune(prune)
                                .forceConflicts(forceConflicts)
                                .progress(r -> progress.println(out, line(r) + suffix));
                        if (wait != null) {
                          applier.waitForReady(wait);
                        }
                        return applier.build().apply(set);
                      }));
    }
    ApplyReport report = outcome.value();
    if (report == null) {
      return outcome.exitCode();
    }
    for (ResourceResult r : report.withAction(ApplyAction.NOT_ATTEMPTED)) {
      out.println(line(r));
    }
    out.println(summary(report, name));
    out.flush();
    return report.hasFailures() || !report.allReady()
        ? GkeInferenceCli.FINDINGS
        : GkeInferenceCli.OK;
  }

  /** One progress line: {@code Deployment ml/vllm: created}, with the reason of a failure. */
  static String line(ResourceResult r) {
    return r.kind()
        + " "
        + (r.namespace() == null ? "" : r.namespace() + "/")
        + r.name()
        + ": "
        + r.action().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + (r.reason() == null ? "" : " (" + r.reason() + ")")
        + switch (r.readiness()) {
          case READY -> ", ready";
          case NOT_READY -> ", not ready";
          case NOT_CHECKED -> "";
        };
  }

  private static String summary(ApplyReport report, String instance) {
    Map<ApplyAction, Integer> counts = new EnumMap<>(ApplyAction.class);
    for (ResourceResult r : report.results()) {
      counts.merge(r.action(), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (action, n) ->
            parts.add(n + " " + action.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    return report.results().size()
        + " objects in apply set "
        + instance
        + ": "
        + String.join(", ", parts)
        + readiness(report)
        + (report.dryRun() ? " (server-side dry run: nothing was changed)" : "");
  }

  /** {@code ; 1 ready, 1 not ready} when readiness was checked, else nothing. */
  private static String readiness(ApplyReport report) {
    long ready = 0;
    long notReady = 0;
    for (ResourceResult r : report.results()) {
      ready += r.readiness() == ResourceResult.Readiness.READY ? 1 : 0;
      notReady += r.readiness() == ResourceResult.Readiness.NOT_READY ? 1 : 0;
    }
    return ready + notReady == 0 ? "" : "; " + ready + " ready, " + notReady + " not ready";
  }
}
