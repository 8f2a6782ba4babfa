package io.github.gkeinference.samples.cli;

import io.github.gkeinference.kvcache.sim.ReplicaStats;
import io.github.gkeinference.kvcache.sim.RoutingPolicy;
import io.github.gkeinference.kvcache.sim.SimulationReport;
import io.github.gkeinference.kvcache.sim.Simulator;
import io.github.gkeinference.kvcache.sim.TraceGenerator;
import io.github.gkeinference.kvcache.sim.TraceRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code kvcache simulate}: replays a request trace through paged KV caches behind a router. */
@Command(
    name = "kvcache",
    mixinStandardHelpOptions = true,
    description = "KV cache tools.",
    subcommands = {KvCacheCommand.Simulate.class})
final class KvCacheCommand {

  /** How requests are routed to replicas. */
  enum Routing {
    all(null),
    round_robin(RoutingPolicy.ROUND_ROBIN),
    least_kv(RoutingPolicy.LEAST_KV_USAGE),
    prefix(RoutingPolicy.PREFIX_AWARE);

    final @Nullable RoutingPolicy policy;

    Routing(@Nullable RoutingPolicy policy) {
      this.policy = policy;
    }
  }

  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      description = {
        "Replay a request trace through N replicas' paged KV caches (sdk-kvcache-native's block"
            + " pool with prefix caching) behind a routing policy, and print the prefix hit rate,"
            + " evictions, preemptions and peak usage per replica.",
        "Trace file: one JSON object per line with arrivalMillis, promptTokens (an array of token"
            + " ids), outputTokens and optionally prefixGroup and conversation."
      })
  static final class Simulate implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;

    @Option(
        names = "--replicas",
        defaultValue = "4",
        description = "Replicas; default ${DEFAULT-VALUE}.")
    int replicas = 4;

    @Option(
        names = "--routing",
        defaultValue = "all",
        converter = RoutingConverter.class,
        description =
            "round-robin, least-kv, prefix, or all to compare them; default ${DEFAULT-VALUE}.")
    Routing routing = Routing.all;

    @Option(
        names = "--blocks",
        defaultValue = "2048",
        description = "KV blocks per replica (16 tokens each); default ${DEFAULT-VALUE}.")
    int blocks = 2048;

    @Option(
        names = "--trace",
        paramLabel = "FILE",
        description = "Replay this JSON-lines trace instead of a generated one.")
    @Nullable Path trace;

    @Option(
        names = "--requests",
        defaultValue = "2000",
        description = "Generated trace: requests; default ${DEFAULT-VALUE}.")
    int requests = 2000;

    @Option(
        names = "--system-prompts",
        defaultValue = "8",
        description = "Generated trace: shared system prompts; default ${DEFAULT-VALUE}.")
    int systemPrompts = 8;

    @Option(
        names = "--system-prompt-tokens",
        defaultValue = "1024",
        description = "Generated trace: tokens per system prompt; default ${DEFAULT-VALUE}.")
    int systemPromptTokens = 1024;

    @Option(
        names = "--chat-fraction",
        defaultValue = "0.5",
        description = "Generated trace: share of multi-turn chats; default ${DEFAULT-VALUE}.")
    double chatFraction = 0.5;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Generated trace: seed; the same seed gives the same trace.")
    long seed = 1;

    @Option(
        names = "--report",
        paramLabel = "FILE",
        description = "Also write a self-contained HTML report with charts to FILE.")
    @Nullable Path reportFile;

    @Override
    public Integer call() {
      var cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      PrintWriter err = cli.getErr();
      List<TraceRequest> requestsTrace;
      try {
        requestsTrace = trace != null ? read(trace) : generate();
      } catch (IllegalArgumentException | IOException | JacksonException e) {
        err.println("error: " + e.getMessage());
        return GkeInferenceCli.INVALID;
      }
      List<RoutingPolicy> policies =
          routing.policy == null ? List.of(RoutingPolicy.values()) : List.of(routing.policy);
      out.printf(
          Locale.ROOT,
          "%d requests, %d replicas x %d blocks%n",
          requestsTrace.size(),
          replicas,
          blocks);
      out.println(
          "routing           hit rate  evictions  preemptions  completed  peak usage per replica");
      List<SimulationReport> results = new ArrayList<>();
      for (RoutingPolicy policy : policies) {
        SimulationReport report;
        try {
          report =
              Simulator.builder()
                  .replicas(replicas)
                  .blocksPerReplica(blocks)
                  .policy(policy)
                  .build()
                  .run(requestsTrace);
        } catch (IllegalArgumentException e) {
          err.println("error: " + e.getMessage());
          return GkeInferenceCli.INVALID;
        }
        results.add(report);
        StringBuilder peaks = new StringBuilder();
        for (ReplicaStats r : report.replicas()) {
          peaks.append(String.format(Locale.ROOT, " %3.0f%%", 100 * r.peakUsage()));
        }
        out.printf(
            Locale.ROOT,
            "%-16s %8.1f%% %10d %12d %10d %s%n",
            policy.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            100 * report.prefixHitRate(),
            report.evictions(),
            report.preemptions(),
            report.completed(),
            peaks);
      }
      if (reportFile != null) {
        try {
          Files.writeString(
              reportFile,
              KvCacheReport.html(requestsTrace.size(), replicas, blocks, results),
              StandardCharsets.UTF_8);
        } catch (IOException e) {
          err.println("error: cannot write " + reportFile + ": " + e.getMessage());
          return GkeInferenceCli.INVALID;
        }
        out.println("Wrote the HTML report to " + reportFile);
      }
      out.flush();
      return GkeInferenceCli.OK;
    }

    private List<TraceRequest> generate() {
      return TraceGenerator.builder()
          .seed(seed)
          .requests(requests)
          .systemPrompts(systemPrompts)
          .systemPromptTokens(systemPromptTokens)
          .chatFraction(chatFraction)
          .build()
          .generate();
    }

    private static List<TraceRequest> read(Path file) throws IOException {
      JsonMapper json = JsonMapper.builder().build();
      List<TraceRequest> trace = new ArrayList<>();
      int line = 0;
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(text);
        JsonNode prompt = n.path("promptTokens");
        if (!prompt.isArray()
            || !n.path("arrivalMillis").isIntegralNumber()
            || !n.path("outputTokens").isIntegralNumber()) {
          throw new IllegalArgumentException(
              file
                  + " line "
                  + line
                  + ": needs arrivalMillis, promptTokens (array) and outputTokens");
        }
        int[] tokens = new int[prompt.size()];
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = prompt.get(i).asInt();
        }
        trace.add(
            new TraceRequest(
                n.path("arrivalMillis").asLong(),
                tokens,
                n.path("outputTokens").asInt(),
                n.path("prefixGroup").asInt(-1),
                n.path("conversation").asInt(-1)));
      }
      return trace;
    }
  }

  /** Accepts {@code round-robin} as well as {@code round_robin}. */
  static final class RoutingConverter implements picocli.CommandLine.ITypeConverter<Routing> {
    @Override
    public Routing convert(String value) {
      return Routing.valueOf(value.trim().toLowerCase(Locale.ROOT).replace('-', '_'));
    }
  }
}
