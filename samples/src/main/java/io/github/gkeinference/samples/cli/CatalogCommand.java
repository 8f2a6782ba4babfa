package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.catalog.TpuTopology;
import io.github.gkeinference.accelerators.plan.KvCacheDtype;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code catalog models|accelerators}: prints the SDK's catalogs as tables. */
@Command(
    name = "catalog",
    footerHeading = "%nExamples:%n",
    footer = {"  gke-inference catalog models", "  gke-inference catalog accelerators -o json"},
    mixinStandardHelpOptions = true,
    description = "Print the model catalog or the accelerator catalog.",
    subcommands = {CatalogCommand.Models.class, CatalogCommand.Accelerators.class})
final class CatalogCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cli = Objects.requireNonNull(spec).commandLine();
    cli.getErr().println("error: name a catalog: models or accelerators");
    cli.usage(cli.getErr());
    return GkeInferenceCli.INVALID;
  }

  /** {@code catalog models}. */
  @Command(
      name = "models",
      footerHeading = "%nExamples:%n",
      footer = {"  gke-inference catalog models", "  gke-inference catalog models -o yaml"},
      mixinStandardHelpOptions = true,
      description = {
        "The models the SDK knows without a config.json, with the facts the planner uses.",
        "KV/TOKEN is the KV cache of one token over all layers in the model's own dtype;"
            + " parameters in billions."
      })
  static final class Models implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @Mixin OutputFormat output = new OutputFormat();

    /** {@code -o json}: {@code {"models": [...]}}. */
    record Result(List<Model> models) {}

    /** One model; parameters as counts, the KV cache of one token in bytes. */
    record Model(
        String id,
        String type,
        long parameters,
        long activeParameters,
        String dtype,
        int layers,
        int attentionHeads,
        int kvHeads,
        int maxContext,
        long kvBytesPerToken,
        String attention) {}

    @Override
    public Integer call() {
      PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
      if (!output.table()) {
        List<Model> models = new ArrayList<>();
        for (CatalogEntry e : ModelCatalog.all()) {
          ModelArchitecture a = e.architecture();
          models.add(
              new Model(
                  e.huggingFaceId(),
                  a.modelType(),
                  a.totalParameters(),
                  a.activeParameters(),
                  a.nativeDtype().configName(),
                  a.numLayers(),
                  a.numAttentionHeads(),
                  a.numKeyValueHeads(),
                  a.maxPositionEmbeddings(),
                  kvPerToken(a),
                  attention(a)));
        }
        output.print(out, new Result(models));
        return GkeInferenceCli.OK;
      }
      Table table =
          Table.of(
                  "MODEL",
                  "TYPE",
                  "PARAMS",
                  "ACTIVE",
                  "DTYPE",
                  "LAYERS",
                  "HEADS",
                  "KV HEADS",
                  "MAX CONTEXT",
                  "KV/TOKEN",
                  "ATTENTION")
              .rightAlign(2, 3, 5, 6, 7, 8, 9);
      for (CatalogEntry e : ModelCatalog.all()) {
        ModelArchitecture a = e.architecture();
        long kvPerToken = kvPerToken(a);
        table.row(
            e.huggingFaceId(),
            a.modelType(),
            billions(a.totalParameters()),
            billions(a.activeParameters()),
            a.nativeDtype().configName(),
            String.valueOf(a.numLayers()),
            String.valueOf(a.numAttentionHeads()),
            String.valueOf(a.numKeyValueHeads()),
            String.format(Locale.ROOT, "%,d", a.maxPositionEmbeddings()),
            String.format(Locale.ROOT, "%.0f KiB", kvPerToken / 1024.0),
            attention(a));
      }
      table.print(out);
      out.println();
      out.println(
          ModelCatalog.all().size()
              + " models; facts from each model's published config.json. Plan one with"
              + " 'gke-inference plan --model ID'.");
      out.flush();
      return GkeInferenceCli.OK;
    }

    private static long kvPerToken(ModelArchitecture a) {
      return a.kvCacheBytes(KvCacheDtype.AUTO.storage(a.nativeDtype()), 1);
    }

    private static String billions(long parameters) {
      return String.format(Locale.ROOT, "%.1f B", parameters / 1e9);
    }

    private static String attention(ModelArchitecture a) {
      StringBuilder s = new StringBuilder(a.mla().isPresent() ? "MLA" : "GQA");
      a.moe()
          .ifPresent(
              m ->
                  s.append(", MoE ")
                      .append(m.expertsPerToken())
                      .append('/')
                      .append(m.numExperts()));
      TreeSet<String> kinds = new TreeSet<>();
      for (int i = 0; i < a.numLayers(); i++) {
        kinds.add(a.attention(i).toString());
      }
      if (kinds.size() > 1) {
        s.append(", mixed layers");
      }
      return s.toString();
    }
  }

  /** {@code catalog accelerators}. */
  @Command(
      name = "accelerators",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference catalog accelerators",
        "  gke-inference catalog accelerators -o json"
      },
      mixinStandardHelpOptions = true,
      description = {
        "The GKE accelerators the SDK knows: label, memory per device or chip, the device counts"
            + " of their machine types and the single-host TPU topologies."
      })
  static final class Accelerators implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @Mixin OutputFormat output = new OutputFormat();

    /** {@code -o json}: {@code {"accelerators": [...]}}. */
    record Result(List<Accelerator> accelerators) {}

    /** One accelerator: its device counts per machine and single-host TPU topologies, sorted. */
    record Accelerator(
        String label,
        String name,
        String kind,
        String memory,
        List<Integer> devicesPerMachine,
        List<String> topologies,
        @Nullable String minimumGkeVersion) {}

    @Override
    public Integer call() {
      PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
      Table table =
          Table.of(
              "LABEL", "NAME", "KIND", "MEMORY", "DEVICES PER MACHINE", "TOPOLOGIES", "MIN GKE");
      List<AcceleratorType> all = AcceleratorCatalog.standard().all();
      List<Accelerator> rows = new ArrayList<>();
      for (AcceleratorType t : all) {
        TreeSet<Integer> devices = new TreeSet<>();
        for (MachineShape s : t.machineShapes()) {
          devices.add(s.devices());
        }
        TreeSet<String> topologies = new TreeSet<>();
        for (TpuTopology p : t.topologies()) {
          topologies.add(p.topology());
        }
        rows.add(
            new Accelerator(
                t.label(),
                t.displayName(),
                t.kind().toString(),
                t.memoryText(),
                List.copyOf(devices),
                List.copyOf(topologies),
                t.minimumGkeVersion().orElse(null)));
        table.row(
            t.label(),
            t.displayName(),
            t.kind().toString(),
            t.memoryText(),
            String.join(",", devices.stream().map(String::valueOf).toList()),
            topologies.isEmpty() ? "-" : abbreviate(String.join(" ", topologies), 40),
            t.minimumGkeVersion().orElse("-"));
      }
      if (!output.table()) {
        output.print(out, new Result(rows));
        return GkeInferenceCli.OK;
      }
      table.print(out);
      out.println();
      out.println(all.size() + " accelerators; every fact carries its source in the catalog.");
      out.flush();
      return GkeInferenceCli.OK;
    }

    private static String abbreviate(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
  }
}
