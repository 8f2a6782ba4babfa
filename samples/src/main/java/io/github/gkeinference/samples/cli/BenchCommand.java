package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.observability.loadtest.LatencySummary;
import io.github.gkeinference.observability.loadtest.LoadTest;
import io.github.gkeinference.observability.loadtest.LoadTestOptions;
import io.github.gkeinference.observability.loadtest.LoadTestProgress;
import io.github.gkeinference.observability.loadtest.LoadTestReport;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bench <url>}: load-tests an OpenAI-compatible endpoint and reports latencies. */
@Command(
    name = "bench",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference bench http://localhost:8000 --model llama --users 8 --requests 200",
      "  gke-inference bench http://localhost:8000 --model llama --rate 5 --out report -o json"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Load-test an OpenAI-compatible endpoint (vLLM, JetStream's OpenAI server, a gateway):"
          + " time to first token, time per output token, inter-token and end-to-end latency,"
          + " throughput and errors by kind. Bounded by --requests and --duration.",
      "Exit 0 when every request succeeded, 1 when some failed, 2 on invalid input."
    })
final class BenchCommand implements Callable<Integer> {
  /** The most closed-loop users: each is a thread with its own request in flight. */
  static final int MAX_USERS = 4096;

  /** The most requests of one run. */
  static final int MAX_REQUESTS = 10_000_000;

  /**
   * The longest run: the report keeps one counter per second of the run ({@code
   * succeededPerSecond}).
   */
  static final Duration MAX_DURATION = Duration.ofHours(24);

  /**
   * The longest synthetic prompt, in tokens (the longest context of the model catalog is 128 Ki).
   */
  static final int MAX_PROMPT_TOKENS = 1 << 20;

  /** The most output tokens one request may ask for. */
  static final int MAX_OUTPUT_TOKENS = 1 << 20;

  /**
   * The most prompt tokens in flight at once (users, or the open loop's in-flight bound, x prompt
   * tokens): each prompt is a string in memory while its request runs.
   */
  static final long MAX_TOKENS_IN_FLIGHT = 1L << 26;

