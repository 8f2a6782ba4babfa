package io.github.gkeinference.observability.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gkeinference.core.validate.SdkValidationException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LoadTestTest {
  // The first request of each user opens its connection and loads classes, so 10 warm-up requests
  // (one per user) go first and are not measured. The server waits TTFT 400 ms, then 200 ms between
  // 9 tokens. What the client measures can never be shorter than what the server waited, so the
  // lower bounds are exact; the upper bounds are loose (2x) and only catch unit or bookkeeping
  // errors, since a busy machine adds real, unbounded scheduling delay (no wall-clock speed is
  // asserted here).
  private static final int TTFT_MS = 400;
  private static final int ITL_MS = 200;
  private static final int TOKENS = 9;
  private static final int USERS = 10;
  private static final int MEASURED = 30;

  @Test
  void closedLoopStreaming_measuresTtftAndInterTokenWithin10PercentOfTheServerDelays()
      throws Exception {
    try (FakeOpenAiServer server = new FakeOpenAiServer(TTFT_MS, ITL_MS, TOKENS, 0)) {
      LoadTestReport r =
          LoadTest.run(
              LoadTestOptions.builder()
                  .baseUrl(server.baseUrl())
                  .model("m")
                  .closedLoop(USERS)
                  .rampUp(Duration.ofMillis(TTFT_MS + (TOKENS - 1) * ITL_MS))
                  .warmupRequests(USERS)
                  .maxRequests(USERS + MEASURED)
                  .maxOutputTokens(TOKENS)
                  .maxDuration(Duration.ofSeconds(20))
                  .build());

      assertThat(r.warmupRequests()).isEqualTo(USERS);
      assertThat(r.requestsSucceeded()).isEqualTo(MEASURED);
      assertThat(r.requestsFailed()).isZero();
      assertAtLeastAndBelowTwice(r.timeToFirstToken().p50Ms(), TTFT_MS);
      assertThat(r.timeToFirstToken().p99Ms()).isGreaterThanOrEqualTo(r.timeToFirstToken().p50Ms());
      // 30 measured requests with 9 tokens each give 30 * 8 = 240 gaps between tokens
      assertThat(r.interTokenLatency().count()).isEqualTo(MEASURED * (TOKENS - 1));
      assertThat(r.interTokenLatency().p50Ms()).isPositive().isLessThan(2.0 * ITL_MS);
      assertThat(r.interTokenLatency().p99Ms())
          .isGreaterThanOrEqualTo(r.interTokenLatency().p50Ms());
      // end to end >= 400 ms + 8 * 200 ms = 2000 ms: the server waited that long for every request
      assertAtLeastAndBelowTwice(r.endToEnd().p50Ms(), TTFT_MS + (TOKENS - 1) * ITL_MS);
      // time per output token = (e2e - ttft) / (tokens - 1), about 200 ms
      assertThat(r.timePerOutputToken().p50Ms()).isPositive().isLessThan(2.0 * ITL_MS);
      assertThat(r.outputTokens()).isEqualTo((long) MEASURED * TOKENS);
    }
  }

  @Test
  void failingRequests_areCountedAsHttp5xx() throws Exception {
    try (FakeOpenAiServer server = new FakeOpenAiServer(20, 10, 3, 3)) {
      LoadTestReport r =
          LoadTest.run(
              LoadTestOptions.builder()
                  .baseUrl(server.baseUrl())
                  .model("m")
                  .api(LoadTestOptions.Api.COMPLETIONS)
                  .closedLoop(2)
                  .maxRequests(9)
                  .maxOutputTokens(3)
                  .build());

      // every third of 9 requests fails: 3 failures, 6 successes
      assertThat(server.failed.get()).isEqualTo(3);
      assertThat(r.requestsSent()).isEqualTo(9);
      assertThat(r.errors(ErrorKind.HTTP_5XX)).isEqualTo(3);
      assertThat(r.errorsByStatus()).containsEntry(500, 3L);
      assertThat(r.requestsFailed()).isEqualTo(3);
      assertThat(r.requestsSucceeded()).isEqualTo(6);
    }
  }

  @Test
  void openLoopNonStreaming_sendsEveryArrivalAndRecordsEndToEnd() throws Exception {
    try (FakeOpenAiServer server = new FakeOpenAiServer(30, 10, 2, 0)) {
      LoadTestReport r =
          LoadTest.run(
              LoadTestOptions.builder()
                  .baseUrl(server.baseUrl())
                  .model("m")
                  .streaming(false)
                  .openLoop(20)
                  .maxRequests(10)
                  .build());
      assertThat(r.requestsSucceeded()).isEqualTo(10);
      assertThat(server.requests.get()).isEqualTo(10);
      assertThat(r.timeToFirstToken().count()).isZero();
      assertThat(r.endToEnd().count()).isEqualTo(10);
      assertThat(r.outputTokens()).isEqualTo(20);
    }
  }

  @Test
  void refusedConnection_isReportedAndStopsTheRun() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } // closed: nothing listens on the port any more
    LoadTestReport r =
        LoadTest.run(
            LoadTestOptions.builder()
                .baseUrl(URI.create("http://127.0.0.1:" + port))
                .model("m")
                .closedLoop(1)
                .maxRequests(1000)
                .maxDuration(Duration.ofSeconds(10))
                .build());
    assertThat(r.errors(ErrorKind.CONNECTION_REFUSED)).isEqualTo(1);
    assertThat(r.requestsSent()).isEqualTo(1);
    assertThat(r.stopReason()).contains("connection refused").contains(String.valueOf(port));
  }

  @Test
  void options_reportEveryBadFieldAtOnce_andHideTheApiKey() {
    assertThatThrownBy(
            () ->
                LoadTestOptions.builder()
                    .baseUrl(URI.create("ftp://x"))
                    .model("")
                    .closedLoop(0)
                    .promptTokens(4)
                    .sharedPrefixTokens(5)
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("bench.baseUrl")
        .hasMessageContaining("bench.model")
        .hasMessageContaining("bench.concurrency")
        .hasMessageContaining("bench.sharedPrefixTokens");
    LoadTestOptions o =
        LoadTestOptions.builder()
            .baseUrl(URI.create("http://127.0.0.1:1"))
            .model("m")
            .apiKey("sk-secret-value")
            .build();
    assertThat(o.toString()).doesNotContain("sk-secret-value");
  }

  @Test
  void report_writesJsonAndSelfContainedHtml(@TempDir Path dir) throws Exception {
    try (FakeOpenAiServer server = new FakeOpenAiServer(10, 5, 3, 2)) {
      LoadTestReport r =
          LoadTest.run(
              LoadTestOptions.builder()
                  .baseUrl(server.baseUrl())
                  .model("m")
                  .closedLoop(1)
                  .maxRequests(4)
                  .build());
      r.write(dir);
      JsonNode json =
          JsonMapper.builder().build().readTree(Files.readString(dir.resolve("report.json")));
      assertThat(json.path("requestsSucceeded").asInt()).isEqualTo(2);
      assertThat(json.path("errorsByKind").path("HTTP_5XX").asInt()).isEqualTo(2);
      assertThat(json.path("timeToFirstToken").path("p99Ms").asDouble()).isPositive();
      String html = Files.readString(dir.resolve("report.html"));
      assertThat(html).contains("<svg").contains("HTTP_5XX").contains("Time to first token");
      assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=");
    }
  }

  @Test
  void poissonArrivals_haveTheConfiguredMeanGap() {
    PoissonArrivals arrivals = new PoissonArrivals(7, 50.0);
    int n = 20_000;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += arrivals.nextGapNanos();
    }
    // mean gap of a Poisson process at 50/s is 1/50 s = 20 ms; the sample mean of 20 000
    // exponential draws has a standard error of 20 ms / sqrt(20 000) = 0.14 ms
    assertThat(sum / n / 1e6).isCloseTo(20.0, within(0.6));
  }

  @Test
  void syntheticPrompts_haveTheRequestedWordsAndSharedPrefix() {
    SyntheticPrompts prompts = new SyntheticPrompts(1, 20, 8);
    String a = prompts.next();
    String b = prompts.next();
    assertThat(a.split(" ")).hasSize(20);
    assertThat(b.split(" ")).hasSize(20);
    assertThat(a).startsWith(prompts.prefix() + " ").isNotEqualTo(b);
    assertThat(b).startsWith(prompts.prefix() + " ");
    assertThat(prompts.prefix().split(" ")).hasSize(8);
  }

  private static void assertAtLeastAndBelowTwice(double measuredMs, double waitedMs) {
    assertThat(measuredMs)
        .as("measured %s ms against %s ms the server waited", measuredMs, waitedMs)
        .isGreaterThanOrEqualTo(waitedMs)
        .isLessThan(2 * waitedMs);
  }

  @Test
  void progress_afterTheRun_agreesWithTheReport_countsAndPercentiles() throws Exception {
    try (FakeOpenAiServer server = new FakeOpenAiServer(20, 10, 3, 3)) {
      LoadTest test =
          new LoadTest(
              LoadTestOptions.builder()
                  .baseUrl(server.baseUrl())
                  .model("m")
                  .closedLoop(2)
                  .maxRequests(9)
                  .maxOutputTokens(3)
                  .build(),
              java.time.Clock.systemUTC(),
              System::nanoTime,
              p -> {});

      LoadTestReport r = test.execute();
      LoadTestProgress p = test.progress();

      // the progress a listener sees is computed from the same counters and histograms
      assertThat(p.requestsSent()).isEqualTo(r.requestsSent()).isEqualTo(9);
      assertThat(p.requestsFailed()).isEqualTo(r.requestsFailed()).isEqualTo(3);
      assertThat(p.requestsDone()).isEqualTo(9);
      assertThat(p.maxRequests()).isEqualTo(9);
      assertThat(p.ttftP50Ms()).isEqualTo(r.timeToFirstToken().p50Ms()).isPositive();
      assertThat(p.ttftP99Ms()).isEqualTo(r.timeToFirstToken().p99Ms());
      assertThat(p.endToEndP50Ms()).isEqualTo(r.endToEnd().p50Ms());
      assertThat(p.endToEndP99Ms()).isEqualTo(r.endToEnd().p99Ms());
    }
  }
}
