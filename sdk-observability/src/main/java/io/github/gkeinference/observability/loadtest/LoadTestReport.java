package io.github.gkeinference.observability.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The result of a load test: counts, throughput, latency percentiles and errors by kind.
 *
 * @param target the URL requests went to
 * @param model the model name sent
 * @param mode {@code OPEN_LOOP} or {@code CLOSED_LOOP}
 * @param streaming whether responses were streamed
 * @param startedAt when the run started
 * @param durationSeconds how long the run took
 * @param warmupRequests warm-up requests sent first and not measured
 * @param requestsSent measured requests sent to the server
 * @param requestsSucceeded requests answered in full
 * @param requestsFailed requests that failed, one kind each in {@code errorsByKind}
 * @param requestsCutShort requests still running when the run's time ran out (not errors)
 * @param errorsByKind failures by kind, including arrivals not sent ({@code CLIENT_SATURATED})
 * @param errorsByStatus failures by HTTP status, for {@code HTTP_4XX} and {@code HTTP_5XX}
 * @param firstErrorByKind the first error message of each kind
 * @param outputTokens output tokens received (from {@code usage} when the server sends it, else one
 *     per streamed chunk with text)
 * @param requestsPerSecond succeeded requests per second of run time
 * @param outputTokensPerSecond output tokens per second of run time
 * @param timeToFirstToken TTFT percentiles (streaming only)
 * @param timePerOutputToken per-request {@code (e2e - ttft) / (tokens - 1)} percentiles
 * @param interTokenLatency percentiles of every gap between two streamed chunks
 * @param endToEnd end-to-end latency percentiles
 * @param succeededPerSecond succeeded requests in each second of the run, for charts
 * @param stopReason why the run stopped before its bounds, or null
 */
public record LoadTestReport(
    String target,
    String model,
    String mode,
    boolean streaming,
    Instant startedAt,
    double durationSeconds,
    long warmupRequests,
    long requestsSent,
    long requestsSucceeded,
    long requestsFailed,
    long requestsCutShort,
    Map<ErrorKind, Long> errorsByKind,
    Map<Integer, Long> errorsByStatus,
    Map<ErrorKind, String> firstErrorByKind,
    long outputTokens,
    double requestsPerSecond,
    double outputTokensPerSecond,
    LatencySummary timeToFirstToken,
    LatencySummary timePerOutputToken,
    LatencySummary interTokenLatency,
    LatencySummary endToEnd,
    List<Long> succeededPerSecond,
    @Nullable String stopReason) {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** Copies the collections. */
  public LoadTestReport {
    errorsByKind = Map.copyOf(errorsByKind);
    errorsByStatus = Map.copyOf(errorsByStatus);
    firstErrorByKind = Map.copyOf(firstErrorByKind);
    succeededPerSecond = List.copyOf(succeededPerSecond);
  }

  /** Returns the failures of one kind. */
  public long errors(ErrorKind kind) {
    return errorsByKind.getOrDefault(kind, 0L);
  }

  /** Returns the report as indented JSON. */
  public String toJson() {
    return JSON.writeValueAsString(this) + "\n";
  }

  /** Returns the report as one self-contained HTML page with inline SVG charts. */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /**
   * Writes {@code report.json} and {@code report.html} into a directory, creating it.
   *
   * @param directory the directory
   * @return the two files, JSON first
   */
  public List<Path> write(Path directory) {
    try {
      Files.createDirectories(directory);
      Path json = directory.resolve("report.json");
      Path html = directory.resolve("report.html");
      Files.writeString(json, toJson(), StandardCharsets.UTF_8);
      Files.writeString(html, toHtml(), StandardCharsets.UTF_8);
      return List.of(json, html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the load-test report to " + directory, e);
    }
  }
}
