package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitReport;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.plan.KvCacheDtype;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.model.ModelConfigs;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plan --model ID}: fits a model on accelerators with the SDK's fit planner and prints one
 * row per accelerator option; {@code --report} also writes a self-contained HTML page with charts.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Plan a model on accelerators: does it fit, with which tensor parallelism, how each device's"
          + " memory is split, how many KV cache blocks and tokens that leaves and how many"
          + " full-length sequences run at once.",
      "Memory is per device in GB (10^9 bytes). Exit 0 when at least one option fits, 1 when"
          + " none does, 2 on invalid input."
    })
final class PlanCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "ID|FILE",
      description =
          "A model of the catalog (Hugging Face id, any case; see 'catalog models') or the path"
              + " of a config.json.")
  String model = "";

  @Option(
      names = "--accelerator",
      paramLabel = "LABEL",
      description =
          "An accelerator label to consider (repeatable), e.g. nvidia-h100-80gb; default: every"
              + " accelerator of the catalog.")
  List<String> accelerators = new ArrayList<>();

  @Option(
      names = "--max-model-len",
      paramLabel = "N",
      description =
          "The longest sequence to serve (vLLM --max-model-len); default: the longest the KV"
              + " cache and the model allow.")
  @Nullable Integer maxModelLen;

  @Option(
      names = "--kv-dtype",
      paramLabel = "D",
      description = "The KV cache dtype (vLLM --kv-cache-dtype): auto, fp8, fp8_e4m3, fp8_e5m2.")
  String kvDtype = "auto";

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write a self-contained HTML report with SVG charts to FILE.")
  @Nullable Path report;

  @Override
  public Integer call() {
    var cli = Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    List<String> errors = new ArrayList<>();
    Optional<ModelArchitecture> architecture = architecture(errors);
    Optional<KvCacheDtype> dtype = kvCacheDtype(errors);
    AcceleratorCatalog catalog = AcceleratorCatalog.standard();
    for (String label : accelerators) {
      if (catalog.byLabel(label).isEmpty()) {
        errors.add(
            "error: unknown accelerator '"
                + label
                + "'; known: "
                + String.join(", ", catalog.all().stream().map(t -> t.label()).toList()));
      }
    }
    if (!errors.isEmpty() || architecture.isEmpty() || dtype.isEmpty()) {
      errors.forEach(err::println);
      return GkeInferenceCli.INVALID;
    }
    FitRequest request;
    try {
      FitRequest.Builder b =
          FitRequest.builder()
              .architecture(architecture.get())
              .kvCacheDtype(dtype.get())
              .candidates(accelerators);
      if (maxModelLen != null) {
        b.maxModelLen(maxModelLen);
      }
      request = b.build();
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    }
    FitReport plans = FitPlanner.plan(request);
    print(out, request, plans);
    if (report != null) {
      try {
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(report, PlanReport.html(model, request, plans), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("error: cannot write " + report + ": " + e.getMessage());
        return GkeInferenceCli.INVALID;
      }
      out.println("Wrote the HTML report to " + report);
    }
    out.flush();
    return plans.recommendation().isPresent() ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
  }

  private Optional<ModelArchitecture> architecture(List<String> errors) {
    Optional<CatalogEntry> entry = ModelCatalog.find(model);
    if (entry.isPresent()) {
      return Optional.of(entry.get().architecture());
    }
    Path file = Path.of(model);
    if (Files.isDirectory(file)) {
      file = file.resolve("config.json");
    }
    if (!Files.isRegularFile(file)) {
      errors.add(
          "error: unknown model '"
              + model
              + "': not in the model catalog (see 'gke-inference catalog models') and not a"
              + " config.json file");
      return Optional.empty();
    }
    try {
      return Optional.of(ModelConfigs.read(file));
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        errors.add(file + ": " + v);
      }
    } catch (SdkException e) {
      errors.add("error: " + e.getMessage());
    }
    return Optional.empty();
  }

  private Optional<KvCacheDtype> kvCacheDtype(List<String> errors) {
    String d = kvDtype.trim().toLowerCase(Locale.ROOT);
    if (d.equals("fp8")) {
      return Optional.of(KvCacheDtype.FP8_E4M3); // vLLM: fp8 is an alias of fp8_e4m3
    }
    for (KvCacheDtype t : KvCacheDtype.values()) {
      if (t.flag().equals(d)) {
        return Optional.of(t);
      }
    }
    errors.add("error: unknown --kv-dtype '" + kvDtype + "'; use auto, fp8, fp8_e4m3 or fp8_e5m2");
    return Optional.empty();
  }

  private void print(PrintWriter out, FitRequest request, FitReport plans) {
    ModelArchitecture a = request.architecture();
    out.printf(
        Locale.ROOT,
        "Model %s: %.1f B parameters, %s, max_position_embeddings %d%n",
        model,
        a.totalParameters() / 1e9,
        a.nativeDtype().configName(),
        a.maxPositionEmbeddings());
    out.printf(
        Locale.ROOT,
        "KV cache dtype %s, block size %d, gpu-memory-utilization %.2f; memory per device in GB%n%n",
        request.kvCacheDtype().flag(),
        request.blockSize(),
        request.gpuMemoryUtilization());
    boolean colour = CliSettings.colour();
    UnaryOperator<String> plain = s -> s;
    UnaryOperator<String> green = colour ? s -> "\u001b[32m" + s + "\u001b[0m" : plain;
    UnaryOperator<String> red = colour ? s -> "\u001b[31m" + s + "\u001b[0m" : plain;
    Table table =
        Table.of(
                "ACCELERATOR",
                "MACHINE",
                "FITS",
                "TP",
                "DEVICE",
                "USABLE",
                "WEIGHTS",
                "RESERVE",
                "KV CACHE",
                "KV BLOCKS",
                "KV TOKENS",
                "MAX MODEL LEN",
                "MAX SEQS")
            .rightAlign(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    for (FitPlan p : plans.plans()) {
      var m = p.memory();
      table.row(
          List.of(
              p.accelerator(),
              p.machineType() + p.topology().map(t -> " (" + t + ")").orElse(""),
              p.feasible() ? "yes" : "no",
              String.valueOf(p.tensorParallelism()),
              gb(m.device()),
              gb(m.usable()),
              gb(m.weights()),
              gb(m.runtimeReserve()),
              gb(m.kvCache()),
              count(p.kvBlocks()),
              count(p.kvTokens()),
              p.maxModelLen() == 0 ? "-" : count(p.maxModelLen()),
              String.valueOf(p.maxConcurrentSequences())),
          List.of(plain, plain, p.feasible() ? green : red));
    }
    table.print(out);
    List<FitPlan> infeasible = plans.plans().stream().filter(p -> !p.feasible()).toList();
    if (!infeasible.isEmpty()) {
      out.println();
      out.println("Why not:");
      for (FitPlan p : infeasible) {
        out.println(
            "  " + p.accelerator() + " x" + p.devices() + ": " + String.join("; ", p.reasons()));
      }
    }
    out.println();
    Optional<FitPlan> best = plans.recommendation();
    if (best.isPresent()) {
      FitPlan p = best.get();
      out.println(
          "Recommended: "
              + p.accelerator()
              + " x"
              + p.devices()
              + " on "
              + p.machineType()
              + ": "
              + String.join(" ", p.vllmArgs()));
    } else {
      out.println("No accelerator option fits this model.");
    }
  }

  static String gb(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1e9);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
