package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.plan.DraftModel;
import io.github.gkeinference.accelerators.plan.LoraSlots;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
import io.github.gkeinference.accelerators.plan.ServingReport;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code plan} with LoRA adapter slots and a draft model: passed to the planner and shown. */
class PlanAdaptersTest {
  private static final String LLAMA_70B = "meta-llama/Llama-3.3-70B-Instruct";
  private static final String DRAFT = "meta-llama/Llama-3.1-8B-Instruct";
  private static final String H100 = "nvidia-h100-80gb";

  @TempDir Path tmp;
  private CliRun cli = new CliRun();

  private JsonNode plan(String... extra) {
    cli = new CliRun();
    List<String> args =
        new ArrayList<>(List.of("plan", "--model", LLAMA_70B, "--accelerator", H100, "-o", "json"));
    args.addAll(List.of(extra));
    assertThat(cli.run(args.toArray(String[]::new))).as(cli.err()).isZero();
    return cli.json();
  }

  private static JsonNode option(JsonNode root, String name) {
    for (JsonNode o : root.path("options")) {
      if (o.path("name").asString().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no option " + name);
  }

  @Test
  void plan_withLoraSlots_takesTheLibrarysAdapterBytesOutOfTheKvCache() {
    JsonNode plain = plan();
    JsonNode lora = plan("--max-lora-rank", "64", "--max-loras", "4", "--max-cpu-loras", "8");

    ModelArchitecture a = ModelCatalog.require(LLAMA_70B).architecture();
    ServingReport expected =
        ServingPlanner.plan(
            ServingGoal.builder()
                .architecture(a)
                .addCandidate(H100)
                .lora(LoraSlots.of(4, 64))
                .build());
    ServingOption best = expected.recommendation().orElseThrow();
    JsonNode o = option(lora, best.name());
    // the CLI passes the slots through: the same bytes the library's split holds, not zero
    long bytes = LoraSlots.of(4, 64).bytesPerDevice(a, best.fit().tensorParallelism(), 1);
    assertThat(bytes).isPositive();
    assertThat(o.path("memoryPerDevice").path("loraAdapters").asLong()).isEqualTo(bytes);
    // ... and they come out of the KV cache: fewer tokens than the same option without LoRA
    assertThat(o.path("kvTokens").asLong())
        .isLessThan(option(plain, best.name()).path("kvTokens").asLong());
    assertThat(plain.path("options").get(0).has("memoryPerDevice")).isFalse();
    assertThat(lora.path("goal").path("lora").path("maxLoraRank").asInt()).isEqualTo(64);
    assertThat(lora.path("goal").path("lora").path("maxCpuLoras").asInt()).isEqualTo(8);
  }

  @Test
  void plan_withDraftModel_countsItsWeightsAndKvCache() {
    JsonNode draft = plan("--draft-model", DRAFT, "--draft-tp", "1");
    ModelArchitecture d = ModelCatalog.require(DRAFT).architecture();
    for (JsonNode o : draft.path("options")) {
      if (!o.path("feasible").asBoolean()) {
        continue;
      }
      // draft TP 1: the whole draft on each device (DraftModel's rule), here 8B x 2 bytes
      long expected =
          DraftModel.builder().architecture(d).tensorParallelism(1).build().weightBytesPerDevice(4);
      assertThat(o.path("memoryPerDevice").path("draftWeights").asLong()).isEqualTo(expected);
      assertThat(o.path("memoryPerDevice").path("draftKvCache").asLong()).isPositive();
    }
    assertThat(draft.path("goal").path("draft").path("model").asString()).isEqualTo(DRAFT);
  }

  @Test
  void plan_table_saysWhatIsCountedAndThatItIsAnEstimate() {
    assertThat(
            cli.run(
                "plan",
                "--model",
                LLAMA_70B,
                "--accelerator",
                H100,
                "--max-lora-rank",
                "16",
                "--draft-model",
                DRAFT))
        .as(cli.err())
        .isZero();
    assertThat(cli.out())
        .contains("LoRA 1 slot(s) of rank 16")
        .contains("draft model " + DRAFT)
        .contains("estimates")
        .contains(
            "LoRA on MoE experts, MLA projections, embeddings and the LM head is not counted");
  }

  @Test
  void plan_badAdapterOptions_areExit2WithEveryProblem() {
    assertThat(cli.run("plan", "--model", LLAMA_70B, "--max-loras", "2", "--draft-tp", "2"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err())
        .contains("--max-loras and --max-cpu-loras need --max-lora-rank")
        .contains("--draft-tp needs --draft-model");
    cli = new CliRun();
    assertThat(cli.run("plan", "--model", LLAMA_70B, "--max-lora-rank", "48"))
        .isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("maxLoraRank");
  }

  @Test
  void plan_reportWithAdapters_drawsTheirOwnSegments() throws IOException {
    Path report = tmp.resolve("lora.html");
    assertThat(
            cli.run(
                "plan",
                "--model",
                LLAMA_70B,
                "--accelerator",
                H100,
                "--max-lora-rank",
                "64",
                "--max-loras",
                "4",
                "--draft-model",
                DRAFT,
                "--report",
                report.toString()))
        .as(cli.err())
        .isZero();
    String html = Files.readString(report);
    assertThat(html)
        .contains("Memory per device by option (estimates)")
        .contains("LoRA adapters")
        .contains("draft weights")
        .contains("draft KV cache")
        .contains("they are estimates. LoRA on MoE experts");
  }
}
