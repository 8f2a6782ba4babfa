package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
import io.github.gkeinference.accelerators.plan.ServingReport;
import io.github.gkeinference.core.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PlanCommandTest {
  private static final String LLAMA_70B = "meta-llama/Llama-3.3-70B-Instruct";
  private static final String H100 = "nvidia-h100-80gb";

  @TempDir Path tmp;
  private final CliRun cli = new CliRun();

  /** The cells of the table row that starts with {@code option} (columns: 2+ spaces apart). */
  private static List<String> row(String out, String option) {
    return out.lines()
        .filter(l -> l.startsWith(option + " "))
        .findFirst()
        .map(l -> List.of(l.trim().split(" {2,}")))
        .orElseThrow(() -> new AssertionError("no row for " + option + " in\n" + out));
  }

  private static ServingReport library(ServingGoal.Builder goal) {
    return ServingPlanner.plan(goal.build());
  }

  private static ServingGoal.Builder goal(String model, String accelerator) {
    return ServingGoal.builder()
        .architecture(ModelCatalog.require(model).architecture())
        .addCandidate(accelerator);
  }

  private static JsonNode json(String out) {
    return JsonMapper.builder().build().readTree(out);
  }

  /** Acceptance 1 through the CLI. */
  @Test
  void plan_llama70bOnH100_recommendsFourGpusHolding16FullSequences_andShowsCost() {
    int code = cli.run("plan", "--model", LLAMA_70B, "--accelerator", H100);

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.OK);
    assertThat(cli.out())
        .contains("TTFT MS", "NTPOT MS", "TOKENS/S", "QPS", "REPLICAS", "$/HOUR TOTAL")
        .contains("$/1M TOKENS")
        .contains("estimates");
    ServingOption best = library(goal(LLAMA_70B, H100)).recommendation().orElseThrow();
    List<String> cells = row(cli.out(), H100 + " x" + best.fit().devices());
    assertThat(best.fit().devices()).isGreaterThanOrEqualTo(4);
    assertThat(cells.get(1)).isEqualTo("yes");
    assertThat(Integer.parseInt(cells.get(5))).isGreaterThanOrEqualTo(16); // FULL SEQS
    assertThat(cells.get(13))
        .isEqualTo(PlanCommand.fmt(best.usdPerMillionOutputTokens().getAsDouble()));
    assertThat(cli.out())
        .contains("Recommended: 1 x " + best.name())
        .contains("--max-model-len=8192");
  }

  /** Acceptance 2 through the CLI: multi-host GPU and TPU options. */
  @Test
  void plan_405bAndDeepSeek_showMultiHostOptions() {
    assertThat(
            cli.run("plan", "--model", "meta-llama/Llama-3.1-405B-Instruct", "--accelerator", H100))
        .isZero();
    List<String> twoHosts = row(cli.out(), H100 + " x16 a3-highgpu-8g");
    assertThat(twoHosts.subList(1, 5)).containsExactly("yes", "8", "2", "2");

    CliRun tpu = new CliRun();
    assertThat(
            tpu.run(
                "plan",
                "--model",
                "meta-llama/Llama-3.1-405B-Instruct",
                "--accelerator",
                "tpu-v6e-slice",
                "-o",
                "json"))
        .isZero();
    JsonNode rec = recommended(json(tpu.out()));
    assertThat(rec.path("hosts").asInt()).isGreaterThan(1);

    CliRun r1 = new CliRun();
    assertThat(
            r1.run(
                "plan", "--model", "deepseek-ai/DeepSeek-R1", "--accelerator", H100, "-o", "json"))
        .isZero();
    assertThat(recommended(json(r1.out())).path("hosts").asInt()).isGreaterThan(1);
  }

  /** Acceptance 4: a target rate and a tighter SLO change replicas as the library computes. */
  @Test
  void plan_qpsTtftNtpot_changeReplicasAsTheLibraryComputes() {
    int code =
        cli.run(
            "plan",
            "--model",
            LLAMA_70B,
            "--accelerator",
            H100,
            "--qps",
            "20",
            "--ttft",
            "500",
            "--ntpot",
            "50",
            "-o",
            "json");

    assertThat(code).as(cli.err()).isZero();
    ServingReport expected =
        library(goal(LLAMA_70B, H100).targetQps(20.0).ttftMillis(500).ntpotMillis(50));
    JsonNode root = json(cli.out());
    assertThat(root.path("goal").path("targetQps").asDouble()).isEqualTo(20.0);
    JsonNode rec = recommended(root);
    ServingOption best = expected.recommendation().orElseThrow();
    assertThat(rec.path("replicas").asInt()).isEqualTo(best.replicas()).isGreaterThan(1);
    assertThat(rec.path("usdPerHour").asDouble()).isEqualTo(best.usdPerHour().orElseThrow());
    assertThat(rec.path("estimate").path("ntpotMillis").asDouble()).isLessThanOrEqualTo(50);
  }

  @Test
  void plan_json_listsEveryOptionWithFitEstimateAndReasons() {
    assertThat(cli.run("plan", "--model", "meta-llama/Llama-3.1-8B-Instruct", "-o", "json"))
        .as(cli.err())
        .isZero();

    JsonNode root = json(cli.out());
    ServingReport expected =
        library(
            ServingGoal.builder()
                .architecture(
                    ModelCatalog.require("meta-llama/Llama-3.1-8B-Instruct").architecture()));
    assertThat(root.path("options").size()).isEqualTo(expected.options().size());
    assertThat(root.path("recommendation").asString())
        .isEqualTo(expected.recommendation().orElseThrow().name());
    for (JsonNode o : root.path("options")) {
      if (o.path("feasible").asBoolean()) {
        assertThat(o.path("vllmArgs").size()).isGreaterThan(0);
        assertThat(o.path("estimate").path("ttftMillis").asDouble()).isPositive();
      } else {
        assertThat(o.path("reasons").size()).isGreaterThan(0);
      }
    }
  }

  /**
   * The notes on each option's estimate (calibration coverage, pipeline parallelism) reach the
   * table once per note, with the options they apply to, and again under the recommendation.
   */
  @Test
  void plan_table_printsEachLibraryNoteOnce_andTheRecommendationsNotesUnderIt() {
    String model = "meta-llama/Llama-3.1-405B-Instruct";
    ServingReport expected = library(goal(model, H100));
    ServingOption best = expected.recommendation().orElseThrow();
    assertThat(best.notes()).isNotEmpty();

    assertThat(cli.run("plan", "--model", model, "--accelerator", H100)).as(cli.err()).isZero();

    String out = cli.out();
    String notes = out.substring(out.indexOf("\nNotes:\n"), out.indexOf("\nRecommended: "));
    Set<String> distinct = new HashSet<>();
    expected.options().forEach(o -> distinct.addAll(o.notes()));
    for (String note : distinct) {
      assertThat(notes.lines().filter(l -> l.endsWith(": " + note)).count()).as(note).isEqualTo(1);
    }
    // the recommended TP 8 x PP 2 option's notes: its accelerator's calibration and the PP caveat
    assertThat(out).contains("\n  Notes: " + String.join("; ", best.notes()) + "\n");
    assertThat(best.notes()).anyMatch(n -> n.contains("on " + H100));
    assertThat(best.notes()).anyMatch(n -> n.contains("pipeline parallelism"));
  }

  /** {@code -o json} carries each option's notes as the library gives them. */
  @Test
  void plan_json_notesOfEveryOption_areTheLibrarys() {
    assertThat(
            cli.run(
                "plan",
                "--model",
                "openai/gpt-oss-120b",
                "--accelerator",
                "nvidia-h200-141gb",
                "-o",
                "json"))
        .as(cli.err())
        .isZero();

    ServingReport expected = library(goal("openai/gpt-oss-120b", "nvidia-h200-141gb"));
    JsonNode options = json(cli.out()).path("options");
    assertThat(options.size()).isEqualTo(expected.options().size());
    for (int i = 0; i < options.size(); i++) {
      List<String> notes = new java.util.ArrayList<>();
      options.get(i).path("notes").forEach(n -> notes.add(n.asString()));
      assertThat(notes)
          .as(expected.options().get(i).name())
          .isEqualTo(expected.options().get(i).notes());
    }
    // MXFP4 on a GPU without FP4 tensor cores: the upper-bound caveat is among them
    assertThat(expected.recommendation().orElseThrow().notes())
        .anyMatch(n -> n.startsWith("tokens/s is likely an upper bound"));
  }

  @Test
  void plan_withReport_leadsWithTheRecommendation_andDrawsThreeChartsWithAxisTitles()
      throws IOException {
    Path report = tmp.resolve("p.html");

    int code = cli.run("plan", "--model", LLAMA_70B, "--report", report.toString());

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.OK);
    String html = Files.readString(report);
    assertThat(html.indexOf("Recommendation")).isPositive().isLessThan(html.indexOf("<table"));
    assertThat(html).contains("vLLM flags:</p>\n<pre><code>--tensor-parallel-size=");
    // the recommendation says how far its estimate is backed by published measurements
    ServingOption best =
        library(ServingGoal.builder().architecture(ModelCatalog.require(LLAMA_70B).architecture()))
            .recommendation()
            .orElseThrow();
    assertThat(best.notes()).isNotEmpty();
    int notes = html.indexOf("<p>Notes: " + String.join("; ", best.notes()) + ".</p>");
    assertThat(notes).isPositive().isLessThan(html.indexOf("<table"));
    // Every chart on the page is the performance model's output, and says so.
    for (String svg : html.substring(html.indexOf("<svg")).split("</svg>")) {
      if (svg.contains("<svg")) {
        assertThat(svg).contains("(estimates)</title>");
      }
    }
    assertThat(Pattern.compile("<svg[ >]").matcher(html).results().count()).isEqualTo(3);
    assertThat(html)
        .contains("estimated NTPOT (ms)")
        .contains("$ per 1M output tokens")
        .contains("memory per device (GB")
        .contains("max model length (tokens")
        .contains("KV cache capacity (tokens)");
    // In the cost and KV charts, one colour per option: no series colour repeats.
    int series = 0;
    for (String svg : html.split("<svg")) {
      Matcher m =
          Pattern.compile("<(?:circle|polyline)[^>]*(?:fill|stroke)=\"(#[0-9a-f]{6})\"")
              .matcher(svg);
      Set<String> seen = new HashSet<>();
      while (m.find()) {
        assertThat(seen.add(m.group(1))).as("colour " + m.group(1) + " repeats").isTrue();
        series++;
      }
    }
    assertThat(series).isGreaterThan(2);
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img");
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  @Test
  void plan_fp8KvCache_holdsAtLeastTwiceTheTokens() {
    assertThat(cli.run("plan", "--model", LLAMA_70B, "--accelerator", H100, "-o", "json")).isZero();
    CliRun fp8 = new CliRun();
    assertThat(
            fp8.run(
                "plan",
                "--model",
                LLAMA_70B,
                "--accelerator",
                H100,
                "--kv-dtype",
                "fp8",
                "-o",
                "json"))
        .isZero();

    JsonNode auto = json(cli.out()).path("options");
    JsonNode half = json(fp8.out()).path("options");
    long autoTokens = tokensOf(auto, 4);
    assertThat(tokensOf(half, 4)).isGreaterThanOrEqualTo(2 * autoTokens);
    assertThat(json(fp8.out()).path("goal").path("kvCacheDtype").asString()).isEqualTo("fp8_e4m3");
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

    assertThat(row(cli.out(), "nvidia-l4 x1")).isEqualTo(row(catalog.out(), "nvidia-l4 x1"));
  }

  @Test
  void plan_sloNothingMeets_exits1_andSaysWhyNot() {
    int code =
        cli.run(
            "plan",
            "--model",
            "meta-llama/Llama-3.1-8B-Instruct",
            "--accelerator",
            "nvidia-l4",
            "--ntpot",
            "0.5");

    assertThat(code).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.out()).contains("Why not:").contains("misses NTPOT").contains("No option meets");
  }

  @Test
  void plan_badGoal_printsEveryViolationOfOneException_exits2() {
    int code =
        cli.run(
            "plan",
            "--model",
            LLAMA_70B,
            "--qps",
            "-1",
            "--ttft",
            "0",
            "--pricing",
            "monthly",
            "--region",
            "mars-central1");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err().lines())
        .anySatisfy(l -> assertThat(l).startsWith("ERROR targetQps:"))
        .anySatisfy(l -> assertThat(l).startsWith("ERROR ttftMillis:"))
        .anySatisfy(l -> assertThat(l).startsWith("ERROR pricing:").contains("1-year-cud"))
        .anySatisfy(l -> assertThat(l).startsWith("ERROR region:").contains("us-central1"));
    assertThat(cli.out()).isEmpty();
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
            "int3",
            "--weight-dtype",
            "int3");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err().lines())
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown model 'nobody/no-such-model'"))
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown accelerator 'nvidia-x99'"))
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown --kv-dtype 'int3'"))
        .anySatisfy(l -> assertThat(l).startsWith("error: unknown --weight-dtype 'int3'"))
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

  private static JsonNode recommended(JsonNode root) {
    String name = root.path("recommendation").asString();
    for (JsonNode o : root.path("options")) {
      if (o.path("name").asString().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no recommended option in " + root);
  }

  private static long tokensOf(JsonNode options, int devices) {
    for (JsonNode o : options) {
      if (o.path("devices").asInt() == devices) {
        return o.path("kvTokens").asLong();
      }
    }
    throw new AssertionError("no option with " + devices + " devices");
  }

  @Test
  void plan_yaml_holdsTheSameDocumentAsJson() {
    JsonNode root =
        CliRun.jsonAgreeingWithYaml(
            "plan", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--accelerator", "nvidia-l4");

    assertThat(root.path("goal").path("inputTokens").asInt()).isEqualTo(1024);
    assertThat(root.path("options").size()).isPositive();
  }

  @Test
  void plan_unknownOutputFormat_isAUsageErrorNamingTheFormats() {
    CliRun xml = new CliRun();
    assertThat(xml.run("plan", "--model", "meta-llama/Llama-3.1-8B-Instruct", "-o", "xml"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(xml.err().lines().findFirst().orElseThrow())
        .startsWith("error: Invalid value for option '--output'")
        .contains("table, json, yaml");
  }
}
