package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoscaleCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void recommend_printsLimitsAndTarget_writesChart_andIsDeterministic() throws IOException {
    Path chart = tmp.resolve("chart.svg");
    String[] args = {
      "autoscale",
      "recommend",
      "--hours",
      "2",
      "--max-rps",
      "12",
      "--chart",
      chart.toString(),
      "--hpa"
    };

    int code = run(args);
    String first = out.toString();
    out.getBuffer().setLength(0);
    run(args);

    assertThat(code).isIn(GkeInferenceCli.OK, GkeInferenceCli.FINDINGS);
    assertThat(first)
        .contains("minReplicas")
        .contains("maxReplicas")
        .contains("vllm:num_requests_waiting");
    assertThat(first).contains("kind: HorizontalPodAutoscaler");
    assertThat(out.toString()).isEqualTo(first);
    assertThat(Files.readString(chart)).startsWith("<svg");
  }

  @Test
  void recommend_withImpossibleInput_reportsViolations_exit2() {
    assertThat(run("autoscale", "recommend", "--percentile", "2"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(run("autoscale", "recommend", "--startup", "-1")).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString().lines())
        .containsExactly(
            "ERROR objective.percentile: must be in (0, 1] (rejected: 2.0)",
            "ERROR simulation.podStartupSeconds: must be 0 or more (rejected: -1)");
  }
}
