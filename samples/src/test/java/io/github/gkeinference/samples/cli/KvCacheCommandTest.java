package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class KvCacheCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void simulate_generatedTrace_comparesPolicies_andPrefixRoutingHitsMore() {
    assertThat(
            run("kvcache", "simulate", "--requests", "400", "--replicas", "4", "--blocks", "512"))
        .isZero();

    String text = out.toString();
    assertThat(text)
        .contains("400 requests, 4 replicas x 512 blocks")
        .contains("round-robin")
        .contains("least-kv-usage")
        .contains("prefix-aware")
        .contains("precise-prefix");
    assertThat(hitRate(text, "prefix-aware")).isGreaterThan(hitRate(text, "round-robin"));
  }

  @Test
  void simulate_withReport_writesOnePageWithBothChartsLabelledAsEstimates() throws IOException {
    Path report = tmp.resolve("kv.html");

    assertThat(
            run(
                "kvcache",
                "simulate",
                "--requests",
                "200",
                "--replicas",
                "3",
                "--blocks",
                "256",
                "--report",
                report.toString()))
        .isZero();

    String html = Files.readString(report);
    assertThat(out.toString()).contains("Wrote the HTML report to " + report);
    assertThat(html)
        .contains("<h1>KV cache simulation: 200 requests, 3 replicas x 256 blocks</h1>")
        .contains("<title>Prefix cache hit rate by routing policy (estimates)</title>")
        .contains("<title>Peak KV cache usage per replica (estimates)</title>")
        .contains(">prefix cache hits (% of prompt tokens)<")
        .contains(">peak KV cache usage (% of blocks)<")
        .doesNotContain("<script");
    // One table row and one usage line per policy (four, with --routing all).
    assertThat(html.split("<tr>", -1)).hasSize(1 + 1 + 4);
    assertThat(html.split("<polyline", -1)).hasSize(1 + 4);
  }

  @Test
  void simulate_traceFile_isReplayed_andABadLineIsInvalidInput() throws IOException {
    Path trace = tmp.resolve("trace.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      lines.append("{\"arrivalMillis\": ").append(i * 50).append(", \"promptTokens\": [");
      for (int t = 0; t < 64; t++) {
        lines.append(t < 48 ? t : 1000 + i * 64 + t).append(t < 63 ? "," : "");
      }
      lines.append("], \"outputTokens\": 8}\n");
    }
    Files.writeString(trace, lines);

    assertThat(
            run(
                "kvcache",
                "simulate",
                "--trace",
                trace.toString(),
                "--replicas",
                "1",
                "--routing",
                "prefix"))
        .isZero();
    // 48 shared tokens = 3 full blocks; every request after the first reuses them.
    assertThat(hitRate(out.toString(), "prefix-aware")).isGreaterThan(60.0);

    Files.writeString(trace, "{\"arrivalMillis\": 0}\n");
    assertThat(run("kvcache", "simulate", "--trace", trace.toString()))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("line 1");
  }

  private static double hitRate(String table, String policy) {
    return table
        .lines()
        .filter(l -> l.startsWith(policy))
        .map(l -> l.substring(policy.length()).trim().split("\\s+")[0].replace("%", ""))
        .mapToDouble(Double::parseDouble)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void simulate_jsonAndYaml_holdOneResultPerPolicy_withAPeakPerReplica() {
    JsonNode root =
        CliRun.jsonAgreeingWithYaml(
            "kvcache", "simulate", "--requests", "200", "--replicas", "3", "--blocks", "512");

    assertThat(root.path("requests").asInt()).isEqualTo(200);
    assertThat(root.path("replicas").asInt()).isEqualTo(3);
    assertThat(root.path("results").size()).isEqualTo(4);
    for (JsonNode r : root.path("results")) {
      // the policies' names as the table prints them
      assertThat(r.path("routing").asString())
          .isIn("round-robin", "least-kv-usage", "prefix-aware", "precise-prefix");
      assertThat(r.path("prefixHitRate").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.path("completed").asLong()).isEqualTo(200);
      assertThat(r.path("peakUsagePerReplica").size()).isEqualTo(3);
    }
  }

  @Test
  void simulate_hugeSizes_failWithOneLine_beforeAllocating() {
    // each is far above its bound; the command must refuse it before building any pool or trace
    String[][] cases = {
      {"--replicas", "100000"},
      {"--blocks", "2000000000"},
      {"--replicas", "1024", "--blocks", "1048576"},
      {"--requests", "1000000"},
      {"--system-prompt-tokens", "2000000000", "--requests", "10"},
      {"--requests", "2147483647", "--system-prompt-tokens", "2147483647"},
    };
    for (String[] c : cases) {
      CliRun cli = new CliRun();
      assertThat(cli.run(CliRun.append(new String[] {"kvcache", "simulate"}, c)))
          .as(String.join(" ", c))
          .isEqualTo(GkeInferenceCli.INVALID);
      cli.assertOneErrorLine("error: too large: ");
      assertThat(cli.out()).isEmpty();
    }
  }

  @Test
  void simulate_sizesAtTheirBounds_areAccepted_byTheCheck() {
    // 1,024 replicas x 2,048 blocks = 2,097,152 = MAX_TOTAL_BLOCKS: at the bound, not over it
    SizeLimits limits =
        new SizeLimits()
            .atMost("--replicas", 1024, KvCacheCommand.MAX_REPLICAS, "replicas")
            .atMost("total", 1024L * 2048, KvCacheCommand.MAX_TOTAL_BLOCKS, "blocks");
    assertThat(limits.reportTo(new PrintWriter(new StringWriter()))).isFalse();
  }
}
