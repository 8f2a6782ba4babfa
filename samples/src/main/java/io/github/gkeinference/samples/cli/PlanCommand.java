package io.github.gkeinference.samples.cli;

import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartClient;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.giq.FetchedProfiles;
import io.github.gkeinference.accelerators.giq.GiqProfiles;
import io.github.gkeinference.accelerators.giq.GiqQuery;
import io.github.gkeinference.accelerators.plan.DraftModel;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.KvCacheDtype;
import io.github.gkeinference.accelerators.plan.LoraSlots;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
import io.github.gkeinference.accelerators.plan.ServingReport;
import io.github.gkeinference.accelerators.price.BundledPrices;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.model.ModelConfigs;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.samples.OnlineInferenceGpu;
import io.github.gkeinference.samples.SampleOptions;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.DoubleFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code plan --model ID}: recommends what to deploy for a workload and an SLO with the SDK's
 * serving planner and prints one row per option (layout, fit, estimated speed, replicas and cost);
 * {@code -o json|yaml} prints the same as JSON or YAML, {@code --report} also writes a
 * self-contained HTML page.
 */
@Command(
    name = "plan",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference plan --model meta-llama/Llama-3.1-8B-Instruct",
      "  gke-inference plan --model meta-llama/Llama-3.3-70B-Instruct --qps 20 --ttft 500 -o json",
      "  gke-inference plan --model path/to/config.json --accelerator nvidia-l4 --report plan.html"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Recommend what to deploy: every accelerator, device count and multi-host layout that holds"
          + " the model, its estimated TTFT, NTPOT, tokens/s and QPS per replica at the most load"
          + " that meets the SLO, the replicas a target rate needs, $/hour and $/1M output tokens,"
          + " cheapest first; rejected options say why.",
      "Without options the workload is interactive chat: 1,024 prompt and 256 output tokens,"
          + " max model len 8,192, TTFT 2,000 ms, NTPOT 100 ms, on-demand prices in us-central1."
          + " Speeds and costs are estimates (docs/planning-accuracy.md). Exit 0 when an option"
          + " meets the goal, 1 when none does, 2 on invalid input."
    })
final class PlanCommand implements Callable<Integer> {
  /** Opens the GIQ client for {@code --profiles giq}; the command closes it. */
  interface GiqOpener {
    /** Opens a client. */
    GkeInferenceQuickstartClient open() throws IOException;
  }

  private final GiqOpener giqOpener;

  /** The command as users run it: GIQ through Application Default Credentials. */
  PlanCommand() {
    this(GkeInferenceQuickstartClient::create);
  }

  /** The command with another way to reach GIQ (tests: the fake). */
  PlanCommand(GiqOpener giqOpener) {
    this.giqOpener = giqOpener;
  }

  @Spec @Nullable CommandSpec spec;

