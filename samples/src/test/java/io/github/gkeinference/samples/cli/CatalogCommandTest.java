package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CatalogCommandTest {
  private final CliRun cli = new CliRun();

  private List<String> row(String first) {
    return cli.out()
        .lines()
        .filter(l -> l.startsWith(first + " "))
        .findFirst()
        .map(l -> List.of(l.trim().split(" {2,}")))
        .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + cli.out()));
  }

  @Test
  void catalogModels_printsOneRowPerModel() {
    assertThat(cli.run("catalog", "models")).isZero();

    for (CatalogEntry e : ModelCatalog.all()) {
      List<String> cells = row(e.huggingFaceId());
      assertThat(cells.get(5)).isEqualTo(String.valueOf(e.architecture().numLayers()));
      assertThat(cells.get(7)).isEqualTo(String.valueOf(e.architecture().numKeyValueHeads()));
    }
    assertThat(cli.out()).contains(ModelCatalog.all().size() + " models");
  }

  @Test
  void catalogModels_kvPerToken_isLayersTimesKvHeadsTimesHeadDimTimesTwoTimesTwoBytes() {
    assertThat(cli.run("catalog", "models")).isZero();

    // Llama-3.1-8B: 32 layers * 8 KV heads * 128 head dim * 2 (K and V) * 2 bytes (bf16)
    long bytes = 32L * 8 * 128 * 2 * 2;
    assertThat(row("meta-llama/Llama-3.1-8B-Instruct").get(9)).isEqualTo(bytes / 1024 + " KiB");
  }

  @Test
  void catalogAccelerators_printsOneRowPerAccelerator_withItsStatedMemory() {
    assertThat(cli.run("catalog", "accelerators")).isZero();

    for (AcceleratorType t : AcceleratorCatalog.standard().all()) {
      List<String> cells = row(t.label());
      assertThat(cells.get(2)).isEqualTo(t.kind().toString());
      assertThat(cells.get(3)).isEqualTo(t.memoryText());
    }
  }

  @Test
  void catalogWithoutName_isAUsageError() {
    assertThat(cli.run("catalog")).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("models or accelerators");
    assertThat(cli.run("catalog", "gpus")).isEqualTo(GkeInferenceCli.INVALID);
  }

  @Test
  void catalogModels_jsonAndYaml_holdEveryModelWithItsFacts() {
    JsonNode root = CliRun.jsonAgreeingWithYaml("catalog", "models");

    assertThat(root.path("models").size()).isEqualTo(ModelCatalog.all().size());
    JsonNode llama =
        root.path("models")
            .valueStream()
            .filter(m -> m.path("id").asString().equals("meta-llama/Llama-3.1-8B-Instruct"))
            .findFirst()
            .orElseThrow();
    // 32 layers * 8 KV heads * 128 head dim * 2 (K and V) * 2 bytes (bf16), as in the table
    assertThat(llama.path("kvBytesPerToken").asLong()).isEqualTo(32L * 8 * 128 * 2 * 2);
    assertThat(llama.path("layers").asInt()).isEqualTo(32);
  }

  @Test
  void catalogAccelerators_json_holdsEveryAcceleratorWithItsStatedMemory() {
    JsonNode root = CliRun.jsonAgreeingWithYaml("catalog", "accelerators");

    List<AcceleratorType> all = AcceleratorCatalog.standard().all();
    assertThat(root.path("accelerators").size()).isEqualTo(all.size());
    for (int i = 0; i < all.size(); i++) {
      JsonNode a = root.path("accelerators").get(i);
      assertThat(a.path("label").asString()).isEqualTo(all.get(i).label());
      assertThat(a.path("memory").asString()).isEqualTo(all.get(i).memoryText());
      assertThat(a.path("devicesPerMachine").isArray()).isTrue();
    }
  }

  @Test
  void catalog_unknownOutputFormat_isAUsageError() {
    assertThat(cli.run("catalog", "models", "-o", "xml")).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("table, json, yaml");
  }
}
