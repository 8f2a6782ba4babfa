package io.github.gkeinference.samples.cli;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.autoscaling.simulation.HpaSimulation;
import io.github.gkeinference.autoscaling.simulation.PlannedConcurrency;
import io.github.gkeinference.autoscaling.simulation.Recommendation;
import io.github.gkeinference.autoscaling.simulation.ReplicaCapacity;
import io.github.gkeinference.autoscaling.simulation.ScalingRecommender;
import io.github.gkeinference.autoscaling.simulation.ServiceObjective;
import io.github.gkeinference.autoscaling.simulation.SimulationChart;
import io.github.gkeinference.autoscaling.simulation.SimulationResult;
import io.github.gkeinference.autoscaling.simulation.TokenDistribution;
import io.github.gkeinference.autoscaling.simulation.TrafficProfile;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.samples.OnlineInferenceGpu;
import io.github.gkeinference.samples.SampleOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code autoscale recommend}: simulates the HPA against a traffic profile and recommends limits.
 */
@Command(
    name = "autoscale",
    footerHeading = "%nExamples:%n",
    footer = {"  gke-inference autoscale recommend --max-rps 30 --ttft 2"},
    mixinStandardHelpOptions = true,
    description = "Autoscaling tools.",
    subcommands = {AutoscaleCommand.Recommend.class})
final class AutoscaleCommand {

  /** The metric a recommendation tunes. */
  enum Metric {
    queue,
    batch
  }