  @Spec @Nullable CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "URL",
      description = "Base URL, e.g. http://localhost:8000 (a port-forwarded Service).")
  URI url = URI.create("http://localhost:8000");

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "The served model name.")
  String model = "";

  @Option(
      names = "--api",
      paramLabel = "API",
      defaultValue = "CHAT_COMPLETIONS",
      description = "CHAT_COMPLETIONS or COMPLETIONS; default ${DEFAULT-VALUE}.")
  LoadTestOptions.Api api = LoadTestOptions.Api.CHAT_COMPLETIONS;

  @Option(
      names = "--no-stream",
      description = "Send non-streaming requests (no TTFT or inter-token latency).")
  boolean noStream;

  @Option(
      names = "--rate",
      paramLabel = "RPS",
      description = "Open loop: Poisson arrivals at this many requests per second.")
  @Nullable Double rate;

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "Closed loop: N concurrent users (the default, with 4 users).")
  @Nullable Integer users;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "100",
      description = "Stop after this many requests; default ${DEFAULT-VALUE}.")
  int requests = 100;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "PT2M",
      description = "Stop after this long (ISO-8601, e.g. PT30S); default ${DEFAULT-VALUE}.")
  Duration duration = Duration.ofMinutes(2);

  @Option(
      names = "--prompt-tokens",
      paramLabel = "N",
      defaultValue = "256",
      description = "Synthetic prompt length in tokens; default ${DEFAULT-VALUE}.")
  int promptTokens = 256;

  @Option(
      names = "--shared-prefix-tokens",
      paramLabel = "N",
      defaultValue = "0",
      description = "Tokens every prompt shares (prefix caching); default ${DEFAULT-VALUE}.")
  int sharedPrefixTokens;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      defaultValue = "128",
      description = "Output tokens per request; default ${DEFAULT-VALUE}.")
  int maxTokens = 128;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write report.json and a self-contained report.html here.")
  @Nullable Path out;

  @Mixin OutputFormat output = new OutputFormat();

  @Override
  public Integer call() {
    var cli = Objects.requireNonNull(spec).commandLine();
    PrintWriter stdout = cli.getOut();
    PrintWriter err = cli.getErr();
    if (rate != null && users != null) {
      err.println("error: choose --rate (open loop) or --users (closed loop), not both");
      return GkeInferenceCli.INVALID;
    }
    LoadTestOptions built;
    try {
      LoadTestOptions.Builder options =
          LoadTestOptions.builder()
              .baseUrl(url)
              .model(model)
              .api(api)
              .streaming(!noStream)
              .maxRequests(requests)
              .maxDuration(duration)
              .promptTokens(promptTokens)
              .sharedPrefixTokens(sharedPrefixTokens)
              .maxOutputTokens(maxTokens);
      if (rate != null) {
        options.openLoop(rate);
      } else {
        options.closedLoop(users == null ? 4 : users);
      }
      built = options.build();
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    }
    int inFlight =
        built.mode() == LoadTestOptions.Mode.CLOSED_LOOP
            ? built.concurrency()
            : built.maxInFlight();
    SizeLimits limits =
        new SizeLimits()
            .atMost("--users", built.concurrency(), MAX_USERS, "users")
            .atMost("--requests", requests, MAX_REQUESTS, "requests")
            .atMost("--duration", duration.toSeconds(), MAX_DURATION.toSeconds(), "seconds")
            .atMost("--prompt-tokens", promptTokens, MAX_PROMPT_TOKENS, "tokens")
            .atMost("--max-tokens", maxTokens, MAX_OUTPUT_TOKENS, "tokens")
            .atMost(
                "prompt tokens in flight",
                (long) inFlight * promptTokens,
                MAX_TOKENS_IN_FLIGHT,
                "tokens");
    if (limits.reportTo(err)) {
      return GkeInferenceCli.INVALID;
    }
    LoadTestReport report;
    try (Progress progress = Progress.of(cli.getCommandSpec())) {
      progress.status("bench: starting " + url);
      report = LoadTest.run(built, p -> progress.status(status(p)));
    }
    int exit =
        report.requestsFailed() == 0 && report.requestsSucceeded() > 0
            ? GkeInferenceCli.OK
            : GkeInferenceCli.FINDINGS;
    if (!output.table()) {
      // the same record report.json holds; "Wrote" lines go to standard error
      output.print(stdout, report);
      if (out != null) {
        report.write(out).forEach(p -> err.println("Wrote " + p));
      }
      return exit;
    }
    stdout.printf(
        Locale.ROOT,
        "%s %s (%s, %s): %d sent, %d succeeded, %d failed in %.1f s%n",
        report.target(),
        report.model(),
        report.mode(),
        report.streaming() ? "streaming" : "not streaming",
        report.requestsSent(),
        report.requestsSucceeded(),
        report.requestsFailed(),
        report.durationSeconds());
    stdout.printf(
        Locale.ROOT,
        "throughput: %.2f requests/s, %.1f output tokens/s%n",
        report.requestsPerSecond(),
        report.outputTokensPerSecond());
    stdout.println("latency (ms)          count     p50     p90     p99     max");
    row(stdout, "time to first token", report.timeToFirstToken());
    row(stdout, "time per output token", report.timePerOutputToken());
    row(stdout, "inter-token", report.interTokenLatency());
    row(stdout, "end to end", report.endToEnd());
    report
        .errorsByKind()
        .forEach(
            (kind, count) ->
                stdout.println(
                    "errors "
                        + kind
                        + ": "
                        + count
                        + " (first: "
                        + report.firstErrorByKind().get(kind)
                        + ")"));
    if (report.stopReason() != null) {
      stdout.println("stopped: " + report.stopReason());
    }
    if (out != null) {
      report.write(out).forEach(p -> stdout.println("Wrote " + p));
    }
    stdout.flush();
    return exit;
  }

  /** The progress line: {@code bench: 40/100 requests done (1 failed), TTFT p50 ... ms}. */
  static String status(LoadTestProgress p) {
    return String.format(
        Locale.ROOT,
        "bench: %d/%d requests done%s, TTFT p50 %.0f ms p99 %.0f ms, end to end p50 %.0f ms"
            + " p99 %.0f ms",
        p.requestsDone(),
        p.maxRequests(),
        p.requestsFailed() == 0 ? "" : " (" + p.requestsFailed() + " failed)",
        p.ttftP50Ms(),
        p.ttftP99Ms(),
        p.endToEndP50Ms(),
        p.endToEndP99Ms());
  }

  private static void row(PrintWriter out, String name, LatencySummary s) {
    out.printf(
        Locale.ROOT,
        "%-21s %6d %7.1f %7.1f %7.1f %7.1f%n",
        name,
        s.count(),
        s.p50Ms(),
        s.p90Ms(),
        s.p99Ms(),
        s.maxMs());
  }
}
