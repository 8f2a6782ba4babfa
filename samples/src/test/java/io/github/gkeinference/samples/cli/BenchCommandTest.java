package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.gkeinference.observability.loadtest.LoadTestProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Runs {@code bench} against a tiny OpenAI-style streaming server on the loopback address. */
class BenchCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private HttpServer server;
  private String url;
  private final AtomicInteger requestsSeen = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          requestsSeen.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream body = exchange.getResponseBody()) {
            for (String token : new String[] {"Hello", " there", "!"}) {
              body.write(
                  ("data: {\"choices\":[{\"delta\":{\"content\":\"" + token + "\"}}]}\n\n")
                      .getBytes(StandardCharsets.UTF_8));
              body.flush();
            }
            body.write(
                "data: {\"choices\":[],\"usage\":{\"completion_tokens\":3}}\n\n"
                    .getBytes(StandardCharsets.UTF_8));
            body.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
          }
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void bench_againstALocalServer_reportsLatencies_andWritesReports() {
    int code =
        run(
            "bench",
            url,
            "--model",
            "llama",
            "--requests",
            "12",
            "--users",
            "2",
            "--duration",
            "PT20S",
            "--out",
            tmp.toString());

    assertThat(code).as(err.toString()).isEqualTo(GkeInferenceCli.OK);
    assertThat(out.toString())
        .contains("12 sent, 12 succeeded, 0 failed")
        .contains("time to first token")
        .contains("Wrote");
    assertThat(tmp.resolve("report.json")).exists();
    assertThat(tmp.resolve("report.html")).exists();
  }

  @Test
  void bench_refusedConnection_isReported_andStops() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    int code =
        run(
            "bench",
            "http://127.0.0.1:" + port,
            "--model",
            "llama",
            "--requests",
            "5",
            "--duration",
            "PT10S");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(out.toString()).contains("errors");
  }

  @Test
  void bench_rateAndUsersTogether_isInvalid() {
    assertThat(run("bench", url, "--model", "m", "--rate", "1", "--users", "2"))
        .isEqualTo(GkeInferenceCli.INVALID);
  }

  @Test
  void bench_json_isTheReportRecord_andWroteLinesGoToStderr() {
    CliRun cli = new CliRun();
    int code =
        cli.run(
            "bench",
            url,
            "--model",
            "llama",
            "--requests",
            "6",
            "--users",
            "2",
            "--duration",
            "PT20S",
            "--out",
            tmp.toString(),
            "-o",
            "json");

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.OK);
    JsonNode root = cli.json();
    assertThat(root.path("requestsSent").asLong()).isEqualTo(6);
    assertThat(root.path("requestsSucceeded").asLong()).isEqualTo(6);
    assertThat(root.path("timeToFirstToken").path("count").asLong()).isEqualTo(6);
    assertThat(cli.err()).contains("Wrote");
  }

  @Test
  void bench_hugeSizes_failWithOneLine_beforeSendingAnything() {
    String[][] cases = {
      {"--users", "100000"},
      {"--requests", "2000000000"},
      {"--duration", "P3650D"},
      {"--prompt-tokens", "2000000000"},
      {"--max-tokens", "2000000000"},
      {"--users", "4096", "--prompt-tokens", "1000000"},
    };
    for (String[] c : cases) {
      CliRun cli = new CliRun();
      assertThat(cli.run(CliRun.append(new String[] {"bench", url, "--model", "m"}, c)))
          .as(String.join(" ", c))
          .isEqualTo(GkeInferenceCli.INVALID);
      cli.assertOneErrorLine("error: too large: ");
    }
    assertThat(requestsSeen.get()).isZero();
  }

  @Test
  void status_showsRequestsDoneFailuresAndCurrentPercentiles() {
    String line = BenchCommand.status(new LoadTestProgress(42, 39, 1, 100, 85.4, 120, 900, 1500));

    assertThat(line)
        .isEqualTo(
            "bench: 40/100 requests done (1 failed), TTFT p50 85 ms p99 120 ms, end to end p50"
                + " 900 ms p99 1500 ms");
  }
}