  @Mixin PolicyOption policy = new PolicyOption();

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
      names = VllmFlags.MAX_MODEL_LEN,
      paramLabel = "N",
      description =
          "The served context (vLLM "
              + VllmFlags.MAX_MODEL_LEN
              + "); default 8192 or the model's limit.")
  @Nullable Integer maxModelLen;

  @Option(
      names = "--kv-dtype",
      paramLabel = "D",
      description = "The KV cache dtype (vLLM --kv-cache-dtype): auto, fp8, fp8_e4m3, fp8_e5m2.")
  String kvDtype = "auto";

  @Option(
      names = "--weight-dtype",
      paramLabel = "D",
      description =
          "The weight dtype: bf16, fp8, int8, int4, mxfp4; default the checkpoint's dtype.")
  @Nullable String weightDtype;

  @Option(
      names = "--input-tokens",
      paramLabel = "N",
      description = "Prompt tokens per request; default 1024.")
  @Nullable Integer inputTokens;

  @Option(
      names = "--output-tokens",
      paramLabel = "N",
      description = "Output tokens per request; default 256.")
  @Nullable Integer outputTokens;

  @Option(
      names = "--qps",
      paramLabel = "QPS",
      description = "Requests per second to serve; sizes replicas. Default: one replica.")
  @Nullable Double qps;

  @Option(
      names = "--ttft",
      paramLabel = "MS",
      description = "Time-to-first-token target in milliseconds; default 2000.")
  @Nullable Double ttft;

  @Option(
      names = "--ntpot",
      paramLabel = "MS",
      description = "Normalized time-per-output-token target in milliseconds; default 100.")
  @Nullable Double ntpot;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The region prices are read for; default us-central1.")
  @Nullable String region;

  @Option(
      names = "--pricing",
      paramLabel = "MODEL",
      description = "on-demand (default), spot, 1-year-cud or 3-years-cud.")
  @Nullable String pricing;

  @Option(
      names = "--max-loras",
      paramLabel = "N",
      description =
          "LoRA adapters in one batch (vLLM --max-loras); with --max-lora-rank, their slots' memory"
              + " comes out of the KV cache (an estimate). Default 1 when a rank is given.")
  @Nullable Integer maxLoras;

  @Option(
      names = {"--max-lora-rank", "--lora-rank"},
      paramLabel = "R",
      description =
          "The largest LoRA rank served (vLLM --max-lora-rank: 8, 16, 32, 64, 128, 256, 320 or"
              + " 512); plans with LoRA adapter slots.")
  @Nullable Integer maxLoraRank;

  @Option(
      names = "--max-cpu-loras",
      paramLabel = "N",
      description =
          "Adapters cached in host memory (vLLM --max-cpu-loras): shown, not counted, since it"
              + " uses no accelerator memory.")
  @Nullable Integer maxCpuLoras;

  @Option(
      names = "--draft-model",
      paramLabel = "ID|FILE",
      description =
          "A draft model for speculative decoding (catalog id or config.json); its weights and"
              + " its layers' KV cache come out of the KV cache (estimates).")
  @Nullable String draftModel;

  @Option(
      names = "--draft-tp",
      paramLabel = "N",
      description =
          "The draft's tensor parallelism (draft_tensor_parallel_size); default the" + " target's.")
  @Nullable Integer draftTp;

  @Mixin OutputFormat output = new OutputFormat();

  @Option(
      names = "--profiles",
      paramLabel = "SOURCE",
      description =
          "estimate (default): the SDK's performance model only; giq: also GKE Inference"
              + " Quickstart's measured profiles of the model (Google Cloud credentials from the"
              + " environment: Application Default Credentials).")
  String profiles = "estimate";

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
    Optional<DataType> weights = Optional.empty();
    if (weightDtype != null) {
      weights = DataType.fromName(weightDtype);
      if (weights.isEmpty()) {
        errors.add(
            "error: unknown --weight-dtype '"
                + weightDtype
                + "'; use bf16, fp16, fp8, int8, int4 or mxfp4");
      }
    }
    if (!profiles.equals("estimate") && !profiles.equals("giq")) {
      errors.add("error: unknown --profiles '" + profiles + "'; use estimate or giq");
    } else if (profiles.equals("giq") && !output.table()) {
      errors.add(
          "error: --profiles giq prints a table; it does not support -o " + output.format + " yet");
    }
    Optional<ModelArchitecture> draft = Optional.empty();
    if (draftModel != null) {
      draft = architecture(draftModel, errors);
    } else if (draftTp != null) {
      errors.add("error: --draft-tp needs --draft-model");
    }
    if (maxLoraRank == null && (maxLoras != null || maxCpuLoras != null)) {
      errors.add("error: --max-loras and --max-cpu-loras need --max-lora-rank");
    }
    if (maxCpuLoras != null && maxCpuLoras < (maxLoras == null ? 1 : maxLoras)) {
      // vLLM: max_cpu_loras must be >= max_loras (vllm/config/lora.py, LoRAConfig.__post_init__)
      errors.add("error: --max-cpu-loras must be at least --max-loras");
    }
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
    ServingGoal goal;
    ServingReport plans;
    try {
      ServingGoal.Builder b =
          ServingGoal.builder()
              .architecture(architecture.get())
              .model(model)
              .kvCacheDtype(dtype.get())
              .candidates(accelerators);
      weights.ifPresent(b::weightDtype);
      if (maxLoraRank != null) {
        b.lora(
            LoraSlots.builder()
                .maxLoras(maxLoras == null ? LoraSlots.DEFAULT_MAX_LORAS : maxLoras)
                .maxLoraRank(maxLoraRank)
                .build());
      }
      if (draft.isPresent()) {
        DraftModel.Builder d = DraftModel.builder().architecture(draft.get());
        if (draftTp != null) {
          d.tensorParallelism(draftTp);
        }
        b.draft(d.build());
      }
      if (maxModelLen != null) {
        b.maxModelLen(maxModelLen);
      }
      if (inputTokens != null) {
        b.inputTokens(inputTokens);
      }
      if (outputTokens != null) {
        b.outputTokens(outputTokens);
      }
      if (qps != null) {
        b.targetQps(qps);
      }
      if (ttft != null) {
        b.ttftMillis(ttft);
      }
      if (ntpot != null) {
        b.ntpotMillis(ntpot);
      }
      if (region != null) {
        b.region(region);
      }
      if (pricing != null) {
        b.pricing(pricing);
      }
      goal = b.build();
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    }
    Optional<FetchedProfiles> measured = Optional.empty();
    if (profiles.equals("giq")) {
      GkeInferenceQuickstartClient client;
      try {
        client = giqOpener.open();
      } catch (IOException e) {
        err.println(
            "error: --profiles giq needs Google Cloud credentials: run 'gcloud auth"
                + " application-default login' or set GOOGLE_APPLICATION_CREDENTIALS ("
                + Objects.toString(e.getMessage(), "").lines().findFirst().orElse("")
                + ")");
        return GkeInferenceCli.INVALID;
      }
      try (client) {
        measured = Optional.of(new GiqProfiles(client).profiles(GiqQuery.of(model)));
      } catch (SdkException e) {
        err.println("error: " + e.getMessage());
        return GkeInferenceCli.INVALID;
      }
    }
    try {
      plans =
          ServingPlanner.plan(
              goal,
              BundledPrices.snapshot(),
              measured.map(FetchedProfiles::profiles).orElse(List.of()));
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    }
    if (output.table()) {
      print(out, goal, plans);
    } else {
      output.print(out, tree(goal, plans));
    }
    if (measured.isPresent()) {
      GiqSection.print(measured.get(), model, goal, plans, out);
    }
    if (report != null) {
      try {
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(report, PlanReport.html(model, plans), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("error: cannot write " + report + ": " + e.getMessage());
        return GkeInferenceCli.INVALID;
      }
      // with -o json|yaml standard output holds the document alone
      (output.table() ? out : err).println("Wrote the HTML report to " + report);
    }
    out.flush();
    if (plans.recommendation().isPresent()) {
      String best = plans.recommendation().get().fit().accelerator();
      Integer refused =
          policy.refusalOf(
              () ->
                  OnlineInferenceGpu.render(
                      new SampleOptions(
                          Optional.of(model),
                          Optional.of(best),
                          maxModelLen == null ? OptionalInt.empty() : OptionalInt.of(maxModelLen),
                          qps == null ? OptionalDouble.empty() : OptionalDouble.of(qps),
                          ttft == null ? OptionalDouble.empty() : OptionalDouble.of(ttft),
                          ntpot == null ? OptionalDouble.empty() : OptionalDouble.of(ntpot))),
              err);
      if (refused != null) {
        return refused;
      }
    }
    return plans.recommendation().isPresent() ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
  }

  private Optional<ModelArchitecture> architecture(List<String> errors) {
    return architecture(model, errors);
  }

  /** Resolves a catalog id or a config.json path (file or folder), or adds why it cannot. */
  private static Optional<ModelArchitecture> architecture(String model, List<String> errors) {
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

  /**
   * Returns the line that says which LoRA slots and draft model the plan counts, or empty without
   * either.
   */
  private Optional<String> adapterLine(ServingGoal goal) {
    List<String> parts = new ArrayList<>();
    goal.lora()
        .ifPresent(
            l ->
                parts.add(
                    "LoRA "
                        + l.maxLoras()
                        + " slot(s) of rank "
                        + l.maxLoraRank()
                        + (maxCpuLoras == null
                            ? ""
                            : " (" + maxCpuLoras + " more cached in host memory, not counted)")));
    goal.draft()
        .ifPresent(
            d ->
                parts.add(
                    "draft model "
                        + Objects.requireNonNull(draftModel)
                        + " ("
                        + fmt(d.architecture().totalParameters() / 1e9)
                        + " B parameters)"));
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        String.join("; ", parts)
            + ": their memory per device is taken out of the KV cache (estimates; LoRA on MoE"
            + " experts, MLA projections, embeddings and the LM head is not counted; the speed"
            + " model ignores their compute).");
  }

  private void print(PrintWriter out, ServingGoal goal, ServingReport plans) {
    ModelArchitecture a = goal.architecture();
    out.printf(
        Locale.ROOT,
        "Model %s: %.1f B parameters, weights %s, KV cache %s, max model len %,d%n",
        model,
        a.totalParameters() / 1e9,
        goal.weightDtype().configName(),
        goal.kvCacheDtype().flag(),
        goal.maxModelLen());
    out.printf(
        Locale.ROOT,
        "Workload %,d input + %,d output tokens; SLO TTFT <= %.0f ms, NTPOT <= %.0f ms; %s;"
            + " %s prices in %s%n",
        goal.inputTokens(),
        goal.outputTokens(),
        goal.ttftMillis(),
        goal.ntpotMillis(),
        fmt(goal.targetQps(), q -> "target " + fmt(q) + " QPS", "one replica"),
        goal.pricing(),
        goal.region());
    adapterLine(goal).ifPresent(out::println);
    out.println(
        "Speeds and costs are estimates of the performance model (docs/planning-accuracy.md)"
            + " unless BASIS says measured (GIQ); per replica unless marked total.");
    out.println(plans.rankingRule());
    out.println();
    boolean colour = GkeInferenceCli.colour(Objects.requireNonNull(spec));
    UnaryOperator<String> plain = s -> s;
    UnaryOperator<String> green = colour ? s -> "\u001b[32m" + s + "\u001b[0m" : plain;
    UnaryOperator<String> red = colour ? s -> "\u001b[31m" + s + "\u001b[0m" : plain;
    Table table =
        Table.of(
                "OPTION",
                "OK",
                "TP",
                "PP",
                "HOSTS",
                "FULL SEQS",
                "CONCURRENCY",
                "TTFT MS",
                "NTPOT MS",
                "TOKENS/S",
                "QPS",
                "REPLICAS",
                "$/HOUR TOTAL",
                "$/1M TOKENS",
                "BASIS")
            .rightAlign(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    for (ServingOption o : plans.options()) {
      FitPlan f = o.fit();
      table.row(
          List.of(
              label(o),
              o.feasible() ? "yes" : "no",
              String.valueOf(f.tensorParallelism()),
              String.valueOf(f.pipelineParallelism()),
              String.valueOf(f.hosts()),
              String.valueOf(f.maxConcurrentSequences()),
              String.valueOf(o.concurrency()),
              fmt(o.ttftMillis(), PlanCommand::fmt, "-"),
              fmt(o.ntpotMillis(), PlanCommand::fmt, "-"),
              fmt(o.outputTokensPerSecondPerReplica(), PlanCommand::fmt, "-"),
              fmt(o.requestsPerSecondPerReplica(), PlanCommand::fmt, "-"),
              o.feasible() ? String.valueOf(o.replicas()) : "-",
              fmt(o.usdPerHour(), PlanCommand::fmt, "-"),
              fmt(o.usdPerMillionOutputTokens(), PlanCommand::fmt, "-"),
              o.feasible() ? o.basis() : "-"),
          List.of(plain, o.feasible() ? green : red));
    }
    table.print(out);
    List<ServingOption> rejected = plans.rejected();
    if (!rejected.isEmpty()) {
      out.println();
      out.println("Why not:");
      for (ServingOption o : rejected) {
        out.println("  " + label(o) + ": " + String.join("; ", o.reasons()));
      }
    }
    // Each note once, after the options it applies to: the notes on an estimate's calibration are
    // the same for every option of an accelerator.
    Map<String, List<String>> noted = new LinkedHashMap<>();
    for (ServingOption o : plans.options()) {
      for (String note : o.notes()) {
        noted.computeIfAbsent(note, n -> new ArrayList<>()).add(label(o));
      }
    }
    if (!noted.isEmpty()) {
      out.println();
      out.println("Notes:");
      noted.forEach(
          (note, options) -> out.println("  " + String.join(", ", options) + ": " + note));
    }
    out.println();
    Optional<ServingOption> best = plans.recommendation();
    if (best.isPresent()) {
      ServingOption o = best.get();
      out.println(
          "Recommended: "
              + o.replicas()
              + " x "
              + o.name()
              + fmt(o.usdPerHour(), p -> ", $" + fmt(p) + "/hour", "")
              + fmt(
                  o.usdPerMillionOutputTokens(), p -> ", $" + fmt(p) + " per 1M output tokens", "")
              + " ("
              + o.basis()
              + "): "
              + String.join(" ", VllmFlags.of(o.fit())));
      if (!o.notes().isEmpty()) {
        out.println("  Notes: " + String.join("; ", o.notes()));
      }
    } else {
      out.println("No option meets the goal; see Why not.");
    }
  }

  private static String label(ServingOption o) {
    FitPlan f = o.fit();
    return f.accelerator()
        + " x"
        + f.devices()
        + " "
        + f.machineType()
        + f.tpuTopology().map(t -> " " + t).orElse("");
  }

  /**
   * Returns the plan as a JSON tree ({@code -o json|yaml}): the goal, then every option with its
   * fit, estimate and cost.
   */
  ObjectNode tree(ServingGoal goal, ServingReport plans) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode g = root.putObject("goal");
    g.put("inputTokens", goal.inputTokens());
    g.put("outputTokens", goal.outputTokens());
    g.put("maxModelLen", goal.maxModelLen());
    goal.targetQps().ifPresent(q -> g.put("targetQps", q));
    g.put("ttftMillis", goal.ttftMillis());
    g.put("ntpotMillis", goal.ntpotMillis());
    g.put("pricing", goal.pricing());
    g.put("region", goal.region());
    g.put("weightDtype", goal.weightDtype().configName());
    g.put("kvCacheDtype", goal.kvCacheDtype().flag());
    goal.lora()
        .ifPresent(
            l -> {
              ObjectNode lora = g.putObject("lora");
              lora.put("maxLoras", l.maxLoras());
              lora.put("maxLoraRank", l.maxLoraRank());
              if (maxCpuLoras != null) {
                lora.put("maxCpuLoras", maxCpuLoras);
              }
            });
    if (goal.draft().isPresent() && draftModel != null) {
      ObjectNode d = g.putObject("draft");
      d.put("model", draftModel);
      goal.draft().get().tensorParallelism().ifPresent(t -> d.put("tensorParallelism", t));
    }
    root.put(
        "estimate",
        "speeds and costs are estimates of the performance model unless an option's basis is"
            + " measured (GIQ)");
    root.put("ranking", plans.rankingRule());
    plans.recommendation().ifPresent(o -> root.put("recommendation", o.name()));
    ArrayNode options = root.putArray("options");
    for (ServingOption o : plans.options()) {
      FitPlan f = o.fit();
      ObjectNode n = options.addObject();
      n.put("name", o.name());
      n.put("feasible", o.feasible());
      n.put("accelerator", f.accelerator());
      n.put("machineType", f.machineType());
      f.tpuTopology().ifPresent(t -> n.put("tpuTopology", t));
      n.put("devices", f.devices());
      n.put("hosts", f.hosts());
      n.put("tensorParallelism", f.tensorParallelism());
      n.put("pipelineParallelism", f.pipelineParallelism());
      n.put("fullLengthSequences", f.maxConcurrentSequences());
      n.put("kvTokens", f.kvTokens());
      if (goal.lora().isPresent() || goal.draft().isPresent()) {
        // the memory split per device, in bytes: estimates, as the goal's note says
        ObjectNode m = n.putObject("memoryPerDevice");
        m.put("weights", f.memory().weights());
        m.put("runtimeReserve", f.memory().runtimeReserve());
        m.put("loraAdapters", f.memory().loraAdapters());
        m.put("draftWeights", f.memory().draftWeights());
        m.put("kvCache", f.memory().kvCache());
        m.put("draftKvCache", f.memory().draftKvCache());
      }
      n.put("concurrency", o.concurrency());
      n.put("replicas", o.replicas());
      n.put("basis", o.basis());
      o.estimate()
          .ifPresent(
              e -> {
                ObjectNode x = n.putObject("estimate");
                x.put("ttftMillis", e.ttftSeconds() * 1000);
                x.put("ntpotMillis", e.ntpotSeconds() * 1000);
                x.put("outputTokensPerSecond", e.outputTokensPerSecond());
                x.put("requestsPerSecond", e.requestsPerSecond());
                x.put("memoryBound", e.memoryBound());
              });
      o.usdPerHourPerReplica().ifPresent(p -> n.put("usdPerHourPerReplica", p));
      o.usdPerHour().ifPresent(p -> n.put("usdPerHour", p));
      o.usdPerMillionOutputTokens().ifPresent(p -> n.put("usdPerMillionOutputTokens", p));
      if (o.feasible()) {
        ArrayNode args = n.putArray("vllmArgs");
        VllmFlags.of(f).forEach(args::add);
      }
      ArrayNode reasons = n.putArray("reasons");
      o.reasons().forEach(reasons::add);
      ArrayNode notes = n.putArray("notes");
      o.notes().forEach(notes::add);
    }
    return root;
  }

  /**
   * Formats a value that may be absent.
   *
   * @param v the value
   * @param format how to write it when present
   * @param absent what to write when it is absent
   */
  static String fmt(OptionalDouble v, DoubleFunction<String> format, String absent) {
    return v.isPresent() ? format.apply(v.getAsDouble()) : absent;
  }

  /** Formats an estimate with about three significant digits. */
  static String fmt(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String gb(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1e9);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
