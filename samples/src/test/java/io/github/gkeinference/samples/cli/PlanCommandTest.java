package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  private static final String LLAMA_70B = "meta-llama/Llama-3.3-70B-Instruct";

  @TempDir Path tmp;
  private final CliRun cli = new CliRun();

  /** The cells of the table row of one accelerator (columns are separated by 2+ spaces). */
  private static List<String> row(String out, String accelerator) {
    return out.lines()
        .filter(l -> l.startsWith(accelerator + " "))
        .findFirst()
        .map(l -> List.of(l.trim().split(" {2,}")))
        .orElseThrow(() -> new AssertionError("no row for " + accelerator + " in\n" + out));
  }

  private static long number(String cell) {
    return Long.parseLong(cell.replace(",", ""));
  }

  @Test
  void plan_llama70bWithReport_printsTableAndWritesHtmlWithTwoSvgCharts() throws IOException {
    Path report = tmp.resolve("p.html");

    int code = cli.run("plan", "--model", LLAMA_70B, "--report", report.toString());

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.OK);
    assertThat(cli.out())
        .contains("ACCELERATOR")
        .contains("KV TOKENS")
        .contains("MAX SEQS")
        .contains("Recommended: ");
    String html = Files.readString(report);
    assertThat(Pattern.compile("<svg[ >]").matcher(html).results().count())
        .isGreaterThanOrEqualTo(2);
    assertThat(html).contains("Memory per device").contains("KV cache tokens against max model");
    var request =
        FitRequest.builder().architecture(ModelCatalog.require(LLAMA_70B).architecture()).build();
    var plans = FitPlanner.plan(request);
    String memory = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
    String kv = html.substring(html.lastIndexOf("<svg"), html.lastIndexOf("</svg>"));
    for (FitPlan p : plans.plans()) {
      assertThat(memory).contains(">" + p.accelerator() + " x" + p.devices() + "</text>");
    }
    // one line per option that fits, plus the dashed one-sequence line
    assertThat(Pattern.compile("<polyline").matcher(kv).results().count())
        .isEqualTo(plans.feasible().size() + 1);
    // self-contained: no scripts, stylesheets, images or fetched URLs
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img");
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  @Test
  void plan_everyCatalogAccelerator_printsOneRowEach_withThePlannersNumbers() {
    assertThat(cli.run("plan", "--model", LLAMA_70B)).isEqualTo(GkeInferenceCli.OK);

    var request =
        FitRequest.builder().architecture(ModelCatalog.require(LLAMA_70B).architecture()).build();
    for (FitPlan p : FitPlanner.plan(request).plans()) {
      List<String> cells = row(cli.out(), p.accelerator());
      assertThat(cells.get(2)).isEqualTo(p.feasible() ? "yes" : "no");
      assertThat(number(cells.get(3))).isEqualTo(p.tensorParallelism());
      assertThat(number(cells.get(9))).isEqualTo(p.kvBlocks());
      assertThat(number(cells.get(10))).isEqualTo(p.kvTokens());
      // vLLM: tokens = blocks * block size (16)
      assertThat(number(cells.get(10))).isEqualTo(number(cells.get(9)) * 16);
      if (!p.feasible()) {
        assertThat(cli.out()).contains(p.accelerator() + " x" + p.devices() + ": ");
      }
    }
  }

  @Test
  void plan_fp8KvCache_holdsAtLeastTwiceTheTokens() {
    assertThat(cli.run("plan", "--model", LLAMA_70B, "--accelerator", "nvidia-h100-80gb")).isZero();
    List<String> auto = row(cli.out(), "nvidia-h100-80gb");
    CliRun fp8 = new CliRun();
    assertThat(
            fp8.run(
                "plan",
                "--model",
                LLAMA_70B.toLowerCase(java.util.Locale.ROOT),
                "--accelerator",
                "nvidia-h100-80gb",
                "--kv-dtype",
                "fp8"))
        .isZero();
    List<String> half = row(fp8.out(), "nvidia-h100-80gb");

    assertThat(half.get(3)).isEqualTo(auto.get(3)); // same tensor parallelism
    // a block takes half the bytes, so floor(kv / (b/2)) >= 2 * floor(kv / b)
    assertThat(number(half.get(10))).isGreaterThanOrEqualTo(2 * number(auto.get(10)));
    assertThat(fp8.out()).contains("KV cache dtype fp8_e4m3");
  }

  @Test
  void plan_configJsonPath_plansLikeTheCatalogEntry() throws IOException {
    // The published config.json of meta-llama/Llama-3.1-8B-Instruct (the fields the SDK reads).
    Path config = tmp.resolve("config.json");
    Files.writeString(
        config,
        """
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
         "intermediate_size": 14336, "max_position_embeddings": 131072, "model_type": "llama",
         "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
         "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
        """);

    assertThat(cli.run("plan", "--model", config.toString(), "--accelerator", "nvidia-l4"))
        .as(cli.err())
        .isZero();
    CliRun catalog = new CliRun();
    assertThat(
            catalog.run(
                "plan",
                "--model",
                "meta-llama/Llama-3.1-8B-Instruct",
                "--accelerator",
                "nvidia-l4"))
        .isZero();

    assertThat(row(cli.out(), "nvidia-l4")).isEqualTo(row(catalog.out(), "nvidia-l4"));
  }

  @Test
  void plan_nothingFits_exits1_andSaysWhyNot() {
    int code =
        cli.run(
            "plan", "--model", "meta-llama/Llama-3.1-405B-Instruct", "--accelerator", "nvidia-l4");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(row(cli.out(), "nvidia-l4").get(2)).isEqualTo("no");
    assertThat(cli.out()).contains("Why not:").contains("No accelerator option fits");
  }

  @Test
  void plan_invalidInput_printsEveryProblemOnItsOwnLine_exits2() {
    int code =
        cli.run(
            "plan",
            "--model",
            "nobody/no-such-model",
            "--accelerator",
            "nvidia-x99",
            "--kv-dtype",
            "int3");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err().lines())
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown model 'nobody/no-such-model'"))
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown accelerator 'nvidia-x99'"))
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown --kv-dtype 'int3'"))
        .noneSatisfy(l -> assertThat(l).contains("Exception"));
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void plan_maxModelLenBeyondTheModel_isAViolationWithItsPath() {
    int code = cli.run("plan", "--model", LLAMA_70B, "--max-model-len", "200000");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).startsWith("ERROR maxModelLen:").contains("131072");
  }

  @Test
  void kvChart_xAxis_isPowersOfTwoUpToTheModelsLength() {
    assertThat(PlanReport.lengths(131_072))
        .containsExactly(1024, 2048, 4096, 8192, 16_384, 32_768, 65_536, 131_072);
    assertThat(PlanReport.lengths(40_960))
        .containsExactly(1024, 2048, 4096, 8192, 16_384, 32_768, 40_960);
  }
}