  @Command(
      name = "recommend",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference autoscale recommend --max-rps 30 --ttft 2 --chart chart.svg",
        "  gke-inference autoscale recommend --metric batch --hpa -o yaml"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Simulate the Kubernetes HPA algorithm for the online-inference-gpu server against a"
            + " day-shaped traffic profile, and recommend min/max replicas and the metric target"
            + " that meet a TTFT objective with the fewest replica-hours.",
        "The replica is the one online-inference-gpu renders for --model and --accelerator"
            + " (default Llama-3.1-8B-Instruct on nvidia-l4, planned by the serving planner): the"
            + " sequences it runs at once come from its fit plan (its KV cache blocks / the blocks"
            + " of one request, capped by --max-num-seqs 256), its prefill and decode speeds from"
            + " the performance model (estimates; docs/planning-accuracy.md). --max-seqs,"
            + " --prefill-tps and --tpot replace them with measured figures (gke-inference"
            + " bench).",
        "Exit 0 when the objective is met, 1 when it is not, 2 on invalid input."
      })
  static final class Recommend implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;

    @Option(
        names = "--metric",
        paramLabel = "METRIC",
        defaultValue = "queue",
        description =
            "queue (vllm:num_requests_waiting) or batch (vllm:num_requests_running); default ${DEFAULT-VALUE}.")
    Metric metric = Metric.queue;

    @Option(
        names = "--min-rps",
        paramLabel = "RPS",
        defaultValue = "2",
        description = "Lowest request rate of the day; default ${DEFAULT-VALUE}.")
    double minRps = 2;

    @Option(
        names = "--max-rps",
        paramLabel = "RPS",
        defaultValue = "30",
        description = "Highest request rate of the day; default ${DEFAULT-VALUE}.")
    double maxRps = 30;

    @Option(
        names = "--hours",
        paramLabel = "H",
        defaultValue = "24",
        description = "Length of the simulated cycle in hours; default ${DEFAULT-VALUE}.")
    double hours = 24;

    @Option(
        names = "--prompt-tokens",
        paramLabel = "N",
        defaultValue = "1024",
        description = "Prompt tokens per request; default ${DEFAULT-VALUE}.")
    int promptTokens = 1024;

    @Option(
        names = "--output-tokens",
        paramLabel = "N",
        defaultValue = "256",
        description = "Output tokens per request; default ${DEFAULT-VALUE}.")
    int outputTokens = 256;

    @Option(
        names = "--model",
        paramLabel = "ID",
        description =
            "A model of the catalog served by the online-inference-gpu sample. Default: the"
                + " sample's model (Llama-3.1-8B-Instruct).")
    @Nullable String model;

    @Option(
        names = "--accelerator",
        paramLabel = "LABEL",
        description =
            "The accelerator label the sample is planned on. Default: the sample's (nvidia-l4).")
    @Nullable String accelerator;

    @Option(
        names = "--max-seqs",
        paramLabel = "N",
        description = "Sequences one replica runs at once; default the fit plan's figure.")
    @Nullable Integer maxSeqs;

    @Option(
        names = "--prefill-tps",
        paramLabel = "TPS",
        description =
            "Prompt tokens one replica prefills per second; default the performance model's"
                + " estimate for the planned replica.")
    @Nullable Double prefillTps;

    @Option(
        names = "--tpot",
        paramLabel = "SECONDS",
        description =
            "Seconds per output token, at any batch; default the performance model's estimate"
                + " for the planned replica, from one sequence to a full batch.")
    @Nullable Double tpot;

    @Option(
        names = "--ttft",
        paramLabel = "SECONDS",
        defaultValue = "2",
        description = "Time-to-first-token objective in seconds; default ${DEFAULT-VALUE}.")
    double ttft = 2;

    @Option(
        names = "--percentile",
        paramLabel = "P",
        defaultValue = "0.9",
        description = "Share of requests that must meet the objective; default ${DEFAULT-VALUE}.")
    double percentile = 0.9;

    @Option(
        names = "--startup",
        paramLabel = "SECONDS",
        defaultValue = "300",
        description = "Pod start-up seconds (model load included); default ${DEFAULT-VALUE}.")
    int startupSeconds = 300;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "1",
        description = "Random seed; the same seed gives the same result.")
    long seed = 1;

    @Option(
        names = "--chart",
        paramLabel = "FILE",
        description = "Write an SVG chart of load, replicas and queue.")
    @Nullable Path chart;

    @Option(
        names = "--hpa",
        description =
            "Also print the recommended HorizontalPodAutoscaler (as YAML, or inside the -o json"
                + " or yaml document).")
    boolean printHpa;

    @Mixin OutputFormat output = new OutputFormat();

    /**
     * {@code -o json}: the recommendation, the replica it assumed (capacity and speed, each with
     * its source), the simulated outcome and, with {@code --hpa}, the HorizontalPodAutoscaler.
     */
    record Result(
        int candidatesSimulated,
        long seed,
        Replica replica,
        int minReplicas,
        int maxReplicas,
        double target,
        String metric,
        Objective objective,
        double sloAttainment,
        boolean meetsObjective,
        double replicaHours,
        int peakReplicas,
        long requests,
        @Nullable JsonNode horizontalPodAutoscaler) {}

    /** The simulated replica; speeds are performance-model estimates unless given. */
    record Replica(
        int sequences,
        String capacitySource,
        double prefillTokensPerSecond,
        double timePerOutputTokenMillis,
        double timePerOutputTokenAtFullBatchMillis,
        String speedSource) {}

    /** The objective: TTFT at most {@code ttftSeconds} for a share {@code percentile}. */
    record Objective(double ttftSeconds, double percentile) {}

    @Override
    public Integer call() {
      var cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      PrintWriter err = cli.getErr();
      Recommendation recommendation;
      InferenceAutoscaler tuned;
      String capacitySource;
      String speedSource;
      ReplicaCapacity speed;
      int sequencesPerReplica;
      try {
        SampleOptions options =
            new SampleOptions(Optional.ofNullable(model), Optional.ofNullable(accelerator));
        RenderedSet server = OnlineInferenceGpu.render(options);
        TrafficProfile traffic =
            TrafficProfile.diurnal(minRps, maxRps, Math.round(hours * 3600))
                .withPromptTokens(TokenDistribution.fixed(promptTokens))
                .withOutputTokens(TokenDistribution.fixed(outputTokens));
        FitRequest request = OnlineInferenceGpu.fitRequest(options);
        FitPlan plan = OnlineInferenceGpu.plan(options);
        Violations v = Violations.root();
        @Nullable ReplicaCapacity estimated = null;
        try {
          estimated = ReplicaCapacity.estimated(request, plan, traffic);
        } catch (SdkValidationException e) {
          v.addAll(e.violations());
        }
        ReplicaCapacity.Builder given = ReplicaCapacity.builder();
        if (estimated != null) {
          given.from(estimated);
        } else {
          // stand-ins that let the given figures be checked with the plan's problems
          given.maxConcurrentSequences(1).prefillTokensPerSecond(1).timePerOutputTokenSeconds(1);
        }
        if (maxSeqs != null) {
          given.maxConcurrentSequences(maxSeqs);
        }
        if (prefillTps != null) {
          given.prefillTokensPerSecond(prefillTps);
        }
        if (tpot != null) {
          given.timePerOutputTokenSeconds(tpot).timePerOutputTokenAtFullBatchSeconds(tpot);
        }
        @Nullable ReplicaCapacity built = null;
        try {
          built = given.build();
        } catch (SdkValidationException e) {
          v.addAll(e.violations());
        }
        v.throwIfErrors();
        ReplicaCapacity capacity = Objects.requireNonNull(built);
        if (maxSeqs == null) {
          PlannedConcurrency c = PlannedConcurrency.of(request, plan, traffic);
          capacitySource =
              String.format(
                  Locale.ROOT,
                  "fit plan: %s x%d, %d KV blocks / %d per %d-token request = %d, --max-num-seqs %d",
                  plan.accelerator(),
                  plan.devices(),
                  plan.kvBlocks(),
                  c.blocksPerRequest(),
                  c.tokensPerRequest(),
                  c.kvSequences(),
                  c.maxNumSeqs());
        } else {
          capacitySource = "--max-seqs";
        }
        speedSource =
            prefillTps == null && tpot == null
                ? "performance model estimate"
                : prefillTps != null && tpot != null
                    ? "--prefill-tps, --tpot"
                    : (prefillTps != null ? "--prefill-tps" : "--tpot")
                        + "; the rest a performance model estimate";
        speed = capacity;
        sequencesPerReplica = capacity.maxConcurrentSequences();
        InferenceAutoscaler autoscaler =
            InferenceAutoscaler.builder()
                .target(server)
                .minReplicas(1)
                .maxReplicas(64)
                .addMetrics(
                    metric == Metric.queue
                        ? ScalingMetric.vllmQueue()
                        : ScalingMetric.vllmBatchBelow(capacity.maxConcurrentSequences()))
                .build();
        HpaSimulation simulation =
            HpaSimulation.builder()
                .autoscaler(autoscaler)
                .traffic(traffic)
                .capacity(capacity)
                .objective(ServiceObjective.ttft(ttft, percentile))
                .podStartupSeconds(startupSeconds)
                .seed(seed)
                .build();
        try (Progress progress = Progress.of(cli.getCommandSpec())) {
          recommendation =
              progress.ticking(
                  "simulating HPA settings over " + hours + " h of traffic",
                  () -> ScalingRecommender.recommend(simulation));
        }
        tuned = recommendation.applyTo(autoscaler);
      } catch (SdkValidationException e) {
        for (Violation v : e.violations()) {
          err.println(v);
        }
        return GkeInferenceCli.INVALID;
      }
      SimulationResult r = recommendation.result();
      String metricName =
          metric == Metric.queue ? "vllm:num_requests_waiting" : "vllm:num_requests_running";
      if (!output.table()) {
        output.print(
            out,
            new Result(
                recommendation.candidatesSimulated(),
                seed,
                new Replica(
                    sequencesPerReplica,
                    capacitySource,
                    speed.prefillTokensPerSecond(),
                    1000 * speed.timePerOutputTokenSeconds(),
                    1000 * speed.timePerOutputTokenAtFullBatchSeconds(),
                    speedSource),
                recommendation.minReplicas(),
                recommendation.maxReplicas(),
                recommendation.target(),
                metricName,
                new Objective(ttft, percentile),
                r.sloAttainment(),
                recommendation.meetsObjective(),
                r.replicaHours(),
                r.peakReplicas(),
                r.requests(),
                printHpa ? ManifestYaml.tree(tuned.horizontalPodAutoscaler()) : null));
        if (!writeChart(r, err, err)) {
          return GkeInferenceCli.INVALID;
        }
        return recommendation.meetsObjective() ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
      }
      out.printf(
          Locale.ROOT,
          "Recommendation (%d candidates simulated, seed %d):%n"
              + "  capacity      %d sequences per replica (%s)%n"
              + "  speed         prefill %,.0f tokens/s, %.1f to %.1f ms per output token (%s)%n"
              + "  minReplicas   %d%n  maxReplicas   %d%n  target        %.2f (%s)%n"
              + "  SLO attainment %.1f%% (objective: TTFT <= %.2fs for %.0f%% of requests) %s%n"
              + "  replica-hours %.1f, peak replicas %d, requests %d%n",
          recommendation.candidatesSimulated(),
          seed,
          sequencesPerReplica,
          capacitySource,
          speed.prefillTokensPerSecond(),
          1000 * speed.timePerOutputTokenSeconds(),
          1000 * speed.timePerOutputTokenAtFullBatchSeconds(),
          speedSource,
          recommendation.minReplicas(),
          recommendation.maxReplicas(),
          recommendation.target(),
          metricName,
          100 * r.sloAttainment(),
          ttft,
          100 * percentile,
          recommendation.meetsObjective() ? "met" : "NOT met",
          r.replicaHours(),
          r.peakReplicas(),
          r.requests());
      if (printHpa) {
        out.print(ManifestYaml.toYaml(tuned.horizontalPodAutoscaler()));
      }
      if (!writeChart(r, out, err)) {
        return GkeInferenceCli.INVALID;
      }
      out.flush();
      return recommendation.meetsObjective() ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
    }

    /** Writes {@code --chart} if given and says so on {@code said}; false when it cannot. */
    private boolean writeChart(SimulationResult r, PrintWriter said, PrintWriter err) {
      if (chart == null) {
        return true;
      }
      try {
        Files.writeString(chart, SimulationChart.svg(r), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("error: cannot write " + chart + ": " + e.getMessage());
        return false;
      }
      said.println("Wrote " + chart);
      return true;
    }
  }
}
