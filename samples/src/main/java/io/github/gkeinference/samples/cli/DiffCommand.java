package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.emit.KubernetesApplier;
import io.github.gkeinference.core.emit.ResourceDiff;
import io.github.gkeinference.core.render.RenderedSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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

/** {@code diff <dir>}: what {@code apply} would change, without changing anything. */
@Command(
    name = "diff",
    footerHeading = "%nExamples:%n",
    footer = {"  gke-inference diff manifests", "  gke-inference diff manifests --prune -o json"},
    mixinStandardHelpOptions = true,
    description = {
      "Compare a directory of Kubernetes YAML with the live objects of the current kubeconfig"
          + " context: '+' would be created, '~' would change (with the differing field paths),"
          + " '=' unchanged, '-' would be pruned (with --prune).",
      "Exit 0 when nothing would change, 1 when something would, 2 on invalid input."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory (or one file).")
  Path dir = Path.of(".");

  @Option(
      names = "--prune",
      description = "Also list objects of this apply set that apply --prune would delete.")
  boolean prune;

  @Option(
      names = "--instance",
      paramLabel = "NAME",
      description = "The apply set's name (a label value); default: the directory's name.")
  @Nullable String instance;

  @Mixin KubeOptions kube = new KubeOptions();
  @Mixin OutputFormat output = new OutputFormat();

  /** {@code -o json}: every object with what would happen to it, and the counts. */
  record Result(List<Change> objects, Summary summary) {}

  /**
   * One object: {@code change} is {@code create}, {@code change}, {@code unchanged} or {@code
   * prune}; {@code changedFields} the differing field paths of a {@code change}.
   */
  record Change(
      String change,
      String kind,
      @Nullable String namespace,
      String name,
      List<String> changedFields) {}

  /** How many objects would be created, changed, left alone and pruned. */
  record Summary(int create, int change, int unchanged, int prune) {}

  @Override
  public Integer call() {
    var cli = Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    RenderedSet set = ManifestReader.readOrReport(dir, err);
    if (set == null) {
      return GkeInferenceCli.INVALID;
    }
    String name = instance != null ? instance : KubeOptions.defaultInstance(dir);
    KubeOptions.Outcome<List<ResourceDiff>> outcome =
        kube.run(
            err, client -> KubernetesApplier.builder(client, name).prune(prune).build().diff(set));
    List<ResourceDiff> diffs = outcome.value();
    if (diffs == null) {
      // as kubectl diff: 1 means differences, so any error (even one from the cluster) is 2
      return GkeInferenceCli.INVALID;
    }
    Map<ResourceDiff.Change, Integer> counts = new EnumMap<>(ResourceDiff.Change.class);
    List<Change> objects = new ArrayList<>();
    for (ResourceDiff d : diffs) {
      counts.merge(d.change(), 1, Integer::sum);
      String object =
          d.kind() + " " + (d.namespace() == null ? "" : d.namespace() + "/") + d.name();
      String change =
          switch (d.change()) {
            case ADDED -> "create";
            case CHANGED -> "change";
            case UNCHANGED -> "unchanged";
            case WOULD_PRUNE -> "prune";
          };
      objects.add(
          new Change(
              change,
              d.kind(),
              d.namespace(),
              d.name(),
              d.change() == ResourceDiff.Change.CHANGED ? d.changedFields() : List.of()));
      if (output.table()) {
        switch (d.change()) {
          case ADDED -> out.println("+ " + object);
          case CHANGED -> out.println("~ " + object + ": " + String.join(", ", d.changedFields()));
          case UNCHANGED -> out.println("= " + object);
          case WOULD_PRUNE -> out.println("- " + object);
        }
      }
    }
    Summary summary =
        new Summary(
            counts.getOrDefault(ResourceDiff.Change.ADDED, 0),
            counts.getOrDefault(ResourceDiff.Change.CHANGED, 0),
            counts.getOrDefault(ResourceDiff.Change.UNCHANGED, 0),
            counts.getOrDefault(ResourceDiff.Change.WOULD_PRUNE, 0));
    if (output.table()) {
      out.printf(
          "%d to create, %d to change, %d unchanged, %d to prune%n",
          summary.create(), summary.change(), summary.unchanged(), summary.prune());
    } else {
      output.print(out, new Result(objects, summary));
    }
    out.flush();
    boolean changes = diffs.stream().anyMatch(d -> d.change() != ResourceDiff.Change.UNCHANGED);
    return changes ? GkeInferenceCli.FINDINGS : GkeInferenceCli.OK;
  }
}
